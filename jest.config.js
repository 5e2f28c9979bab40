const { availableParallelism } = require("node:os");

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default is one worker per core but one: on a 2-core machine a single worker, which
  // leaves a core idle while tests wait on servers, child processes and Terraform. Two workers
  // there; the default above that.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is `tsc --noEmit` in `npm test`; jest only strips types, with esbuild
  // (test/esbuild-transform.js), several times faster than ts-jest.
  transform: { "^.+\\.ts$": "<rootDir>/test/esbuild-transform.js" },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // The end-to-end suite deploys to an emulator with real Terraform: minutes, not seconds.
  testTimeout: 30_000,
};

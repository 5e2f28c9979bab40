/** @type {import('jest').Config} */
module.exports = {
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

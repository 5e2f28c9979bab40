/**
 * Jest's TypeScript transform: esbuild strips the types of one file at a time, as tsx does for
 * the commands (tsconfig has isolatedModules, so a file compiles alone). Several times faster
 * than ts-jest, which mattered on a 2-core machine; the type check is `tsc --noEmit` in
 * `npm test`. Nothing here needs jest.mock hoisting (no test mocks a module).
 */
"use strict";
const { createHash } = require("node:crypto");
const { transformSync, version } = require("esbuild");

const TARGET = `node${process.versions.node.split(".")[0]}`;
// A change to this file (its options) must invalidate jest's cache of transformed files.
const SELF = require("node:fs").readFileSync(__filename, "utf8");

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, {
      loader: "ts",
      format: "cjs",
      target: TARGET,
      sourcefile: sourcePath,
      sourcemap: "external",
      sourcesContent: false,
      // import() becomes require(), as tsc's CommonJS output does: jest runs modules without
      // --experimental-vm-modules.
      supported: { "dynamic-import": false },
    });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash("sha256").update(`${version}\0${TARGET}\0${SELF}\0${sourcePath}\0${sourceText}`).digest("hex");
  },
};

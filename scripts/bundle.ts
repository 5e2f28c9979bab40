import { buildSync } from "esbuild";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "..");
export const FUNCTION_ENTRY = join(PROJECT_DIR, "functions/token-url/handler.ts");
export const DEFAULT_BUNDLE_DIR = join(PROJECT_DIR, "build/token-url");

/**
 * Bundles the Lambda into `<outDir>/index.js`: one minified file, no runtime dependencies, and
 * deterministic (no timestamps, no absolute paths, no source map), so unchanged sources give
 * the same asset hash and Terraform sees no change.
 */
export function bundleTokenFunction(outDir: string = DEFAULT_BUNDLE_DIR): { dir: string; bytes: number } {
  // Emptied first: the asset hash covers every file in the folder.
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, "index.js");
  buildSync({
    entryPoints: [FUNCTION_ENTRY],
    outfile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    logLevel: "error",
  });
  return { dir: outDir, bytes: statSync(outfile).size };
}

if (require.main === module) {
  const { dir, bytes } = bundleTokenFunction();
  console.log(`bundled ${dir}/index.js (${bytes} bytes)`);
}

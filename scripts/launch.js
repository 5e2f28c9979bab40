/**
 * Starts a command (`node scripts/launch.js probe …` runs scripts/probe.ts) from JavaScript
 * compiled once, instead of compiling TypeScript at every start as `node --import tsx` does.
 *
 * Every scripts/*.ts is bundled by esbuild (already a dependency) into one CommonJS file in
 * .build/commands/<stamp>/ (git-ignored). The stamp is a hash of the path, size and mtime of
 * every source file (scripts/, functions/, infra/), of package.json, package-lock.json and
 * tsconfig.json, of this file, and of the Node and esbuild versions: any change to them makes
 * a new stamp, so the next start builds again (about a second, once). A build is written to a
 * temporary folder and renamed into place, so commands started at once (a test suite) never
 * see half a build.
 *
 * The command runs in this very process: `exec node scripts/launch.js …` in package.json keeps
 * one process, so Ctrl-C and `kill` reach it (docs/development.md, "Processes and signals").
 * This file is plain JavaScript on purpose: it runs before anything is compiled.
 *
 * LAUNCH_FROM_SOURCE=1 skips the bundle and runs the TypeScript through tsx, as before.
 */
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require("node:fs");
const { basename, dirname, join, relative } = require("node:path");

const PROJECT_DIR = dirname(__dirname);
const SOURCE_FOLDERS = ["scripts", "functions", "infra"];
const SOURCE_FILES = ["package.json", "package-lock.json", "tsconfig.json"];
const CACHE_DIR = join(PROJECT_DIR, ".build", "commands");
// Builds older than this are removed after a new build; a command started from one just
// before is long done by then.
const KEEP_OLD_BUILDS_MS = 10 * 60 * 1000;

function main() {
  const command = process.argv[2];
  const entry = command === undefined ? undefined : join(PROJECT_DIR, "scripts", `${command}.ts`);
  if (entry === undefined || !/^[a-z][a-z0-9-]*$/.test(command) || !existsSync(entry)) {
    console.error(`launch.js: no command ${JSON.stringify(command ?? "")} (scripts/<command>.ts)`);
    process.exit(2);
  }
  // The command sees its own arguments, as it would when run directly.
  process.argv.splice(1, 2, entry);
  if (process.env.LAUNCH_FROM_SOURCE === "1") {
    require("tsx/cjs");
    require(entry);
    return;
  }
  const stamp = sourceStamp();
  const folder = join(CACHE_DIR, stamp);
  const bundle = join(folder, `${command}.js`);
  if (existsSync(bundle)) {
    require(bundle); // the usual start: no esbuild, no promise, nothing but the command
    return;
  }
  build(folder).then(
    () => require(bundle),
    (error) => {
      console.error(`launch.js: building the commands failed (LAUNCH_FROM_SOURCE=1 runs them through tsx):\n${error.message}`);
      process.exit(2);
    },
  );
}

/** A hash of what the bundles are made of; cheap (stat calls only), run at every start. */
function sourceStamp() {
  const hash = createHash("sha256");
  hash.update(`${process.version}\0${PROJECT_DIR}\0`);
  const add = (file) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat) hash.update(`${relative(PROJECT_DIR, file)}\0${stat.size}\0${stat.mtimeMs}\0`);
  };
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else add(path);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(join(PROJECT_DIR, folder));
  for (const file of SOURCE_FILES) add(join(PROJECT_DIR, file));
  add(join(PROJECT_DIR, "node_modules", "esbuild", "package.json"));
  return hash.digest("hex").slice(0, 16);
}

/** Every scripts/*.ts, bundled at once (shared code is compiled once), written atomically. */
async function build(folder) {
  const esbuild = require("esbuild");
  const scripts = join(PROJECT_DIR, "scripts");
  const entryPoints = readdirSync(scripts)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(scripts, name));
  const result = await esbuild.build({
    entryPoints,
    outdir: folder,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    // node_modules load as they do from the sources (one copy, their own files beside them);
    // the heavy ones (the AWS SDK) only when a command needs them, by a dynamic import.
    packages: "external",
    // Beside each bundle, for --enable-source-maps; Node reads none otherwise.
    sourcemap: true,
    // import() becomes require(), as tsc's CommonJS output does (one module system).
    supported: { "dynamic-import": false },
    write: false,
    logLevel: "silent",
    plugins: [sourceDirname],
  });
  const temporary = `${folder}.${process.pid}.tmp`;
  mkdirSync(temporary, { recursive: true });
  for (const file of result.outputFiles) writeFileSync(join(temporary, basename(file.path)), file.contents);
  try {
    renameSync(temporary, folder);
  } catch (error) {
    // Another command built the same stamp first: use that one.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(folder)) throw error;
  }
  removeOldBuilds(basename(folder));
}

/**
 * A source's `__dirname` / `__filename` keep meaning its own place in the sources (the
 * templates are read next to infra/templates/index.ts, the version from package.json), not
 * the bundle's folder.
 */
const sourceDirname = {
  name: "source-dirname",
  setup(plugin) {
    const { readFileSync } = require("node:fs");
    plugin.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(text)) return { contents: text, loader: "ts" };
      const contents = text
        .replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

function removeOldBuilds(current) {
  const now = Date.now();
  for (const name of readdirSync(CACHE_DIR)) {
    if (name === current) continue;
    const path = join(CACHE_DIR, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by another command meanwhile
    }
  }
}

main();

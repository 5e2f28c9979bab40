/**
 * scripts/launch.js, which every command's npm script runs: on a fresh copy of the project
 * (no .build/), commands started at once build the bundles once and all run; a changed source
 * is rebuilt before the next start; the command gets its own arguments; LAUNCH_FROM_SOURCE=1
 * still runs the TypeScript. Real processes, a real esbuild build.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "../..");
const COPIED = ["scripts", "functions", "infra", "package.json", "package-lock.json", "tsconfig.json"];

jest.setTimeout(120_000);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function launch(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ["scripts/launch.js", ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe("scripts/launch.js on a fresh copy of the project", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "launch-"));
    for (const entry of COPIED) cpSync(join(PROJECT_DIR, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const builds = () => (existsSync(join(dir, ".build/commands")) ? readdirSync(join(dir, ".build/commands")) : []);

  test("GIVEN no build yet WHEN four commands start at once THEN each prints its own help, from one build", async () => {
    expect(builds()).toEqual([]);
    const runs = await Promise.all([
      launch(dir, ["probe", "--help"]),
      launch(dir, ["logs", "--help"]),
      launch(dir, ["verify", "--help"]),
      launch(dir, ["probe", "--help"]),
    ]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    }
    expect(runs.map((run) => run.stdout.split("\n")[0])).toEqual([
      "Usage: npm run probe -- <token-url> [options]",
      "Usage: npm run logs -- [options]",
      "Usage: npm run verify -- [options]",
      "Usage: npm run probe -- <token-url> [options]",
    ]);
    expect(builds()).toHaveLength(1);
    expect(builds()[0]).toMatch(/^[0-9a-f]{16}$/); // no temporary folder left behind
  });

  test("GIVEN a source file changed THEN the next start runs the change, from a new build", async () => {
    const before = builds();
    const options = join(dir, "scripts/probe/probe-options.ts");
    writeFileSync(options, readFileSync(options, "utf8").replace("Usage: npm run probe -- <token-url> [options]", "Usage: npm run probe -- <token-url> [options] (edited)"));
    const run = await launch(dir, ["probe", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Usage: npm run probe -- <token-url> [options] (edited)");
    expect(builds()).not.toEqual(before);
  });

  test("GIVEN the same sources THEN the bundle is reused: no new build", async () => {
    const before = builds();
    expect((await launch(dir, ["logs", "--help"])).code).toBe(0);
    expect(builds()).toEqual(before);
  });

  test("GIVEN arguments THEN the command gets exactly its own (a usage error names the bad one)", async () => {
    const run = await launch(dir, ["verify", "--wait", "nope"]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe('--wait must be 0 to 300 seconds, got "nope"');
  });

  test("GIVEN a source that reads a file beside itself THEN it finds it from the bundle (the templates, via __dirname)", async () => {
    // npm start renders infra/templates/*.vtl, read next to infra/templates/index.ts.
    const run = await launch(dir, ["start", "--port", "nope"]);
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(run.code).toBe(2);
  });

  test("GIVEN an unknown command THEN one line and exit 2", async () => {
    const run = await launch(dir, ["nope"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('launch.js: no command "nope" (scripts/<command>.ts)');
  });

  test("GIVEN LAUNCH_FROM_SOURCE=1 THEN the TypeScript runs through tsx, with the same output", async () => {
    const fromSource = await launch(dir, ["logs", "--help"], { LAUNCH_FROM_SOURCE: "1" });
    const bundled = await launch(dir, ["logs", "--help"]);
    expect(fromSource.code).toBe(0);
    expect(fromSource.stdout).toBe(bundled.stdout);
  });
});

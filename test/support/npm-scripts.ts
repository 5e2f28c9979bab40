/** The project's npm scripts run as a user runs them, `npm start` / `npm run <script>`, as
 * child processes of npm itself (so that what npm adds, a shell and signal forwarding, is in
 * the test too). */
import { ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export const PROJECT_DIR = resolve(__dirname, "../..");

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a test's npm runs get: no terminal, no update notice, the SDK quiet. */
export function scriptEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // The fingerprint key of the test run (test/setup.ts), so a child's fingerprints match the
    // test's own fingerprint() calls.
    XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
    npm_config_update_notifier: "false",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

/** `npm run <script> -- <args>` to completion, stdout a pipe (not a terminal). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  return new Promise((resolvePromise) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], { cwd: PROJECT_DIR, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * What a command's npm script runs after `node`, for `scripts/<name>.ts`: scripts/launch.js
 * and the command's name (the bundle compiled once, not TypeScript compiled at every start).
 */
export function commandLine(script: string): string[] {
  const name = /^(?:scripts\/)?([a-z][a-z0-9-]*)(?:\.ts)?$/.exec(script)?.[1];
  if (name === undefined) throw new Error(`not a command script: ${script}`);
  return ["scripts/launch.js", name];
}

/** A command as its npm script runs it, to completion: the CLI without npm in front of it. */
export function runNodeScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...commandLine(script), ...args], { cwd: PROJECT_DIR, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export interface Background {
  /** npm's own process: the pid a user would `kill`. In its own process group, so a test can
   * tell whether anything it started is still alive. */
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  /** True while any process of the group (npm, a shell, node) is alive. */
  alive(): boolean;
  /** Cleanup: SIGKILL whatever of the group is left. */
  kill(): void;
}

/** `npm start` / `npm run <script>` in the background, resolved once `ready` matches its
 * stdout or stderr. */
export function startScript(npmArgs: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Background & { match: RegExpExecArray }> {
  const child = spawn("npm", npmArgs, { cwd: PROJECT_DIR, env, detached: true });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolvePromise) => child.on("close", resolvePromise));
  const pgid = child.pid!;
  const background: Background = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    alive: () => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    },
    kill: () => {
      if (background.alive()) process.kill(-pgid, "SIGKILL");
    },
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      background.kill();
      reject(new Error(`npm ${npmArgs.join(" ")} did not get ready:\n${stdout}\n${stderr}`));
    }, 30_000);
    const check = () => {
      const match = ready.exec(stdout) ?? ready.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ ...background, match });
      }
    };
    child.stdout!.on("data", (chunk) => ((stdout += chunk), check()));
    child.stderr!.on("data", (chunk) => ((stderr += chunk), check()));
    child.on("close", () => {
      clearTimeout(timer);
      reject(new Error(`npm ${npmArgs.join(" ")} exited before it was ready:\n${stdout}\n${stderr}`));
    });
  });
}

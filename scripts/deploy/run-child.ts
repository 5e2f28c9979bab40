import { spawn } from "node:child_process";
import { constants } from "node:os";

export interface ChildRun {
  /** The exit code, or 128 + the signal's number when a signal ended it. */
  readonly code: number;
  /** stderr as it came (also written through, unless captured). */
  readonly stderr: string;
  /** The signal (Ctrl-C, kill) that reached this process while the child ran: the caller
   * stops instead of running the next step, and exits 128 + its number. */
  readonly interrupted?: NodeJS.Signals;
}

export interface ChildOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** The child reads the terminal (Terraform's own approval question); else stdin is closed. */
  readonly interactive?: boolean;
  /** Each stdout chunk passes through this before it is written; default: as it is. */
  readonly stdout?: (chunk: string) => string;
  /** Keep stderr to the caller (it decides what to show) instead of writing it through. */
  readonly captureStderr?: boolean;
  /** Run through the shell (cdktf.json's "app" is a shell command line). */
  readonly shell?: boolean;
}

/** Thrown when the command itself cannot start (not installed, not on PATH). */
export class CommandNotFound extends Error {}

/** The exit code of a command that a signal stopped, as a shell reports it: 130 for Ctrl-C. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

/**
 * One child in the foreground with its output passed on, and Ctrl-C / `kill` passed on to it
 * once. A child that does not read the terminal runs in its own process group, because a
 * terminal's Ctrl-C reaches this process twice (from the terminal and from npm, which forwards
 * it): Terraform stops gracefully on the first interrupt and aborts mid-write on a second.
 * A child that reads the terminal stays in the terminal's group (else reading it would stop
 * it) and gets Ctrl-C from the terminal itself, so only SIGTERM is passed on to it.
 */
export function runChild(command: string, args: readonly string[], options: ChildOptions): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const interactive = options.interactive ?? false;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      shell: options.shell ?? false,
      detached: !interactive,
      stdio: [interactive ? "inherit" : "ignore", "pipe", "pipe"],
    });
    const forwarded = new Set<NodeJS.Signals>();
    const forward = (signal: NodeJS.Signals) => {
      if (interactive && signal === "SIGINT") return void forwarded.add(signal); // the terminal sent it
      if (forwarded.has(signal)) return;
      forwarded.add(signal);
      child.kill(signal); // Terraform alone: it stops its provider plugins itself
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    const stopForwarding = () => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
    };

    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => process.stdout.write(options.stdout ? options.stdout(chunk) : chunk));
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (!options.captureStderr) process.stderr.write(chunk);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(error.code === "ENOENT" ? new CommandNotFound(command) : error);
    });
    child.on("close", (code, signal) => {
      stopForwarding();
      const interrupted = [...forwarded][0] ?? signal ?? undefined;
      resolvePromise({ code: code ?? signalExitCode(signal ?? "SIGTERM"), stderr, interrupted });
    });
  });
}

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ChildRun, runChild } from "./run-child";

export interface SynthTarget {
  /** cdktf.json's "app": the command that runs main.ts, whose App.synth() writes the stack. */
  readonly app: string;
  /** Where the stacks go, absolute: CDKTF_OUTDIR as the cdktf library reads it, else cdktf.json's
   * "output", else cdktf.out. */
  readonly outDir: string;
}

export function readSynthTarget(projectDir: string): SynthTarget {
  const cdktfJson = JSON.parse(readFileSync(join(projectDir, "cdktf.json"), "utf8")) as { app?: string; output?: string };
  if (!cdktfJson.app) throw new Error('cdktf.json has no "app" command');
  return { app: cdktfJson.app, outDir: resolve(projectDir, process.env.CDKTF_OUTDIR || cdktfJson.output || "cdktf.out") };
}

export function stackDir(target: SynthTarget, stackName: string): string {
  return join(target.outDir, "stacks", stackName);
}

/**
 * Synthesizes the stack the way `cdktf synth` does: runs the app with CDKTF_OUTDIR set, and
 * the cdktf library (App.synth) writes cdktf.out/stacks/<stack>/cdk.tf.json and its assets.
 * No cdktf-cli, so no pseudo-terminal and no native module. The app's own lines (config
 * notices; a config error and exit 2) reach the user as they are.
 */
export function synthesize(projectDir: string, target: SynthTarget, env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return runChild(target.app, [], { cwd: projectDir, env: { ...env, CDKTF_OUTDIR: target.outDir }, shell: true });
}

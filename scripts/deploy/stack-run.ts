/**
 * After the preflight: synthesize the stack, then Terraform in its folder (init, then plan,
 * apply or destroy), with Terraform's own output and its own provider installation, so that
 * TF_CLI_CONFIG_FILE mirrors and the lock file work as Terraform documents them.
 */
import { EXPIRY_CLOCK_ADDRESS } from "../../infra/expiry-clock-address";
import { Approval } from "./approval";
import { DeployOptions } from "./deploy-options";
import { describeInitFailure } from "./init-failure";
import { fingerprintKeyOf, KeyRedaction } from "./key-redaction";
import { lockFileIn, lockFileOut } from "./lock-file";
import { OutputsSectionFilter } from "./outputs-section-filter";
import { ChildRun, CommandNotFound, runChild, signalExitCode } from "./run-child";
import { TERRAFORM_MISSING, terraformOnPath } from "./terraform-on-path";
import { formatOutputs, TerraformOutputs } from "./stack-outputs";
import { readSynthTarget, stackDir, synthesize } from "./synth-stack";

const EXIT_USAGE = 2;

export interface StackRun {
  readonly options: DeployOptions;
  readonly approval: Approval;
  readonly stackName: string;
  readonly projectDir: string;
  /** stdout is a terminal and NO_COLOR is unset: Terraform's colors. */
  readonly color: boolean;
}

export async function runStackCommand(run: StackRun): Promise<number> {
  const { options, projectDir } = run;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Else Terraform asks HashiCorp for its latest version on every run (and offline, waits).
    CHECKPOINT_DISABLE: "1",
    // Terraform's hints name terraform commands; here the user runs npm scripts.
    TF_IN_AUTOMATION: "1",
    ...(run.options.profile ? { AWS_PROFILE: run.options.profile } : {}),
  };
  if (!terraformOnPath()) {
    console.error(TERRAFORM_MISSING);
    return EXIT_USAGE;
  }
  const target = readSynthTarget(projectDir);
  const synth = await synthesize(projectDir, target, env);
  if (synth.interrupted) return signalExitCode(synth.interrupted);
  if (synth.code !== 0) return synth.code;
  const dir = stackDir(target, run.stackName);
  if (options.command === "synth") {
    console.log(`Generated Terraform code for the stacks: ${run.stackName} (in ${dir})`);
    return 0;
  }

  const terraform = (args: string[], extra: { interactive?: boolean; stdout?: (chunk: string) => string; captureStderr?: boolean } = {}) =>
    runChild("terraform", [...args, ...(run.color ? [] : ["-no-color"])], { cwd: dir, env, ...extra });
  try {
    lockFileIn(projectDir, dir);
    const init = await terraform(["init", "-input=false"], { captureStderr: true });
    if (init.interrupted) return signalExitCode(init.interrupted);
    if (init.code !== 0) {
      const line = describeInitFailure(init.stderr);
      process.stderr.write(line ? `${line}\n` : init.stderr);
      return init.code;
    }
    process.stderr.write(init.stderr); // warnings, e.g. about the CLI config
    lockFileOut(projectDir, dir);

    // Read before Terraform runs, to keep it out of what Terraform prints (key-redaction.ts).
    const redaction = new KeyRedaction(fingerprintKeyOf(await outputsJson(terraform)));
    const replace = options.extend ? [`-replace=${EXPIRY_CLOCK_ADDRESS}`] : [];
    const approve = run.approval.kind === "auto" ? ["-auto-approve"] : [];
    const interactive = run.approval.kind === "terminal";
    const input = interactive ? [] : ["-input=false"];
    let result: ChildRun;
    const redacted = (chunk: string) => redaction.push(chunk);
    if (options.command === "diff") {
      result = await terraform(["plan", ...input, ...replace], { stdout: redacted });
    } else if (options.command === "destroy") {
      result = await terraform(["destroy", ...input, ...approve], { interactive, stdout: redacted });
    } else {
      const filter = new OutputsSectionFilter();
      result = await terraform(["apply", ...input, ...approve, ...replace], { interactive, stdout: (chunk) => filter.push(redaction.push(chunk)) });
      if (result.code === 0 && !result.interrupted) return printOutputs(terraform);
    }
    return result.interrupted ? signalExitCode(result.interrupted) : result.code;
  } catch (error) {
    if (!(error instanceof CommandNotFound)) throw error;
    console.error(TERRAFORM_MISSING);
    return EXIT_USAGE;
  }
}

type Terraform = (args: string[], extra: { stdout: (chunk: string) => string; captureStderr: boolean }) => Promise<ChildRun>;

/** `terraform output -json`, captured, printing nothing. */
async function readOutputs(terraform: Terraform): Promise<{ run: ChildRun; json: string }> {
  let json = "";
  const run = await terraform(["output", "-json"], { stdout: (chunk) => ((json += chunk), ""), captureStderr: true });
  return { run, json };
}

/** The outputs' JSON, "{}" when the stack has no state yet. */
async function outputsJson(terraform: Terraform): Promise<string> {
  const { run, json } = await readOutputs(terraform);
  return run.code === 0 ? json : "{}";
}

/** The stack's outputs after an apply, as the README shows them. */
async function printOutputs(terraform: Terraform): Promise<number> {
  const { run, json } = await readOutputs(terraform);
  if (run.code !== 0) {
    process.stderr.write(run.stderr);
    return run.code;
  }
  const lines = formatOutputs(JSON.parse(json) as TerraformOutputs);
  if (lines.length > 0) console.log(`Outputs:\n\n${lines.join("\n")}`);
  return 0;
}

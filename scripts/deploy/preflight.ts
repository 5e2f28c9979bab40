/**
 * What `npm run deploy | diff | destroy | synth` check before cdktf runs, in order. Each step
 * either adds to the context or throws a one-line error; nothing reaches Terraform until all
 * have passed. A new check is one more step in the list.
 */
import { checkDeployable, Config, loadConfig } from "../../infra/config";
import { NoDeployedStack, readDeployedStack } from "../link/deployed-stack";
import { savedLinkWarning } from "../unlink/saved-link-warning";
import { AwsAccount, PreflightError, resolveAwsAccount } from "./aws-account";
import { DeployOptions, StackCommand } from "./deploy-options";
import { expiryLine } from "./expiry-line";

export interface PreflightContext {
  readonly options: DeployOptions;
  config?: Config;
  account?: AwsAccount;
  /** Printed once every step has passed, before cdktf runs. */
  readonly lines: string[];
}

interface PreflightStep {
  readonly name: string;
  readonly commands: readonly StackCommand[];
  run(context: PreflightContext): Promise<void>;
}

const ALL: readonly StackCommand[] = ["deploy", "diff", "destroy", "synth"];

const TARGET_VERB: Partial<Record<StackCommand, string>> = {
  deploy: "Deploying to",
  diff: "Comparing with",
  destroy: "Destroying in",
};

export const PREFLIGHT_STEPS: readonly PreflightStep[] = [
  {
    // Before anything else: an invalid config fails in its own one line, not inside cdktf's
    // "non-zero exit code" report of main.ts's output.
    name: "configuration",
    commands: ALL,
    run: async (context) => {
      context.config = loadConfig();
      checkDeployable(context.config);
      if (context.options.extend && context.config.debugTtlHours === 0) {
        throw new PreflightError("--extend restarts the debugger's expiry clock, but with DEBUG_TTL_HOURS=0 it never expires; nothing was run");
      }
    },
  },
  {
    // A warning, not a stop: the user may mean it, and cdktf still asks before destroying.
    name: "saved skill links",
    commands: ["destroy"],
    run: async (context) => {
      const warning = savedLinkWarning(context.config!);
      if (warning) context.lines.push(warning);
    },
  },
  {
    name: "AWS account",
    commands: ["deploy", "diff", "destroy"], // synth only writes files
    run: async (context) => {
      const config = context.config!;
      const account = await resolveAwsAccount(config.region, context.options.profile);
      context.account = account;
      context.lines.push(
        `${TARGET_VERB[context.options.command]} account ${account.account} (${account.arn}) in ${config.region}, stack ${config.stackName}`,
      );
    },
  },
  {
    // After the account line: when this deploy leaves the debugger to stop forwarding.
    name: "debugger expiry",
    commands: ["deploy", "diff"],
    run: async (context) => {
      const config = context.config!;
      let startedAt: Date | undefined;
      try {
        startedAt = readDeployedStack(config).expiryStartedAt;
      } catch (error) {
        if (!(error instanceof NoDeployedStack)) throw error; // not deployed yet: the clock starts now
      }
      context.lines.push(expiryLine({ ttlHours: config.debugTtlHours, extend: context.options.extend, startedAt, now: new Date() }));
    },
  },
];

/** Runs the steps that apply to the command; throws on the first that fails. */
export async function runPreflight(options: DeployOptions, steps = PREFLIGHT_STEPS): Promise<PreflightContext> {
  const context: PreflightContext = { options, lines: [] };
  for (const step of steps) {
    if (step.commands.includes(options.command)) await step.run(context);
  }
  return context;
}

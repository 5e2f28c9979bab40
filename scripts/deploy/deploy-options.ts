import { UsageError } from "../cli/usage-error";

/** The stack commands behind `npm run deploy | diff | destroy | synth`. */
export const STACK_COMMANDS = ["deploy", "diff", "destroy", "synth"] as const;
export type StackCommand = (typeof STACK_COMMANDS)[number];

export interface DeployOptions {
  readonly command: StackCommand;
  /** AWS profile for the account check and for Terraform; undefined: the SDK's default chain. */
  readonly profile?: string;
  /** deploy, destroy: change without asking (the only way without a terminal). */
  readonly autoApprove: boolean;
  /** Restart the debugger's expiry clock: it answers DEBUG_TTL_HOURS from now again. */
  readonly extend: boolean;
  readonly help: boolean;
}

export const DEPLOY_USAGE = `Usage: npm run deploy | destroy -- [--auto-approve] [--profile NAME]
       npm run deploy | diff -- [--extend] [--profile NAME]
       npm run synth

Checks the configuration, then which AWS account and region the stack goes to (the SDK's
default credential chain: AWS_PROFILE, ~/.aws, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, SSO,
instance roles) and prints it in one line; only then synthesizes the stack into
cdktf.out/stacks/<STACK_NAME> and runs terraform init and plan, apply or destroy there.
synth needs no credentials and changes nothing (terraform must still be on PATH: the cdktf
library asks it for its version).

  --auto-approve     deploy, destroy: no question before changing anything. Without a
                     terminal (CI, a pipe) it is required: review with npm run diff first
  --profile <name>   AWS profile to use, for the check and for Terraform (sets AWS_PROFILE)
  --extend           deploy, diff: restart the debugger's expiry clock, so that it forwards for
                     DEBUG_TTL_HOURS (default 24) from now; without it, the time stamped at
                     the first deploy stays
  --help             this text

Providers come from Terraform's own installation (TF_CLI_CONFIG_FILE for mirrors), the lock
file from .terraform.lock.hcl beside package.json: see docs/deploying.md.
Exit codes: Terraform's own, or 2 for a usage, configuration or credentials problem, or a
missing approval (nothing was changed).`;

/** The cdktf-cli option that older scripts pass (its provider-lock step failed with mirrors);
 * Terraform's own init now records the lock file. */
const IGNORED_CDKTF_OPTIONS = ["--skip-provider-lock"];

/** argv after the script name: the command first (package.json gives it), then the user's. */
export function parseDeployOptions(argv: readonly string[]): DeployOptions {
  const [command, ...rest] = argv;
  if (!(STACK_COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`The first argument must be one of ${STACK_COMMANDS.join(", ")}, got "${command ?? ""}"`);
  }
  let profile: string | undefined;
  let help = false;
  let extend = false;
  let autoApprove = false;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index];
    if (arg === "--help" || arg === "-h") {
      help = true;
    } else if (arg === "--extend") {
      if (command !== "deploy" && command !== "diff") throw new UsageError(`--extend is for deploy and diff, not ${command}`);
      extend = true;
    } else if (arg === "--auto-approve") {
      // diff accepts it too (it changes nothing either way), so one line of flags serves all three.
      if (command === "synth") throw new UsageError("--auto-approve is for deploy and destroy, not synth");
      autoApprove = true;
    } else if (arg === "--profile" || arg.startsWith("--profile=")) {
      profile = arg === "--profile" ? rest[(index += 1)] : arg.slice("--profile=".length);
      if (!profile || profile.startsWith("-")) throw new UsageError("--profile needs a profile name, e.g. --profile dev");
    } else if (!IGNORED_CDKTF_OPTIONS.includes(arg)) {
      throw new UsageError(`Unknown option "${arg}"`);
    }
  }
  return { command: command as StackCommand, profile, autoApprove, extend, help };
}

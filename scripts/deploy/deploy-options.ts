import { UsageError } from "../cli/usage-error";

/** The cdktf commands that `npm run deploy | diff | destroy | synth` wrap. */
export const STACK_COMMANDS = ["deploy", "diff", "destroy", "synth"] as const;
export type StackCommand = (typeof STACK_COMMANDS)[number];

export interface DeployOptions {
  readonly command: StackCommand;
  /** AWS profile for the account check and for Terraform; undefined: the SDK's default chain. */
  readonly profile?: string;
  /** Everything else, handed to cdktf as given (`--auto-approve`, stack names, ...). */
  readonly cdktfArgs: readonly string[];
  /** Restart the debugger's expiry clock: it answers DEBUG_TTL_HOURS from now again. */
  readonly extend: boolean;
  readonly help: boolean;
}

export const DEPLOY_USAGE = `Usage: npm run deploy | diff | destroy -- [--profile NAME] [cdktf options]
       npm run synth

Checks the configuration, then which AWS account and region the stack goes to (the SDK's
default credential chain: AWS_PROFILE, ~/.aws, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, SSO,
instance roles) and prints it in one line; only then runs cdktf. synth needs no credentials.

  --profile <name>   AWS profile to use, for the check and for Terraform (sets AWS_PROFILE)
  --extend           deploy, diff: restart the debugger's expiry clock, so that it forwards for
                     DEBUG_TTL_HOURS (default 24) from now; without it, the time stamped at
                     the first deploy stays
  --help             this text
  Any other option goes to cdktf as given, e.g. --auto-approve (see npx cdktf deploy --help).

Exit codes: cdktf's own, or 2 for a configuration or credentials problem (nothing was run).`;

/** argv after the script name: the command first (package.json gives it), then the user's. */
export function parseDeployOptions(argv: readonly string[]): DeployOptions {
  const [command, ...rest] = argv;
  if (!(STACK_COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`The first argument must be one of ${STACK_COMMANDS.join(", ")}, got "${command ?? ""}"`);
  }
  let profile: string | undefined;
  let help = false;
  let extend = false;
  const cdktfArgs: string[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index];
    if (arg === "--help" || arg === "-h") {
      help = true;
    } else if (arg === "--extend") {
      if (command !== "deploy" && command !== "diff") throw new UsageError(`--extend is for deploy and diff, not ${command}`);
      extend = true;
    } else if (arg === "--profile" || arg.startsWith("--profile=")) {
      profile = arg === "--profile" ? rest[(index += 1)] : arg.slice("--profile=".length);
      if (!profile || profile.startsWith("-")) throw new UsageError("--profile needs a profile name, e.g. --profile dev");
    } else {
      cdktfArgs.push(arg);
    }
  }
  return { command: command as StackCommand, profile, cdktfArgs, extend, help };
}

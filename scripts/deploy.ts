/**
 * `npm run deploy | diff | destroy | synth`: the preflight (configuration, then which AWS
 * account and region, in one line), who approves, then the stack synthesized by the cdktf
 * library and Terraform run on it (scripts/deploy/stack-run.ts). No cdktf-cli: nothing native,
 * no pseudo-terminal, plain output without a terminal.
 */
import { ConfigError } from "../infra/config";
import { UsageError } from "./cli/usage-error";
import { decideApproval } from "./deploy/approval";
import { PreflightError } from "./deploy/aws-account";
import { DEPLOY_USAGE, DeployOptions, parseDeployOptions } from "./deploy/deploy-options";
import { runPreflight } from "./deploy/preflight";
import { runStackCommand } from "./deploy/stack-run";

const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  let options: DeployOptions;
  try {
    options = parseDeployOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${DEPLOY_USAGE}`);
    return EXIT_USAGE;
  }
  if (options.help) {
    console.log(DEPLOY_USAGE);
    return 0;
  }

  // The SDK's notice about its own future Node support is not the user's concern here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  let stackName: string;
  try {
    const { lines, config } = await runPreflight(options);
    for (const line of lines) console.log(line);
    stackName = config!.stackName;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof PreflightError)) throw error;
    console.error(error.message);
    return EXIT_USAGE;
  }
  // After the account line, so the user sees where it would have gone; before any synth.
  const approval = decideApproval(options, process.stdin.isTTY === true);
  if (approval.kind === "refused") {
    console.error(approval.line);
    return EXIT_USAGE;
  }
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  return runStackCommand({ options, approval, stackName, projectDir: process.cwd(), color });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    // Unexpected: still one line, not a stack trace (DEBUG=1 shows it).
    console.error(process.env.DEBUG ? error : `npm run ${process.argv[2] ?? "deploy"} failed: ${(error as Error).message ?? error}`);
    process.exit(EXIT_USAGE);
  },
);

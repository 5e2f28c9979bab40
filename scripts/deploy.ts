/**
 * `npm run deploy | diff | destroy | synth`: the preflight (configuration, then which AWS
 * account and region, in one line), then cdktf itself with its own output. `npx cdktf …`
 * still works; this only makes the target explicit and the failures short.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { ConfigError } from "../infra/config";
import { EXPIRY_CLOCK_ADDRESS } from "../infra/expiry-clock-address";
import { UsageError } from "./cli/usage-error";
import { PreflightError } from "./deploy/aws-account";
import { DEPLOY_USAGE, DeployOptions, parseDeployOptions } from "./deploy/deploy-options";
import { runPreflight } from "./deploy/preflight";

const EXIT_USAGE = 2;
const CDKTF = resolve(__dirname, "../node_modules/.bin/cdktf");

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
  try {
    const { lines } = await runPreflight(options);
    for (const line of lines) console.log(line);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof PreflightError)) throw error;
    console.error(error.message);
    return EXIT_USAGE;
  }
  return runCdktf(options);
}

/** cdktf in the foreground, its output as it comes; a TERM or INT sent to this process is
 * passed on, so that `kill <pid>` stops Terraform the way Ctrl-C does. */
function runCdktf(options: DeployOptions): Promise<number> {
  const env = {
    ...process.env,
    // Else, offline, cdktf prints a red [ERROR] for the version check it could not send.
    CHECKPOINT_DISABLE: "1",
    ...(options.profile ? { AWS_PROFILE: options.profile } : {}),
    // cdktf passes no -replace, but Terraform reads extra arguments from TF_CLI_ARGS_<command>.
    ...(options.extend ? { TF_CLI_ARGS_plan: `-replace=${EXPIRY_CLOCK_ADDRESS}`, TF_CLI_ARGS_apply: `-replace=${EXPIRY_CLOCK_ADDRESS}` } : {}),
  };
  const child = spawn(CDKTF, [options.command, ...options.cdktfArgs], { stdio: "inherit", env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolvePromise) => {
    child.on("error", (error) => {
      console.error(`Could not run ${CDKTF}: ${error.message} (run npm ci first)`);
      resolvePromise(EXIT_USAGE);
    });
    child.on("close", (code, signal) => resolvePromise(code ?? 128 + (signal === "SIGINT" ? 2 : 15)));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(EXIT_USAGE);
  },
);

/**
 * `npm run verify`: once after a deploy, proves that the deployed path (API Gateway's mapping
 * templates and the Lambda) carries Alexa's request and the answer byte for byte, or names the
 * layer that altered them.
 */
import { useFingerprintKey } from "../functions/token-url/fingerprint";
import { parseFingerprintKey } from "../functions/token-url/fingerprint-key";
import { safeJson } from "../functions/token-url/record-exit";
import { resolve } from "node:path";
import { ConfigError, loadConfig, logGroupOf } from "../infra/config";
import { TOKEN_PATH } from "../infra/api-routes";
import { exitQuietlyOnBrokenPipe } from "./cli/broken-pipe";
import { readClientSecret } from "./cli/client-secret";
import { UsageError } from "./cli/usage-error";
import { NoDeployedStack, readDeployedStack } from "./link/deployed-stack";
import { describeAwsError } from "./logs/aws-errors";
import { cloudWatchLogsClient, CloudWatchSource } from "./logs/cloudwatch-source";
import { LocalFileSource } from "./logs/local-source";
import { outputLayout } from "./report/output-layout";
import { renderVerifyReport } from "./verify/render-verify";
import { runVerify } from "./verify/run-verify";
import { parseVerifyOptions, VERIFY_USAGE } from "./verify/verify-options";

const EXIT = { faithful: 0, altered: 1, blocked: 1, "not-the-debugger": 1, usage: 2, unreachable: 2, "records-missing": 3 } as const;

async function main(argv: string[]): Promise<number> {
  let options;
  let config;
  let tokenUrl: string;
  let clientSecret: string | undefined;
  try {
    options = parseVerifyOptions(argv);
    if (options.help) {
      console.log(VERIFY_USAGE);
      return 0;
    }
    config = loadConfig();
    tokenUrl = options.tokenUrl ?? (options.local ? `http://127.0.0.1:${config.localPort}/${TOKEN_PATH}` : readDeployedStack(config).tokenUrl);
    // The deployed Lambda fingerprints with its stack's key: verify compares fingerprints of
    // the canary values with the records', so it must use the same key.
    const deployedKey = options.local || options.tokenUrl ? undefined : parseFingerprintKey(readDeployedStack(config).fingerprintKey);
    if (deployedKey) useFingerprintKey(deployedKey);
    // Without --client-id every credential is made up, whatever ALEXA_CLIENT_SECRET holds.
    clientSecret = options.clientId === undefined ? undefined : await readClientSecret(options.clientSecretStdin);
    if (options.clientId !== undefined && clientSecret === undefined) {
      throw new UsageError("--client-id needs the client secret, from ALEXA_CLIENT_SECRET or --client-secret-stdin");
    }
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError || error instanceof NoDeployedStack)) throw error;
    console.error(error.message);
    if (error instanceof UsageError) console.error(`\n${VERIFY_USAGE}`);
    return EXIT.usage;
  }

  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = options.region ?? config.region;
  const logGroup = options.logGroup ?? logGroupOf(config);
  const source = options.local
    ? new LocalFileSource(resolve(config.localRecordsFile))
    : new CloudWatchSource(await cloudWatchLogsClient({ region, profile: options.profile, maxAttempts: 6 }), logGroup);
  let report;
  try {
    report = await runVerify({
      tokenUrl,
      source,
      credentials: options.clientId === undefined ? undefined : { clientId: options.clientId, clientSecret: clientSecret! },
      waitMs: options.waitMs,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const network = /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|CERT_|UNABLE_|DEPTH_|ERR_TLS)/.test(code) || /no answer from/.test((error as Error).message);
    const message = network
      ? `Could not send verify's requests to ${tokenUrl}: ${(error as Error).message}${options.local ? " (is npm start running?)" : ""}`
      : options.local
        ? `Reading ${config.localRecordsFile} failed: ${(error as Error).message}`
        : describeAwsError(error, { region, logGroup });
    // A secret can sit in no error this command prints; scrub it anyway.
    console.error(clientSecret ? message.split(clientSecret).join("[redacted]") : message);
    return EXIT.usage;
  }
  const layout = outputLayout(process.stdout, process.env, options.json ? false : options.color);
  process.stdout.write(`${options.json ? safeJson(report) : renderVerifyReport(report, { color: layout.color })}\n`);
  return EXIT[report.verdict];
}

exitQuietlyOnBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);

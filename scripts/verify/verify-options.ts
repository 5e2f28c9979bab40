import { parseArgs } from "node:util";
import { UsageError } from "../cli/usage-error";

export interface VerifyOptions {
  /** undefined: the deployed stack's token_url (with --local: the local runtime's). */
  readonly tokenUrl?: string;
  readonly local: boolean;
  readonly json: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly logGroup?: string;
  /** Proxy mode: the skill's client id, so that the upstream judges a valid client. */
  readonly clientId?: string;
  readonly clientSecretStdin: boolean;
  /** How long to keep looking for records still being ingested. */
  readonly waitMs: number;
  /** undefined: decide by the terminal; false: --no-color. */
  readonly color?: boolean;
  readonly help: boolean;
}

export const VERIFY_USAGE = `Usage: npm run verify -- [options]

Checks, once after a deploy, that the deployed path (API Gateway's templates and the Lambda)
carries Alexa's request and the answer byte for byte. It sends a few Alexa-shaped requests with
made-up canary values, finds their attempt records by the X-Token-Debugger-Attempt header, and
compares what was sent and answered with what was recorded (and, in proxy mode, with the same
request sent straight to your token URL, with a made-up code that it refuses anyway).

  --token-url <url>      the debugger to check (default: the deployed stack's token_url)
  --local                check the local runtime (npm start) and read its records file
  --json                 the report as one JSON object
  --client-id <id>       proxy mode: your skill's client id; the secret comes from
                         ALEXA_CLIENT_SECRET or --client-secret-stdin (without --client-id,
                         client id and secret are made up, and ALEXA_CLIENT_SECRET is not read)
  --client-secret-stdin  read the client secret from standard input
  --region <region>      AWS region of the stack (default: AWS_REGION, then cdktf.json, us-east-1)
  --profile <name>       AWS profile to use
  --log-group <name>     log group to read (default: /aws/lambda/<STACK_NAME>-token-url)
  --wait <seconds>       keep looking this long for records still being ingested (default 30)
  --no-color             no colors (also when NO_COLOR is set or stdout is not a terminal)

Exit codes: 0 faithful; 1 altered, blocked by API Gateway, or not the debugger (an AWS emulator,
a proxy); 2 usage, config or AWS error, or a host that does not resolve; 3 records not found in time.`;

export function parseVerifyOptions(argv: string[]): VerifyOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        "token-url": { type: "string" },
        local: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        region: { type: "string" },
        profile: { type: "string" },
        "log-group": { type: "string" },
        "client-id": { type: "string" },
        "client-secret-stdin": { type: "boolean", default: false },
        wait: { type: "string", default: "30" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const tokenUrl = values["token-url"];
  if (tokenUrl !== undefined && !/^https?:\/\/[^/]/i.test(tokenUrl)) {
    throw new UsageError(`--token-url must be an http(s) URL, got "${tokenUrl}"`);
  }
  const wait = Number(values.wait);
  if (!Number.isFinite(wait) || wait < 0 || wait > 300) throw new UsageError(`--wait must be 0 to 300 seconds, got "${values.wait}"`);
  if (values["client-secret-stdin"] && !values["client-id"]) {
    throw new UsageError("--client-secret-stdin needs --client-id: the secret belongs to a client");
  }
  return {
    tokenUrl,
    local: values.local,
    json: values.json,
    region: values.region,
    profile: values.profile,
    logGroup: values["log-group"],
    clientId: values["client-id"],
    clientSecretStdin: values["client-secret-stdin"],
    waitMs: wait * 1000,
    color: values["no-color"] ? false : values.color,
    help: values.help,
  };
}

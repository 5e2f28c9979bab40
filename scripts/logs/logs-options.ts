import { parseArgs } from "node:util";
import { UsageError } from "../cli/usage-error";
import { htmlPathOf } from "../report/html-file";

export interface LogsOptions {
  readonly sinceMs: number;
  readonly limit: number;
  readonly follow: boolean;
  /** Every attempt in the window, grouped into link chains (code exchange → refreshes). */
  readonly timeline: boolean;
  readonly attemptId?: string;
  readonly json: boolean;
  /** --html: also write the report (the newest attempt in full) as an HTML page to this file. */
  readonly html?: string;
  readonly local: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly logGroup?: string;
  /** undefined: decide by the terminal; false: --no-color. */
  readonly color?: boolean;
  /** How long to keep looking for a record that is still being ingested. */
  readonly waitMs: number;
  readonly help: boolean;
}

export const LOGS_USAGE = `Usage: npm run logs -- [options]

Shows the latest Alexa token request the debugger recorded, with its diagnosis.

  --since <age>        how far back to look: 90s, 30m, 6h, 7d (default 1d)
  --limit <n>          the last n attempts, newest first, one line each, then the newest in full
  --request-id <id>    the attempt with this API Gateway request id
  --follow             keep watching and print each new attempt as it lands (Ctrl-C stops)
  --timeline           every attempt in the window as link chains: the code exchange, then each
                       refresh that used the token it issued, and where the chain broke
  --json               attempt records only, one JSON object per line (with --timeline: one
                       {"type":"link-chain",…} per chain, newest first)
  --html <file>        also write the report (or the timeline) as one self-contained HTML page,
                       to share with the token URL's owners (its path goes to stderr; not
                       with --follow)
  --local              read the local runtime's file (npm start) instead of CloudWatch
  --region <region>    AWS region of the stack (default: AWS_REGION, then cdktf.json, us-east-1)
  --profile <name>     AWS profile to use (default: AWS_PROFILE / the SDK's default chain)
  --log-group <name>   log group to read (default: /aws/lambda/<STACK_NAME>-token-url)
  --wait <seconds>     keep looking this long for a record still being ingested (default 5)
  --no-color           no colors (also when NO_COLOR is set or stdout is not a terminal)

Exit codes: 0 pass or warn, 1 the attempt failed (with --timeline: the newest chain is broken or has lapsed),
2 usage, config or AWS error, 3 no attempt found.`;


const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m" → 1,800,000. */
export function parseAge(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new UsageError(`--since must look like 90s, 30m, 6h or 7d, got "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** 1,800,000 → "30m": the largest unit that divides the age. */
export function formatAge(ms: number): string {
  const unit = ["d", "h", "m", "s"].find((candidate) => ms % UNIT_MS[candidate] === 0) ?? "s";
  return `${Math.round(ms / UNIT_MS[unit])}${unit}`;
}

export function parseLogsOptions(argv: string[]): LogsOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        since: { type: "string", default: "1d" },
        limit: { type: "string" },
        follow: { type: "boolean", default: false },
        timeline: { type: "boolean", default: false },
        "request-id": { type: "string" },
        json: { type: "boolean", default: false },
        html: { type: "string" },
        local: { type: "boolean", default: false },
        region: { type: "string" },
        profile: { type: "string" },
        "log-group": { type: "string" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        wait: { type: "string", default: "5" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.timeline) {
    const clash = (["limit", "follow", "request-id"] as const).find((name) => values[name] !== undefined && values[name] !== false);
    if (clash) throw new UsageError(`--timeline shows every attempt in the window; it does not combine with --${clash}`);
  }
  const limit = Number(values.limit ?? "1");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
  }
  if (values.html !== undefined && values.follow) throw new UsageError("--html writes one report; it does not go with --follow");
  const wait = Number(values.wait);
  if (!Number.isFinite(wait) || wait < 0 || wait > 300) throw new UsageError(`--wait must be 0 to 300 seconds, got "${values.wait}"`);
  return {
    sinceMs: parseAge(values.since),
    limit,
    follow: values.follow,
    timeline: values.timeline,
    attemptId: values["request-id"],
    json: values.json,
    ...(values.html !== undefined && { html: htmlPathOf(values.html) }),
    local: values.local,
    region: values.region,
    profile: values.profile,
    logGroup: values["log-group"],
    color: values["no-color"] ? false : values.color,
    waitMs: wait * 1000,
    help: values.help,
  };
}

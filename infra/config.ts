/**
 * The one place that reads configuration: environment variables win over the `context` of
 * cdktf.json. main.ts and the scripts call `loadConfig()`; everything deeper receives the
 * resolved `Config` as props and never reads `process.env` itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AMAZON_MIN_ACCESS_TOKEN_SECONDS } from "../functions/token-url/diagnosis/lifetime-rules";
import { isLocalRuntimeUrl, isLoopbackUrl } from "../functions/token-url/diagnosis/url-rules";

export type Mode = "dummy" | "proxy";

export interface StateBackend {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

export interface Config {
  readonly mode: Mode;
  /** The real token URL that proxy mode forwards to; undefined in dummy mode without one. */
  readonly tokenUrl?: string;
  readonly region: string;
  readonly stackName: string;
  /** Gives up on the upstream's answer after this long; the Lambda timeout is set above it. */
  readonly upstreamTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Retry without certificate checks after a TLS failure, to show what the server would say. */
  readonly tlsBypass: boolean;
  readonly logRetentionDays: number;
  /** Undefined means no reservation (accounts at the minimum quota of 10 reject any). */
  readonly reservedConcurrency?: number;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  /** Undefined means local state (terraform.<stack>.tfstate beside cdktf.json). */
  readonly stateBackend?: StateBackend;
  /** Where the local runtime (`npm start`) appends its attempt records, one JSON per line. */
  readonly localRecordsFile: string;
  /** The local runtime's port on 127.0.0.1. */
  readonly localPort: number;
  /** Host names the local runtime accepts besides this machine's own (a tunnel's, e.g.
   * abc.ngrok.app); "*" accepts any Host, which gives up the DNS-rebinding defence. */
  readonly localAllowedHosts: readonly string[];
  /** Hours a deployed debugger answers before it expires, counted from its first deploy (or
   * `npm run deploy -- --extend`); 0 means never. */
  readonly debugTtlHours: number;
  /** For `npm start` only (tests use it): the expiry a deploy would stamp; undefined: never. */
  readonly localExpiresAt?: string;
  /** Lines worth a user's attention that do not stop anything, e.g. a setting that is ignored. */
  readonly notices: readonly string[];
  /** Seconds Alexa is told a token lasts (`expires_in`), so it refreshes within minutes;
   * undefined (the default) passes the server's own value on untouched. */
  readonly expiresInOverride?: number;
}

/** Names a user can set, as environment variables or as keys of cdktf.json's `context`. */
export const CONFIG_NAMES = [
  "MODE",
  "TOKEN_URL",
  "ALLOW_HTTP_TOKEN_URL",
  "AWS_REGION",
  "STACK_NAME",
  "UPSTREAM_TIMEOUT_MS",
  "CONNECT_TIMEOUT_MS",
  "TLS_BYPASS",
  "EXPIRES_IN_OVERRIDE",
  "LOG_RETENTION_DAYS",
  "RESERVED_CONCURRENCY",
  "THROTTLE_RATE_LIMIT",
  "THROTTLE_BURST_LIMIT",
  "STATE_BUCKET",
  "STATE_KEY",
  "STATE_REGION",
  "LOCAL_RECORDS_FILE",
  "PORT",
  "ALLOWED_HOSTS",
  "DEBUG_TTL_HOURS",
  "DEBUGGER_EXPIRES_AT",
] as const;

export type ConfigName = (typeof CONFIG_NAMES)[number];
export type ConfigSource = Partial<Record<ConfigName, string | undefined>>;

export const DEFAULT_STACK_NAME = "token-url-debugger";
export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_LOCAL_RECORDS_FILE = ".local/token-attempts.jsonl";
/** A day: enough for a debugging session, short enough that a forgotten wrapper soon stops. */
export const DEFAULT_DEBUG_TTL_HOURS = 24;
// 30 days: longer is "production", which Amazon says a wrapper must not be; 0 says so explicitly.
const MAX_DEBUG_TTL_HOURS = 720;

/** The Lambda's name, and so its log group's: the stack and `npm run logs` must agree. */
export function functionNameOf(config: Pick<Config, "stackName">): string {
  return `${config.stackName}-token-url`;
}

export function logGroupOf(config: Pick<Config, "stackName">): string {
  return lambdaLogGroupName(functionNameOf(config));
}

/** The group Lambda logs to, by its fixed naming rule. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** The function's environment: what the Lambda reads in AWS, and what the local runtime hands
 * the same handler, so both run with identical settings. */
export function functionEnvironment(config: Config): Record<string, string> {
  return {
    MODE: config.mode,
    ...(config.tokenUrl ? { TOKEN_URL: config.tokenUrl } : {}),
    UPSTREAM_TIMEOUT_MS: String(config.upstreamTimeoutMs),
    CONNECT_TIMEOUT_MS: String(config.connectTimeoutMs),
    TLS_BYPASS: String(config.tlsBypass),
    ...(config.expiresInOverride !== undefined ? { EXPIRES_IN_OVERRIDE: String(config.expiresInOverride) } : {}),
  };
}

// API Gateway ends every integration at 29 s; the Lambda needs a few seconds above the
// upstream timeout to log its record, so the upstream must give up well before that.
const MAX_UPSTREAM_TIMEOUT_MS = 25_000;

// A minute is the shortest lifetime that still leaves Alexa time to use a token; a day is as
// long as a debugging session needs (longer is what servers already do without help). Below
// Amazon's 360 s minimum is accepted, with a warning (notices).
export const EXPIRES_IN_OVERRIDE_RANGE = { min: 60, max: 86_400 } as const;

// The only values CloudWatch Logs accepts for retentionInDays.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
];

/** A config problem, phrased as the one line the user sees. */
export class ConfigError extends Error {
  constructor(
    readonly variable: ConfigName,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = "ConfigError";
  }
}

/** Resolves and validates config from the environment over cdktf.json's context. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  projectDir: string = process.cwd(),
): Config {
  return resolveConfig({
    ...pickConfigNames(readCdktfContext(projectDir)),
    ...pickConfigNames(env),
  });
}

/** Pure: validates an already merged source. Throws ConfigError naming the variable. */
export function resolveConfig(source: ConfigSource): Config {
  const value = (name: ConfigName): string | undefined => {
    const raw = source[name]?.trim();
    return raw === "" ? undefined : raw;
  };

  const tokenUrl = value("TOKEN_URL");
  const mode = parseMode(value("MODE"), tokenUrl);
  if (tokenUrl !== undefined) {
    checkTokenUrl(tokenUrl, parseBoolean("ALLOW_HTTP_TOKEN_URL", value("ALLOW_HTTP_TOKEN_URL")));
  } else if (mode === "proxy") {
    throw new ConfigError("TOKEN_URL", "is required when MODE=proxy (the real token URL to wrap)");
  }

  const region = value("AWS_REGION") ?? DEFAULT_REGION;
  checkRegion("AWS_REGION", region);
  const stackName = value("STACK_NAME") ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(stackName)) {
    throw new ConfigError(
      "STACK_NAME",
      `must be 1-40 letters, digits or hyphens starting with a letter (it prefixes AWS resource names), got "${stackName}"`,
    );
  }

  const upstreamTimeoutMs = parseInteger(value("UPSTREAM_TIMEOUT_MS"), "UPSTREAM_TIMEOUT_MS", {
    fallback: 10_000,
    min: 100,
    max: MAX_UPSTREAM_TIMEOUT_MS,
  });
  const connectTimeoutMs = parseInteger(value("CONNECT_TIMEOUT_MS"), "CONNECT_TIMEOUT_MS", {
    fallback: 3_000,
    min: 100,
    max: upstreamTimeoutMs,
  });
  const logRetentionDays = parseInteger(value("LOG_RETENTION_DAYS"), "LOG_RETENTION_DAYS", {
    fallback: 3,
    min: 1,
    max: 3653,
  });
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw new ConfigError(
      "LOG_RETENTION_DAYS",
      `must be one of ${RETENTION_DAYS.join(", ")} (the values CloudWatch Logs accepts), got ${logRetentionDays}`,
    );
  }
  const expiresInRaw = value("EXPIRES_IN_OVERRIDE");
  const expiresInOverride =
    expiresInRaw === undefined ? undefined : parseInteger(expiresInRaw, "EXPIRES_IN_OVERRIDE", EXPIRES_IN_OVERRIDE_RANGE);
  const reservedRaw = value("RESERVED_CONCURRENCY");
  const reservedConcurrency =
    reservedRaw === undefined
      ? undefined
      : parseInteger(reservedRaw, "RESERVED_CONCURRENCY", { min: 1, max: 1000 });

  return {
    mode,
    tokenUrl,
    region,
    stackName,
    upstreamTimeoutMs,
    connectTimeoutMs,
    tlsBypass: parseBoolean("TLS_BYPASS", value("TLS_BYPASS")),
    logRetentionDays,
    reservedConcurrency,
    throttleRateLimit: parseInteger(value("THROTTLE_RATE_LIMIT"), "THROTTLE_RATE_LIMIT", {
      fallback: 5,
      min: 1,
      max: 10_000,
    }),
    throttleBurstLimit: parseInteger(value("THROTTLE_BURST_LIMIT"), "THROTTLE_BURST_LIMIT", {
      fallback: 10,
      min: 1,
      max: 5_000,
    }),
    stateBackend: parseStateBackend(value, stackName, region),
    localRecordsFile: value("LOCAL_RECORDS_FILE") ?? DEFAULT_LOCAL_RECORDS_FILE,
    localPort: parseInteger(value("PORT"), "PORT", { fallback: 8787, min: 0, max: 65_535 }),
    localAllowedHosts: parseAllowedHosts(value("ALLOWED_HOSTS")),
    debugTtlHours: parseDebugTtlHours(value("DEBUG_TTL_HOURS")),
    localExpiresAt: parseInstant("DEBUGGER_EXPIRES_AT", value("DEBUGGER_EXPIRES_AT")),
    notices: [
      ...(mode === "dummy" && tokenUrl !== undefined
        ? ["TOKEN_URL is ignored in dummy mode (MODE=dummy answers every request itself); unset MODE to wrap it."]
        : []),
      ...(expiresInOverride !== undefined && expiresInOverride < AMAZON_MIN_ACCESS_TOKEN_SECONDS
        ? [
            `warning: EXPIRES_IN_OVERRIDE=${expiresInOverride} is below Amazon's minimum access token lifetime of ` +
              `${AMAZON_MIN_ACCESS_TOKEN_SECONDS} seconds (account linking FAQ), so Alexa is told a lifetime it does not ` +
              `expect and the test may not show what real users see; use ${AMAZON_MIN_ACCESS_TOKEN_SECONDS} or more.`,
          ]
        : []),
    ],
    expiresInOverride,
  };
}

/**
 * A plain-http loopback TOKEN_URL is fine for `npm start` (it is this machine), but a
 * deployed Lambda would call its own loopback: refuse it before anything is synthesized.
 */
export function checkDeployable(config: Config): void {
  if (config.mode === "proxy" && config.tokenUrl !== undefined && isLoopbackUrl(config.tokenUrl)) {
    throw new ConfigError(
      "TOKEN_URL",
      `points at this machine (${config.tokenUrl}), which a deployed Lambda cannot reach; use npm start to test against it, or deploy in front of the real https token URL`,
    );
  }
}

function parseMode(raw: string | undefined, tokenUrl: string | undefined): Mode {
  if (raw === undefined) return tokenUrl === undefined ? "dummy" : "proxy";
  const mode = raw.toLowerCase();
  if (mode === "dummy" || mode === "proxy") return mode;
  throw new ConfigError("MODE", `must be "dummy" or "proxy", got "${raw}"`);
}

function checkTokenUrl(raw: string, allowHttp: boolean): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("TOKEN_URL", `is not a valid URL: "${raw}"`);
  }
  checkNoSecretInUrl(url);
  if (url.protocol === "https:") return;
  // Loopback is local testing (npm start in front of a server on this machine), as in the probe.
  if (allowHttp ? url.protocol === "http:" : isLocalRuntimeUrl(raw)) return;
  if (url.protocol === "http:") {
    throw new ConfigError(
      "TOKEN_URL",
      `must use https (Alexa only calls https token URLs), got "${raw}"; set ALLOW_HTTP_TOKEN_URL=true to wrap a plain-http server anyway`,
    );
  }
  throw new ConfigError("TOKEN_URL", `must be an https URL, got "${raw}"`);
}

// Query names that carry a credential. Alexa sends the client secret in the Authorization header
// or the body, never in the URL: one in TOKEN_URL would sit in the Lambda's environment, the
// Terraform state and outputs, and every record.
const SECRET_QUERY_NAME = /secret|passw|pwd|token|^code$|code_verifier|api[-_]?key|^key$|assertion|credential|signature|^sig$|^auth/i;

/** Refuses user info or a secret-looking query parameter, naming only what is wrong: the line
 * never repeats a value (it goes to terminals and CI logs). */
function checkNoSecretInUrl(url: URL): void {
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(
      "TOKEN_URL",
      `must not carry user info ("user:password@" before the host of ${where}): it would be stored in the Lambda's environment, Terraform state and every record; Alexa sends the client credentials itself (Authorization header or body)`,
    );
  }
  const names = [...new Set([...url.searchParams.keys()].filter((name) => SECRET_QUERY_NAME.test(name)))];
  if (names.length > 0) {
    throw new ConfigError(
      "TOKEN_URL",
      `must not carry a secret in its query (${names.map((name) => `"${name}"`).join(", ")} in ${where}): it would be stored in the Lambda's environment, Terraform state and every record; remove it and let the client send its credentials`,
    );
  }
}

function parseAllowedHosts(raw: string | undefined): string[] {
  const hosts = (raw ?? "").split(",").map((host) => host.trim().toLowerCase()).filter((host) => host !== "");
  for (const host of hosts) {
    if (host !== "*" && !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new ConfigError("ALLOWED_HOSTS", `must be host names (a tunnel's, like abc.ngrok.app), comma-separated, or *, got "${host}"`);
    }
  }
  return hosts;
}

function checkRegion(name: ConfigName, region: string): void {
  if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(region)) {
    throw new ConfigError(name, `is not an AWS region name (like us-east-1), got "${region}"`);
  }
}

function parseBoolean(name: ConfigName, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const normalized = raw.toLowerCase();
  if (["true", "1", "yes"].includes(normalized)) return true;
  if (["false", "0", "no"].includes(normalized)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function parseInteger(
  raw: string | undefined,
  name: ConfigName,
  range: { fallback?: number; min: number; max: number },
): number {
  if (raw === undefined && range.fallback !== undefined) return range.fallback;
  if (raw === undefined || !/^\d+$/.test(raw)) {
    throw new ConfigError(name, `must be a whole number, got "${raw ?? ""}"`);
  }
  const parsed = Number(raw);
  if (parsed < range.min || parsed > range.max) {
    throw new ConfigError(name, `must be between ${range.min} and ${range.max}, got ${parsed}`);
  }
  return parsed;
}

function parseDebugTtlHours(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_DEBUG_TTL_HOURS;
  // 0 (never) is allowed but never a default: a forgotten wrapper would forward tokens for good.
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_DEBUG_TTL_HOURS) {
    throw new ConfigError(
      "DEBUG_TTL_HOURS",
      `must be a whole number of hours from 1 to ${MAX_DEBUG_TTL_HOURS}, or 0 for never, got "${raw}"`,
    );
  }
  return Number(raw);
}

/** An ISO 8601 instant with a time zone, as Terraform's timeadd() writes it. */
function parseInstant(name: ConfigName, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
  if (!iso.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new ConfigError(name, `must be an ISO 8601 time with a zone, like 2026-12-02T21:00:00Z, got "${raw}"`);
  }
  return new Date(raw).toISOString();
}

function parseStateBackend(
  value: (name: ConfigName) => string | undefined,
  stackName: string,
  region: string,
): StateBackend | undefined {
  const bucket = value("STATE_BUCKET");
  if (bucket === undefined) {
    for (const name of ["STATE_KEY", "STATE_REGION"] as const) {
      if (value(name) !== undefined) {
        throw new ConfigError(name, "needs STATE_BUCKET (remote state lives in an S3 bucket)");
      }
    }
    return undefined;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError("STATE_BUCKET", `is not a valid S3 bucket name, got "${bucket}"`);
  }
  const stateRegion = value("STATE_REGION") ?? region;
  checkRegion("STATE_REGION", stateRegion);
  return { bucket, key: value("STATE_KEY") ?? `${stackName}/terraform.tfstate`, region: stateRegion };
}

function readCdktfContext(projectDir: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(join(projectDir, "cdktf.json"), "utf8");
  } catch {
    return {}; // scripts may run outside the project; env variables still apply
  }
  return JSON.parse(text).context ?? {};
}

function pickConfigNames(record: Record<string, unknown>): ConfigSource {
  const picked: ConfigSource = {};
  for (const name of CONFIG_NAMES) {
    const raw = record[name];
    if (raw !== undefined && raw !== null) picked[name] = String(raw);
  }
  return picked;
}

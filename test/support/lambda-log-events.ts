/**
 * CloudWatch log events rendered the way AWS Lambda (Node.js 22 managed runtime) writes them for
 * one invocation of the token-url function, in either log format (DESIGN §4 "Lambda + logs").
 *
 * Application lines follow the runtime interface client (aws-lambda-nodejs-runtime-interface-
 * client, `LogPatch.js` / `logging/formatter.ts`), which Lambda feeds through its telemetry file
 * descriptor, one frame per console call:
 *   - text: `<ISO time>\t<requestId>\t<LEVEL>\t<util.format(args)>\n` (the trailing newline is part
 *     of the CloudWatch message; a multi-line message, such as a stack, stays ONE event);
 *   - JSON: `{"timestamp","level","requestId","message"}` with no trailing newline. With a single
 *     argument `message` is that argument as is: the handler's `console.log(JSON.stringify(record))`
 *     therefore lands as a JSON *string* holding the record, while `console.log(record)` would land
 *     as a nested object. Both are rendered here (`jsonMessage`); "string" is what handler.ts does.
 *     An Error argument becomes `{errorType, errorMessage, stackTrace: [...lines], ...own props}`.
 *
 * Platform lines follow the AWS Lambda documentation:
 *   - text: `INIT_START Runtime Version: …\tRuntime Version ARN: …\n` (cold start only),
 *     `START RequestId: <id> Version: $LATEST\n`, `END RequestId: <id>\n`,
 *     `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\t
 *     Max Memory Used: 71 MB\tInit Duration: 180.12 ms\t\n` (Init Duration only on a cold start);
 *   - JSON (`logging_config { log_format = "JSON" }`, system log level INFO): these follow the AWS
 *     docs for Lambda JSON logs ("Configuring JSON and plain text log formats" and the Telemetry API
 *     schema they reuse): `{"time","type":"platform.initStart","record":{initializationType, phase,
 *     runtimeVersion, runtimeVersionArn}}` on a cold start, `{"time","type":"platform.start",
 *     "record":{"requestId","version":"$LATEST"}}` and `{"time","type":"platform.report","record":
 *     {"requestId","metrics":{durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB,
 *     initDurationMs?},"status":"success"}}`. JSON format has no counterpart of the END line.
 *
 * Output a process writes past the console (Node's own warnings go to stderr through its internal
 * console) reaches CloudWatch as raw text in both formats, one event per line.
 */
import { randomUUID } from "node:crypto";
import { format } from "node:util";
import { AttemptRecord } from "../../functions/token-url/attempt-record";

export type LambdaLogFormat = "text" | "json";

/** One PutLogEvents input event. */
export interface LambdaLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export type ConsoleLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

/** The parts of an Error the runtime prints. Own enumerable properties (code, errno, …) go in `props`. */
export interface ErrorShape {
  readonly name: string;
  readonly message: string;
  /** Full `error.stack`, first line included. */
  readonly stack: string;
  readonly props?: Record<string, string | number | boolean | null>;
}

/**
 * Something else the function printed during the invocation:
 * - a string: one raw stdout/stderr line, written to CloudWatch as is in both formats;
 * - `{ level, message }`: a console call with one argument (console.warn("…"), console.error(err)).
 */
export type ExtraLine = string | { readonly level: ConsoleLevel; readonly message: string | ErrorShape };

export interface InvocationOptions {
  /** Lambda's request id (context.awsRequestId); not the API Gateway id the record carries. */
  readonly requestId: string;
  /** When the record line is written; the other lines sit a few milliseconds around it. */
  readonly time: Date;
  /** The attempt record the handler logs; null for an invocation that logged none. */
  readonly record: object | null;
  readonly format: LambdaLogFormat;
  /** JSON format only: how the record sits in `message` (default "string", as handler.ts logs it). */
  readonly jsonMessage?: "string" | "object";
  /** A cold start: adds INIT_START / platform.initStart and the REPORT's Init Duration. */
  readonly coldStartMs?: number;
  /** Printed after START and before the record, one millisecond apart. */
  readonly extraLines?: readonly ExtraLine[];
  readonly durationMs?: number;
  readonly memorySizeMb?: number;
  readonly maxMemoryUsedMb?: number;
}

export const RUNTIME_VERSION = "nodejs:22.v47";
export const RUNTIME_VERSION_ARN =
  "arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9";

/** What Node prints (raw, on stderr) when TLS_BYPASS sets NODE_TLS_REJECT_UNAUTHORIZED=0: two
 * raw lines, which Lambda stores as two events. */
export const TLS_BYPASS_WARNING_LINES: readonly string[] = [
  "(node:2) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections " +
    "and HTTPS requests insecure by disabling certificate verification.\n",
  "(Use `node --trace-warnings ...` to show where the warning was created)\n",
];

/** A typical socket error as console.error(error) prints it. */
export const CONNECTION_REFUSED_ERROR: ErrorShape = {
  name: "Error",
  message: "connect ECONNREFUSED 203.0.113.10:443",
  stack:
    "Error: connect ECONNREFUSED 203.0.113.10:443\n" +
    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1634:16)",
  props: { errno: -111, code: "ECONNREFUSED", syscall: "connect", address: "203.0.113.10", port: 443 },
};

/**
 * The CloudWatch events of one invocation, in time order, timestamps strictly increasing:
 * [INIT_START <] START < extra lines < record < END < REPORT.
 */
export function lambdaInvocationLines(options: InvocationOptions): LambdaLogEvent[] {
  const { requestId, format: logFormat } = options;
  const recordAt = options.time.getTime();
  const extras = options.extraLines ?? [];
  const startAt = recordAt - extras.length - 1;
  const events: LambdaLogEvent[] = [];
  const at = (timestamp: number, message: string) => events.push({ timestamp, message });

  if (options.coldStartMs !== undefined) {
    const initAt = startAt - Math.max(1, Math.round(options.coldStartMs));
    at(initAt, initStartLine(logFormat, new Date(initAt)));
  }
  at(startAt, startLine(logFormat, requestId, new Date(startAt)));
  extras.forEach((extra, index) => {
    const when = new Date(startAt + 1 + index);
    at(when.getTime(), typeof extra === "string" ? extra : consoleLine(logFormat, requestId, when, extra.level, extra.message));
  });
  if (options.record !== null) {
    at(recordAt, recordLine(logFormat, requestId, options.time, options.record, options.jsonMessage));
  }
  if (logFormat === "text") at(recordAt + 1, `END RequestId: ${requestId}\n`);
  at(
    recordAt + 2,
    reportLine(logFormat, requestId, new Date(recordAt + 2), {
      durationMs: options.durationMs ?? 12.34,
      billedDurationMs: Math.ceil(options.durationMs ?? 12.34),
      memorySizeMb: options.memorySizeMb ?? 256,
      maxMemoryUsedMb: options.maxMemoryUsedMb ?? 71,
      initDurationMs: options.coldStartMs,
    }),
  );
  return events;
}

/** The handler's `console.log(JSON.stringify(record))` (or `console.log(record)` with jsonMessage "object"). */
export function recordLine(
  logFormat: LambdaLogFormat,
  requestId: string,
  time: Date,
  record: object,
  jsonMessage: "string" | "object" = "string",
): string {
  const text = JSON.stringify(record);
  if (logFormat === "text") return `${time.toISOString()}\t${requestId}\tINFO\t${text}\n`;
  return JSON.stringify({
    timestamp: time.toISOString(),
    level: "INFO",
    requestId,
    message: jsonMessage === "string" ? text : record,
  });
}

/** A console call with one argument, as the runtime frames it. */
export function consoleLine(
  logFormat: LambdaLogFormat,
  requestId: string,
  time: Date,
  level: ConsoleLevel,
  message: string | ErrorShape,
): string {
  if (logFormat === "text") {
    const printed = typeof message === "string" ? message : format(asError(message));
    return `${time.toISOString()}\t${requestId}\t${level}\t${printed}\n`;
  }
  const body =
    typeof message === "string"
      ? message
      : {
          errorType: message.name,
          errorMessage: message.message,
          stackTrace: message.stack.split("\n"),
          ...message.props,
        };
  return JSON.stringify({ timestamp: time.toISOString(), level, requestId, message: body });
}

export function startLine(logFormat: LambdaLogFormat, requestId: string, time: Date): string {
  if (logFormat === "text") return `START RequestId: ${requestId} Version: $LATEST\n`;
  return JSON.stringify({ time: time.toISOString(), type: "platform.start", record: { requestId, version: "$LATEST" } });
}

export function initStartLine(logFormat: LambdaLogFormat, time: Date): string {
  if (logFormat === "text") {
    return `INIT_START Runtime Version: ${RUNTIME_VERSION}\tRuntime Version ARN: ${RUNTIME_VERSION_ARN}\n`;
  }
  return JSON.stringify({
    time: time.toISOString(),
    type: "platform.initStart",
    record: {
      initializationType: "on-demand",
      phase: "init",
      runtimeVersion: RUNTIME_VERSION,
      runtimeVersionArn: RUNTIME_VERSION_ARN,
    },
  });
}

export interface ReportMetrics {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Only on a cold start. */
  readonly initDurationMs?: number;
}

export function reportLine(logFormat: LambdaLogFormat, requestId: string, time: Date, metrics: ReportMetrics): string {
  if (logFormat === "text") {
    const init = metrics.initDurationMs === undefined ? "" : `Init Duration: ${metrics.initDurationMs.toFixed(2)} ms\t`;
    return (
      `REPORT RequestId: ${requestId}\tDuration: ${metrics.durationMs.toFixed(2)} ms\t` +
      `Billed Duration: ${metrics.billedDurationMs} ms\tMemory Size: ${metrics.memorySizeMb} MB\t` +
      `Max Memory Used: ${metrics.maxMemoryUsedMb} MB\t${init}\n`
    );
  }
  return JSON.stringify({
    time: time.toISOString(),
    type: "platform.report",
    record: {
      requestId,
      metrics: {
        durationMs: metrics.durationMs,
        billedDurationMs: metrics.billedDurationMs,
        memorySizeMB: metrics.memorySizeMb,
        maxMemoryUsedMB: metrics.maxMemoryUsedMb,
        ...(metrics.initDurationMs === undefined ? {} : { initDurationMs: metrics.initDurationMs }),
      },
      status: "success",
    },
  });
}

/**
 * The attempt record inside one log event of either format, or undefined: a test oracle, kept
 * independent of the logs CLI's own parser.
 */
export function recordFromLambdaMessage(message: string): AttemptRecord | undefined {
  let payload: unknown;
  if (message.startsWith("{")) {
    const line = parseJson(message) as { message?: unknown } | undefined;
    payload = typeof line?.message === "string" ? parseJson(line.message) : line?.message;
  } else {
    const fields = message.replace(/\n$/, "").split("\t");
    if (fields.length < 4) return undefined;
    payload = parseJson(fields.slice(3).join("\t"));
  }
  return typeof payload === "object" && payload !== null && (payload as { type?: unknown }).type === "token-attempt"
    ? (payload as AttemptRecord)
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A minimal record that satisfies the contract (DESIGN §3.2): a dummy-mode answer to an
 * Alexa-shaped request. Overrides replace top-level fields. */
export function sampleAttemptRecord(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    type: "token-attempt",
    version: 1,
    attemptId: randomUUID(),
    time: new Date().toISOString(),
    mode: "dummy",
    verdict: "pass",
    request: {
      clientAuth: "basic",
      grantType: "authorization_code",
      contentType: "application/x-www-form-urlencoded;charset=UTF-8",
      sourceIp: "52.94.133.131",
      fields: {
        grant_type: "authorization_code",
        code: "[redacted: 20 chars, sha256 3f2a9c1e]",
        redirect_uri: "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA",
      },
      duplicateFields: [],
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        authorization: "Basic [client_id: alexa-skill; secret: 32 chars, sha256 9b8e7d6c]",
        "user-agent": "Apache-HttpClient/UNAVAILABLE (Java/1.8.0_412)",
      },
    },
    upstream: null,
    response: { status: 200, contentType: "application/json;charset=UTF-8" },
    findings: [
      {
        code: "DUMMY_RESPONSE",
        severity: "info",
        message: "Answered with a dummy token; the real token URL was not called.",
        fix: "Set TOKEN_URL to pass requests on to your token URL.",
      },
    ],
    ...overrides,
  };
}

/** A proxy-mode upstream part, for records that need one. */
export function sampleUpstream(url = "https://auth.example.com/oauth2/token"): NonNullable<AttemptRecord["upstream"]> {
  return {
    url,
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: '{"access_token":"[redacted: 64 chars, sha256 1a2b3c4d]","token_type":"bearer","expires_in":3600}',
    bodyBytes: 98,
    bodyCapped: false,
    timings: { dnsMs: 1, connectMs: 2, tlsMs: 5, ttfbMs: 30, totalMs: 31 },
    tls: null,
    error: null,
  };
}

function asError(shape: ErrorShape): Error {
  const error = new Error(shape.message);
  Object.defineProperty(error, "name", { value: shape.name, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(error, "stack", { value: shape.stack, enumerable: false, writable: true, configurable: true });
  return Object.assign(error, shape.props);
}

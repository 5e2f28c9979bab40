/**
 * Reads one CloudWatch log event as the token-url Lambda wrote it, in either of Lambda's log
 * formats: text (`<time>\t<requestId>\tINFO\t<message>`, `REPORT RequestId: …`) or JSON
 * (`{"timestamp","level","requestId","message"}`, `{"type":"platform.report",…}`).
 */
import { AttemptRecord, ATTEMPT_RECORD_TYPE } from "../../functions/token-url/attempt-record";
import { sealRecord } from "../../functions/token-url/record-exit";
import { SHAPE_SCRUBBER } from "../../functions/token-url/scrubber";
import { isObject, parseJson } from "../../functions/token-url/diagnosis/answer-body";
import { LambdaReport } from "../report/render-attempt";
import { isReadableRecord } from "./readable-record";

export type LogLine =
  | { readonly kind: "attempt"; readonly record: AttemptRecord; readonly lambdaRequestId: string | null }
  | { readonly kind: "report"; readonly lambdaRequestId: string; readonly report: LambdaReport }
  /** It says it is an attempt record, but not one the reports can read (cut, edited, not
   * JSON): counted and skipped (readable-record.ts). */
  | { readonly kind: "unreadable" }
  | { readonly kind: "other" };

const OTHER: LogLine = { kind: "other" };
const UNREADABLE: LogLine = { kind: "unreadable" };
// What a record's own JSON holds, also when a log pipeline cut it short.
const CLAIMS_RECORD = /"type"\s*:\s*"token-attempt"/;

export function parseLogLine(message: string): LogLine {
  const trimmed = message.trim();
  if (trimmed.startsWith("{")) return parseJsonFormat(trimmed);
  if (trimmed.startsWith("REPORT RequestId:")) return parseTextReport(trimmed);
  // <time>\t<requestId>\t<LEVEL>\t<message>
  const fields = /^\S+\t(\S+)\t\w+\t([\s\S]*)$/.exec(trimmed);
  if (!fields) return OTHER;
  const record = asAttemptRecord(fields[2]);
  if (record === undefined) return CLAIMS_RECORD.test(fields[2]) ? UNREADABLE : OTHER;
  return { kind: "attempt", record, lambdaRequestId: fields[1] };
}

function parseJsonFormat(text: string): LogLine {
  const line = parseJson(text);
  if (!isObject(line)) return CLAIMS_RECORD.test(text) ? UNREADABLE : OTHER;
  if (line.type === "platform.report" && isObject(line.record)) {
    const { requestId, metrics } = line.record;
    if (typeof requestId !== "string" || !isObject(metrics)) return OTHER;
    return {
      kind: "report",
      lambdaRequestId: requestId,
      report: {
        durationMs: Number(metrics.durationMs),
        billedDurationMs: optionalNumber(metrics.billedDurationMs),
        memorySizeMb: optionalNumber(metrics.memorySizeMB),
        maxMemoryUsedMb: optionalNumber(metrics.maxMemoryUsedMB),
        initDurationMs: optionalNumber(metrics.initDurationMs),
      },
    };
  }
  // A bare record is a line of the local runtime's file; in Lambda's JSON format the handler's
  // JSON string arrives as a string message.
  const message = line.type === ATTEMPT_RECORD_TYPE ? line : line.message;
  const record = asAttemptRecord(message);
  if (!record) return claimsRecord(message) ? UNREADABLE : OTHER;
  return { kind: "attempt", record, lambdaRequestId: typeof line.requestId === "string" ? line.requestId : null };
}

function parseTextReport(text: string): LogLine {
  const requestId = /RequestId: (\S+)/.exec(text)?.[1];
  const duration = metric(text, "Duration");
  if (!requestId || duration === undefined) return OTHER;
  return {
    kind: "report",
    lambdaRequestId: requestId,
    report: {
      durationMs: duration,
      billedDurationMs: metric(text, "Billed Duration"),
      memorySizeMb: metric(text, "Memory Size"),
      maxMemoryUsedMb: metric(text, "Max Memory Used"),
      initDurationMs: metric(text, "Init Duration"),
    },
  };
}

function metric(text: string, name: string): number | undefined {
  const match = new RegExp(`(?:^|\\t)${name}: ([\\d.]+)`).exec(text);
  return match ? Number(match[1]) : undefined;
}

function asAttemptRecord(message: unknown): AttemptRecord | undefined {
  const value = typeof message === "string" ? parseJson(message) : message;
  if (!isObject(value) || value.type !== ATTEMPT_RECORD_TYPE) return undefined;
  // Sealed again on the way in: records of older versions were scrubbed less (record-exit.ts).
  const sealed = sealRecord(value as unknown as AttemptRecord, SHAPE_SCRUBBER);
  return isReadableRecord(sealed) ? sealed : undefined;
}

function claimsRecord(message: unknown): boolean {
  return typeof message === "string" ? CLAIMS_RECORD.test(message) : isObject(message) && message.type === ATTEMPT_RECORD_TYPE;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

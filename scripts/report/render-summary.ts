/**
 * One line per attempt, for `npm run logs -- --limit N`: when, the verdict, the mode and
 * grant, what the token URL answered, how long it took, and the fault that matters most.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { createStyle } from "./style";
import { displayWidth, fitLine, Segment, truncate, utcDateTime } from "./text";
import { bySeverity, severityMark, verdictMark } from "./verdict";

export interface RenderSummaryOptions {
  /** ANSI colors on; decide with shouldUseColor(). */
  color: boolean;
  /** Columns; @default 80 */
  width?: number;
}

// Columns padded to their usual widest value, so a list of attempts lines up.
const MODE_WIDTH = 5; // "proxy", "probe", "dummy"
const GRANT_WIDTH = 7; // "refresh"
const ANSWER_WIDTH = 3; // "200"
const MS_WIDTH = 7; // "25000ms": the longest upstream timeout

// The two grants Alexa sends, shortened: the line has 80 columns for eight facts. Any other
// grant is shown whole.
const SHORT_GRANTS: Record<string, string> = { authorization_code: "code", refresh_token: "refresh" };

/**
 * `2026-11-24 19:00:00Z ✗ proxy code    401    42ms CLIENT_AUTH_REJECTED`, at most `width`
 * columns. The answer column holds the HTTP status, or the transport error's code when there
 * is one ("-" in dummy mode); the last column the first error, else warning, else info. When
 * the line is too long the transport error's code gives way first (it is also in the full
 * report), then the end of the line, each cut marked with "…".
 */
export function renderSummaryLine(record: AttemptRecord, options: RenderSummaryOptions): string {
  const width = Math.max(1, options.width ?? 80);
  const style = createStyle(options.color);
  const { mark, paint } = verdictMark(record.verdict, style);
  const upstream = record.upstream;
  const grant = record.request.grantType ?? "-";
  const finding = bySeverity(record.findings)[0];
  const before: Segment[] = [
    { text: `${utcDateTime(record.time)}Z `, paint: style.dim },
    { text: mark, paint: (text) => style.bold(paint(text)) },
    { text: ` ${record.mode.padEnd(MODE_WIDTH)} ${(SHORT_GRANTS[grant] ?? grant).padEnd(GRANT_WIDTH)} ` },
  ];
  const after: Segment[] = [
    { text: ` ${(upstream ? `${upstream.timings.totalMs}ms` : "-").padStart(MS_WIDTH)} ` },
    { text: finding?.code ?? "-", paint: finding ? severityMark(finding.severity, style).paint : undefined },
  ];
  const room = width - [...before, ...after].reduce((sum, segment) => sum + displayWidth(segment.text), 0);
  const answer: Segment = {
    text: truncate(answerOf(record).padEnd(ANSWER_WIDTH), Math.max(ANSWER_WIDTH, room)),
    paint: answered(record) ? undefined : style.red,
  };
  return fitLine([...before, answer, ...after], width);
}

function answerOf(record: AttemptRecord): string {
  const upstream = record.upstream;
  if (!upstream) return "-";
  return upstream.error?.code ?? String(upstream.status ?? "-");
}

/** A 2xx with no transport error, or the dummy's answer. */
function answered(record: AttemptRecord): boolean {
  const upstream = record.upstream;
  if (!upstream) return true;
  return upstream.error === null && upstream.status !== null && upstream.status >= 200 && upstream.status < 300;
}

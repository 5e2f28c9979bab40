/**
 * One line per attempt that reads as a sentence, with no legend to learn: printed by
 * `npm start` for each request, and by `npm run logs -- --limit N` (with the time) for each
 * attempt listed.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { createStyle } from "./style";
import { fitLine, Segment, utcDateTime } from "./text";
import { leadingFinding, severityMark, verdictMark } from "./verdict";

export interface RenderSummaryOptions {
  /** ANSI colors on; decide with shouldUseColor(). */
  color: boolean;
  /** Columns; Infinity keeps the line whole (a pipe). @default 80 */
  width?: number;
  /** Starts the line with the attempt's date and UTC time. @default false */
  time?: boolean;
}

/**
 * `✗ FAIL proxy authorization_code → 502 TLS_INCOMPLETE_CHAIN (attempt 9f0c…)`: the
 * verdict, the mode, the grant, what the caller got back (Alexa's answer from the debugger;
 * for a probe, the token URL's), the finding that explains the verdict, and the attempt id
 * to find the full report with. At most `width` columns: a longer line ends in "…", which
 * on a terminal cuts the attempt id first.
 */
export function renderSummaryLine(record: AttemptRecord, options: RenderSummaryOptions): string {
  const style = createStyle(options.color);
  const { mark, word, paint } = verdictMark(record.verdict, style);
  const finding = leadingFinding(record.findings) ?? record.findings[0];
  const status = record.response.status > 0 ? String(record.response.status) : "no answer";
  const segments: Segment[] = [
    ...(options.time ? [{ text: `${utcDateTime(record.time)}Z `, paint: style.dim }] : []),
    { text: `${mark} ${word}`, paint: (text) => style.bold(paint(text)) },
    { text: ` ${record.mode} ${record.request.grantType ?? "(no grant_type)"} → ${status}` },
    ...(finding ? [{ text: ` ${finding.code}`, paint: severityMark(finding.severity, style).paint }] : []),
    { text: ` (attempt ${record.attemptId})`, paint: style.dim },
  ];
  return fitLine(segments, Math.max(1, options.width ?? 80));
}

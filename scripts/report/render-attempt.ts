/**
 * The terminal report for one attempt record, shared by `npm run logs` and `npm run probe`:
 * the verdict first, then what Alexa sent, what the token URL did, where the time went, the
 * certificate chain, the Lambda's own figures, and the findings with their fixes. Pure: a
 * record in, text out. The record is already redacted; this only lays it out.
 */
import { STATUS_CODES } from "node:http";
import { AttemptRecord, DeadlineSummary, UpstreamSummary } from "../../functions/token-url/attempt-record";
import { ClientAuth } from "../../functions/token-url/client-auth";
import { alexaRegionOf } from "../../functions/token-url/diagnosis/alexa-region";
import { CertificateSummary, TlsFacts, UpstreamTimings } from "../../functions/token-url/diagnosis/exchange";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { IF_LINKING_STILL_FAILS_TITLE, nextStepsFor } from "./linking-next-steps";
import { createStyle, Paint, Style } from "./style";
import { printable, utcDateTime, wrap, wrapExact } from "./text";
import { timingBar, timingLegend, timingPhases } from "./timing-bar";
import { bySeverity, severityMark, verdictMark, verdictSentence } from "./verdict";

/** The Lambda's REPORT line for the invocation that wrote the record (CloudWatch only). */
export interface LambdaReport {
  durationMs: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
}

export interface RenderAttemptOptions {
  /** ANSI colors on; decide with shouldUseColor(). */
  color: boolean;
  /** Columns, at least 40 (a narrower value is taken as 40). @default 80 */
  width?: number;
  /** Adds the Lambda section; only `logs` has one. @default no Lambda section */
  lambdaReport?: LambdaReport;
  /**
   * Never split a value (a URL, a fingerprint, a header) across lines; prose still wraps, at
   * spaces only. For a pipe or a file, where a cut value no longer works when copied or
   * grepped. @default false: a terminal, where everything fits `width`
   */
  keepValuesWhole?: boolean;
}

export interface Layout {
  readonly width: number;
  readonly style: Style;
  readonly keepValuesWhole: boolean;
}

/** A value to show, painted as a whole after it is wrapped. */
type Value = string | { readonly text: string; readonly paint: Paint };

const DEFAULT_WIDTH = 80;
const INDENT = 2;
// Wide enough for the longest label ("authorization") and a space.
const VALUE_COLUMN = 17;
// Below this a report is not readable anyway; it keeps every wrap width positive.
const MIN_WIDTH = 40;
const BODY_MAX_LINES = 20;
const BODY_MAX_CHARS = 1500;
const BODY_GUTTER = "    | ";
const DAY_MS = 24 * 60 * 60 * 1000;
// The same window as TLS_CERT_EXPIRING_SOON.
const EXPIRING_SOON_MS = 14 * DAY_MS;

/** The Alexa console's words for each client-auth scheme ("Your Authentication Scheme"). */
const CLIENT_AUTH_WORDS: Record<ClientAuth, string> = {
  basic: '"HTTP Basic" (Authorization header)',
  body: '"Credentials in request body" (client_id and client_secret fields)',
  both: 'both "HTTP Basic" header and "Credentials in request body"',
  none: "none (no client credentials sent)",
};

// Request headers that have their own row.
const REQUEST_HEADER_ROWS = new Set(["content-type", "user-agent", "authorization"]);

// The answer's headers that decide how Alexa reads it, and those that name a WAF or CDN in
// front of the token URL (the usual cause of a 403 that only Alexa gets).
const TELLING_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "cache-control",
  "pragma",
  "www-authenticate",
  "location",
  "server",
  "via",
  "x-cache",
  "x-iinfo",
]);
const TELLING_HEADER_PREFIXES = ["cf-", "x-amzn-", "x-amz-cf-", "x-akamai-", "x-sucuri-"];

/** The whole report, lines at most `width` columns (ANSI codes aside), no trailing newline. */
export function renderAttempt(record: AttemptRecord, options: RenderAttemptOptions): string {
  const layout = layoutOf(options);
  const upstream = record.upstream;
  const sections: string[][] = [
    verdictLines(record, layout),
    requestSection(record, layout),
    upstream ? upstreamSection(record, upstream, layout) : [],
    record.schemeRetry ? schemeRetrySection(record.schemeRetry, layout) : [],
    upstream || record.deadline ? timingSection(upstream?.timings ?? null, record.deadline, layout) : [],
    upstream?.tls ? tlsSection(upstream.tls, record.time, layout) : [],
    options.lambdaReport ? lambdaSection(options.lambdaReport, layout) : [],
    findingsSection(record.findings, layout),
    nextStepsSection(record, layout),
  ];
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n");
}

function verdictLines(record: AttemptRecord, layout: Layout): string[] {
  const { style, width } = layout;
  const { mark, word, paint } = verdictMark(record.verdict, style);
  const label = `${mark} ${word}`;
  const indent = label.length + 2;
  const sentence = prose(verdictSentence(record), width - indent, layout);
  const when = `${formatTime(record.time)}  ${record.mode}  attempt ${record.attemptId}`;
  return [
    ...hanging(`${style.bold(paint(label))}  `, " ".repeat(indent), sentence),
    ...prose(when, width, layout).map(style.dim),
  ];
}

function requestSection(record: AttemptRecord, layout: Layout): string[] {
  const { request } = record;
  const redirectUri = request.fields.redirect_uri;
  const otherHeaders = Object.keys(request.headers).filter((name) => !REQUEST_HEADER_ROWS.has(name));
  const fields = Object.entries(request.fields).map(([name, value]) => `${name}=${value}`);
  return [
    heading("Request", layout),
    ...row("grant type", [request.grantType ?? "(none)"], layout),
    ...row("client auth", [CLIENT_AUTH_WORDS[request.clientAuth]], layout),
    ...(redirectUri === undefined
      ? []
      : [...row("redirect_uri", [redirectUri], layout), ...row("Alexa region", [alexaRegion(redirectUri, layout.style)], layout)]),
    ...row("content type", [request.contentType ?? "(none)"], layout),
    ...(request.sourceIp === null ? [] : row("source IP", [request.sourceIp], layout)),
    ...optionalRow("user agent", request.headers["user-agent"], layout),
    ...row("fields", fields.length > 0 ? fields : ["(none)"], layout),
    ...(request.duplicateFields.length > 0
      ? row("repeated", [{ text: request.duplicateFields.join(", "), paint: layout.style.yellow }], layout)
      : []),
    ...optionalRow("authorization", request.headers.authorization, layout),
    ...(otherHeaders.length > 0 ? row("other headers", [otherHeaders.join(", ")], layout) : []),
  ];
}

function alexaRegion(redirectUri: string, style: Style): Value {
  const region = alexaRegionOf(redirectUri);
  return region ? `${region.region} (${region.host})` : { text: "not an Alexa redirect host", paint: style.yellow };
}

function upstreamSection(record: AttemptRecord, upstream: UpstreamSummary, layout: Layout): string[] {
  const { style } = layout;
  const shown = Object.entries(upstream.headers).filter(([name]) => isTellingHeader(name));
  const hidden = Object.keys(upstream.headers).filter((name) => !isTellingHeader(name));
  const headers: Value[] = [
    ...shown.map(([name, value]) => `${name}: ${value}`),
    ...(hidden.length > 0 ? [{ text: `(+${hidden.length} more: ${hidden.join(", ")})`, paint: style.dim }] : []),
  ];
  const error = upstream.error;
  // No status and no body: the exchange failed before an answer, so there is nothing to list.
  const answered = upstream.status !== null || upstream.body !== "";
  return [
    heading("Upstream", layout),
    ...row("URL", [upstream.url], layout),
    ...row("status", [statusValue(upstream.status, style)], layout),
    ...(error ? row("error", [{ text: `${error.code}: ${error.message}`, paint: style.red }], layout) : []),
    // A probe has no Alexa behind it: its response is the token URL's own answer, shown above.
    ...(record.mode === "probe"
      ? []
      : row("to Alexa", [[record.response.status, record.response.contentType].filter((part) => part !== null).join(", ")], layout)),
    ...(answered ? row("headers", headers.length > 0 ? headers : ["(none)"], layout) : []),
    ...(answered ? row("body", [bodySize(upstream)], layout) : []),
    ...bodyLines(upstream.body, layout),
  ];
}

/** The probe's second request, with the other client-auth scheme: what it sent and what came back. */
function schemeRetrySection(retry: NonNullable<AttemptRecord["schemeRetry"]>, layout: Layout): string[] {
  const { upstream } = retry;
  return [
    heading("Retried with the other scheme", layout),
    ...row("client auth", [CLIENT_AUTH_WORDS[retry.request.clientAuth]], layout),
    ...row("status", [statusValue(upstream.status, layout.style)], layout),
    ...(upstream.error
      ? row("error", [{ text: `${upstream.error.code}: ${upstream.error.message}`, paint: layout.style.red }], layout)
      : []),
    ...bodyLines(upstream.body, layout),
  ];
}

function isTellingHeader(name: string): boolean {
  return TELLING_HEADERS.has(name) || TELLING_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function statusValue(status: number | null, style: Style): Value {
  if (status === null) return { text: "no answer", paint: style.red };
  const reason = STATUS_CODES[status];
  const text = reason ? `${status} ${reason}` : String(status);
  return { text, paint: status >= 200 && status < 300 ? style.green : style.red };
}

function bodySize(upstream: UpstreamSummary): string {
  if (upstream.bodyBytes === 0) return "(empty)";
  const bytes = `${upstream.bodyBytes} bytes`;
  return upstream.bodyCapped ? `${bytes} (the capture stopped at 1 MiB)` : bytes;
}

/** The start of the body under a gutter, cut at whole lines, with how much is left out. */
function bodyLines(body: string, layout: Layout): string[] {
  if (body === "") return [];
  const text = printable(body);
  const paragraphs = wrapExact(text, layout.width - BODY_GUTTER.length, { cutLongWords: !layout.keepValuesWhole });
  const shown: string[] = [];
  let consumed = 0;
  outer: for (const [index, paragraph] of paragraphs.entries()) {
    for (const line of paragraph) {
      const length = [...line].length;
      if (shown.length === BODY_MAX_LINES || consumed + length > BODY_MAX_CHARS) break outer;
      shown.push(line.trimEnd());
      consumed += length;
    }
    if (index < paragraphs.length - 1) consumed += 1; // the newline
  }
  const left = [...text].length - consumed;
  const gutter = layout.style.dim(BODY_GUTTER.trimEnd());
  const note = `… ${left} more characters (the whole body: --json)`;
  return [
    ...shown.map((line) => (line === "" ? gutter : `${gutter} ${line}`)),
    ...(left > 0 ? prose(note, layout.width - 4, layout).map((line) => `    ${layout.style.dim(line)}`) : []),
  ];
}

function timingSection(timings: UpstreamTimings | null, deadline: DeadlineSummary | undefined, layout: Layout): string[] {
  const phases = timings ? timingPhases(timings, layout.style) : [];
  const indent = " ".repeat(INDENT);
  return [
    heading("Timing", layout),
    ...(timings ? row("total", [`${timings.totalMs} ms`], layout) : []),
    ...(deadline ? row("Alexa waited", [deadlineValue(deadline, layout.style)], layout) : []),
    ...(phases.length > 0
      ? [
          indent + timingBar(phases, layout.width - INDENT),
          ...timingLegend(phases, layout.width - INDENT).map((line) => indent + line),
        ]
      : []),
  ];
}

/** "4712 of 4500 ms (token URL 4300 ms, debugger 412 ms), too late": red past the deadline. */
function deadlineValue(deadline: DeadlineSummary, style: Style): Value {
  const shares = [
    deadline.upstreamMs === null ? undefined : `token URL ${deadline.upstreamMs} ms`,
    deadline.debuggerMs === null ? undefined : `debugger ${deadline.debuggerMs} ms`,
  ].filter((part) => part !== undefined);
  const text = `${deadline.waitedMs} of ${deadline.limitMs} ms` + (shares.length > 1 ? ` (${shares.join(", ")})` : "");
  return deadline.waitedMs > deadline.limitMs ? { text: `${text}, too late`, paint: style.red } : text;
}

function tlsSection(tls: TlsFacts, time: string, layout: Layout): string[] {
  const { style } = layout;
  const verified: Value = tls.authorized
    ? { text: "yes", paint: style.green }
    : { text: `no: ${tls.verifyError ?? "the handshake did not complete"}`, paint: style.red };
  const bypassed: Value = tls.bypassed
    ? { text: "yes: TLS_BYPASS let the request go on; Alexa would have stopped here", paint: style.yellow }
    : "no";
  const count = tls.chain.length;
  return [
    heading("TLS", layout),
    ...row("protocol", [tls.protocol ? [tls.protocol, tls.cipher].filter(Boolean).join(", ") : "(no handshake)"], layout),
    ...row("verified", [verified], layout),
    ...row("bypassed", [bypassed], layout),
    ...row("chain", [count === 0 ? "(none received)" : `${count} certificate${count === 1 ? "" : "s"}, leaf first`], layout),
    ...tls.chain.flatMap((certificate, index) => certificateRows(certificate, index + 1, time, layout)),
  ];
}

function certificateRows(certificate: CertificateSummary, position: number, time: string, layout: Layout): string[] {
  const subject: Value[] = [certificate.subject || "(empty subject)"];
  if (certificate.selfSigned) subject.push({ text: "(self-signed)", paint: layout.style.dim });
  const validity: Value[] = [`${formatTime(certificate.validFrom)} to ${formatTime(certificate.validTo)}`];
  const standing = validityStanding(certificate, time, layout.style);
  if (standing) validity.push(standing);
  return [
    ...row(`${position}. subject`, subject, layout, 3),
    ...row("issuer", [certificate.issuer || "(empty issuer)"], layout, 6),
    ...row("valid", validity, layout, 6),
    ...(certificate.subjectAltNames.length > 0 ? row("names", [certificate.subjectAltNames.join(", ")], layout, 6) : []),
  ];
}

/** Expired, not yet valid or expiring soon, judged at the attempt's own time, not today's:
 * an old record must read as it did then. */
function validityStanding(certificate: CertificateSummary, time: string, style: Style): Value | undefined {
  const at = Date.parse(time);
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if ([at, from, to].some(Number.isNaN)) return undefined;
  if (at > to) return { text: `EXPIRED ${span(at - to)} before this attempt`, paint: style.red };
  if (at < from) return { text: `NOT YET VALID: starts ${span(from - at)} after this attempt`, paint: style.red };
  if (to - at < EXPIRING_SOON_MS) return { text: `expires ${span(to - at)} after this attempt`, paint: style.yellow };
  return undefined;
}

function span(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return hours >= 1 ? `${hours} hour${hours === 1 ? "" : "s"}` : "less than an hour";
}

function lambdaSection(report: LambdaReport, layout: Layout): string[] {
  const billed = report.billedDurationMs === undefined ? "" : `, billed ${report.billedDurationMs} ms`;
  const memory = [
    report.maxMemoryUsedMb === undefined ? undefined : `${report.maxMemoryUsedMb} MB used`,
    report.memorySizeMb === undefined ? undefined : `of ${report.memorySizeMb} MB`,
  ].filter((part) => part !== undefined);
  return [
    heading("Lambda", layout),
    ...row("duration", [`${report.durationMs} ms${billed}`], layout),
    ...(memory.length > 0 ? row("memory", [memory.join(" ")], layout) : []),
    ...(report.initDurationMs === undefined
      ? []
      : row("cold start", [{ text: `init ${report.initDurationMs} ms`, paint: layout.style.yellow }], layout)),
  ];
}

/** Findings alone under a heading of their own (link shows the skill's settings this way). */
export function renderFindings(title: string, findings: readonly Finding[], options: RenderAttemptOptions): string {
  return findingsSection(findings, layoutOf(options), title).join("\n");
}

function layoutOf(options: RenderAttemptOptions): Layout {
  return {
    width: Math.max(MIN_WIDTH, options.width ?? DEFAULT_WIDTH),
    style: createStyle(options.color),
    keepValuesWhole: options.keepValuesWhole ?? false,
  };
}

function findingsSection(findings: readonly Finding[], layout: Layout, title = "Findings"): string[] {
  if (findings.length === 0) return [heading(title, layout), "  none"];
  return [heading(title, layout), ...bySeverity(findings).flatMap((finding) => findingLines(finding, layout))];
}

/** The "if linking still fails" guidance, numbered, each with its source. */
function nextStepsSection(record: AttemptRecord, layout: Layout): string[] {
  const steps = nextStepsFor(record);
  if (steps.length === 0) return [];
  return [
    heading(IF_LINKING_STILL_FAILS_TITLE, layout),
    ...steps.flatMap((step, index) => [
      ...hanging(`  ${index + 1}. `, "     ", prose(step.text, layout.width - 5, layout)),
      ...hanging(`     ${layout.style.dim("source:")} `, " ".repeat(13), prose(step.source, layout.width - 13, layout)),
    ]),
  ];
}

/** One finding as the report shows it (mark, code, message, fix), shared with the timeline. */
export function findingLines(finding: Finding, layout: Layout): string[] {
  const { style, width } = layout;
  const { mark, paint } = severityMark(finding.severity, style);
  const title = prose(`${finding.code} (${finding.severity})`, width - 4, layout);
  return [
    ...hanging(`  ${paint(mark)} `, "    ", title.map(style.bold)),
    ...prose(finding.message, width - 4, layout).map((line) => `    ${line}`),
    ...hanging(`    ${style.dim("fix:")} `, " ".repeat(9), prose(finding.fix, width - 9, layout)),
  ];
}

function heading(title: string, layout: Layout): string {
  return layout.style.bold(layout.style.cyan(title));
}

/** "  label          value", each value wrapped under the value column, the label on the first line only. */
function row(label: string, values: readonly Value[], layout: Layout, indent = INDENT): string[] {
  const lines = values.flatMap((value) => {
    const { text, paint } = typeof value === "string" ? { text: value, paint: undefined } : value;
    const lines = layout.keepValuesWhole ? printable(text).split("\n") : wrap(text, layout.width - VALUE_COLUMN);
    return lines.map((line) => (paint ? paint(line) : line));
  });
  const first = `${" ".repeat(indent)}${label}`.padEnd(VALUE_COLUMN);
  return hanging(first, " ".repeat(VALUE_COLUMN), lines);
}

/** Sentences wrapped at `width`; a word longer than a line (a URL in a message) is cut only
 * on a terminal. */
function prose(text: string, width: number, layout: Layout): string[] {
  return wrap(text, width, { cutLongWords: !layout.keepValuesWhole });
}

function optionalRow(label: string, value: string | undefined, layout: Layout): string[] {
  return value === undefined ? [] : row(label, [value], layout);
}

/** The first line after `first`, the rest after `rest`: a hanging indent. */
function hanging(first: string, rest: string, lines: readonly string[]): string[] {
  return lines.map((line, index) => `${index === 0 ? first : rest}${line}`.trimEnd());
}

/** "2026-11-24 19:00:00 UTC"; anything unparseable as it came. */
function formatTime(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? iso : `${utcDateTime(iso)} UTC`;
}

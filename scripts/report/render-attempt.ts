/**
 * The terminal report for one attempt record, shared by `npm run logs` and `npm run probe`:
 * the report model (report-model.ts) laid out as text, wrapped to the width and painted.
 * The verdict first, then what Alexa sent, what the token URL did, where the time went, the
 * certificate chain, the Lambda's own figures, and the findings with their fixes.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { IF_LINKING_STILL_FAILS_TITLE, NextStep } from "./linking-next-steps";
import { AttemptReport, buildAttemptReport, CertificateModel, LambdaReport, ReportSection, ReportValue, Tone } from "./report-model";
import { createStyle, Paint, Style } from "./style";
import { printable, wrap, wrapExact } from "./text";
import { paintedPhases, timingBar, timingLegend } from "./timing-bar";
import { bySeverity, severityMark, verdictMark } from "./verdict";

export type { LambdaReport } from "./report-model";

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

/** The whole report, lines at most `width` columns (ANSI codes aside), no trailing newline. */
export function renderAttempt(record: AttemptRecord, options: RenderAttemptOptions): string {
  return renderAttemptReport(buildAttemptReport(record, options.lambdaReport), options);
}

/** The report for a model already built (the HTML renderer takes the same model). */
export function renderAttemptReport(report: AttemptReport, options: RenderAttemptOptions): string {
  const layout = layoutOf(options);
  const sections: string[][] = [
    verdictLines(report, layout),
    ...report.sections.map((section) => sectionLines(section, layout)),
    findingsSection(report.findings, layout),
    nextStepsSection(report.nextSteps, layout),
  ];
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n");
}

function verdictLines(report: AttemptReport, layout: Layout): string[] {
  const { style, width } = layout;
  const { mark, word, paint } = verdictMark(report.verdict, style);
  const label = `${mark} ${word}`;
  const indent = label.length + 2;
  const sentence = prose(report.sentence, width - indent, layout);
  return [
    ...hanging(`${style.bold(paint(label))}  `, " ".repeat(indent), sentence),
    ...fixLines(report, indent, layout),
    ...prose(report.when, width, layout).map(style.dim),
  ];
}

/**
 * The fix right under the verdict, at the sentence's indent: "  fix:  …", and for a second
 * error "  also: CODE: …". The Findings section below repeats them beside their messages.
 */
function fixLines(report: AttemptReport, indent: number, layout: Layout): string[] {
  const { style, width } = layout;
  return report.fixes.flatMap((fix, index) => {
    const label = index === 0 ? "fix:" : "also:";
    const text = index === 0 ? fix.fix : `${fix.code}: ${fix.fix}`;
    return hanging(`  ${style.bold(label)}${" ".repeat(Math.max(1, indent - 2 - label.length))}`, " ".repeat(indent), prose(text, width - indent, layout));
  });
}

function sectionLines(section: ReportSection, layout: Layout): string[] {
  const indent = " ".repeat(INDENT);
  const phases = paintedPhases(section.phases ?? [], layout.style);
  return [
    heading(section.title, layout),
    ...section.rows.flatMap((entry) => row(entry.label, entry.values.map((value) => painted(value, layout.style)), layout)),
    ...(section.body === undefined ? [] : bodyLines(section.body, layout)),
    ...(phases.length > 0
      ? [
          indent + timingBar(phases, layout.width - INDENT),
          ...timingLegend(phases, layout.width - INDENT).map((line) => indent + line),
        ]
      : []),
    ...(section.chain ?? []).flatMap((certificate) => certificateRows(certificate, layout)),
  ];
}

const TONE_PAINT: Record<Exclude<Tone, "plain">, keyof Style> = { good: "green", bad: "red", warn: "yellow", dim: "dim" };

/** A model value with its terminal paint. */
export function painted(value: ReportValue, style: Style): Value {
  return value.tone === "plain" ? value.text : { text: value.text, paint: style[TONE_PAINT[value.tone]] };
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

function certificateRows(certificate: CertificateModel, layout: Layout): string[] {
  const subject: Value[] = [certificate.subject];
  if (certificate.selfSigned) subject.push({ text: "(self-signed)", paint: layout.style.dim });
  const validity: Value[] = [certificate.validity];
  if (certificate.standing) validity.push(painted(certificate.standing, layout.style));
  return [
    ...row(`${certificate.position}. subject`, subject, layout, 3),
    ...row("issuer", [certificate.issuer], layout, 6),
    ...row("valid", validity, layout, 6),
    ...(certificate.names.length > 0 ? row("names", [certificate.names.join(", ")], layout, 6) : []),
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

/** The "if linking still fails" guidance, numbered, each with its source. */
function nextStepsSection(steps: readonly NextStep[], layout: Layout): string[] {
  if (steps.length === 0) return [];
  return [
    heading(IF_LINKING_STILL_FAILS_TITLE, layout),
    ...steps.flatMap((step, index) => [
      ...hanging(`  ${index + 1}. `, "     ", prose(step.text, layout.width - 5, layout)),
      ...hanging(`     ${layout.style.dim("source:")} `, " ".repeat(13), prose(step.source, layout.width - 13, layout)),
    ]),
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

/** The first line after `first`, the rest after `rest`: a hanging indent. */
function hanging(first: string, rest: string, lines: readonly string[]): string[] {
  return lines.map((line, index) => `${index === 0 ? first : rest}${line}`.trimEnd());
}

/**
 * The report as one self-contained HTML page, to hand to the people who run the token URL:
 * the same model as the terminal report (report-model.ts), laid out for a browser. No
 * script, no external font, style or image, and a Content-Security-Policy that forbids them
 * anyway; every value from the record is HTML-escaped, so an upstream that answers markup
 * shows it as text. The record is already redacted: secrets stay fingerprints.
 */
import { IF_LINKING_STILL_FAILS_TITLE } from "./linking-next-steps";
import { createHash } from "node:crypto";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { AttemptReport, CertificateModel, ReportSection, ReportValue } from "./report-model";
import { escapeUnprintable, printable } from "./text";
import { MeasuredPhase } from "./timing-bar";
import { ORIGIN_TEXT, TimelineChain } from "./timeline-model";

export interface RenderHtmlOptions {
  /** The debugger's version, for the footer. */
  readonly toolVersion: string;
  /** `logs --limit`: one summary line per attempt listed, newest first, above the newest in full. */
  readonly listed?: readonly string[];
}

// A body this long is plenty to read; the record keeps up to its own cap, --json has it all.
const BODY_MAX_CHARS = 20_000;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in element content and in a quoted attribute, and on a terminal (`cat` on the
 * page): controls, bidi and invisible characters become visible escapes. */
export function escapeHtml(text: string): string {
  return escapeUnprintable(text).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

// After these a URL (or a field list) may break: "…/skill/link/<wbr>M2AAAA…".
const URL_BREAK_AFTER = /(?<=[/?&=#,;](?![/?&=#,;]))/;

/**
 * escapeHtml() with a line-break opportunity (<wbr>) after each URL separator, so a long URL
 * wraps between its parts on a phone instead of mid-word; the text reads and copies the same.
 */
export function breakableHtml(text: string): string {
  return text
    .split(URL_BREAK_AFTER)
    .map(escapeHtml)
    .join("<wbr>");
}

const VERDICT_MARKS = { pass: "✓", warn: "!", fail: "✗" } as const;
const SEVERITY_MARKS = { error: "✗", warning: "!", info: "i" } as const;

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa;
  --good: #1a7f37; --bad: #cf222e; --warn: #9a6700; --info: #0969da;
  --blue: #0969da; --cyan: #1b7c83; --magenta: #8250df; --yellow: #bf8700; --dim: #8c959f; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23;
  --good: #3fb950; --bad: #f85149; --warn: #d29922; --info: #4493f8;
  --blue: #4493f8; --cyan: #39c5cf; --magenta: #ab7df8; --yellow: #d29922; --dim: #6e7681; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 0 0 8px; }
section, header.verdict { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0 0 16px; background: var(--card); break-inside: avoid; }
header.verdict { border-left: 8px solid var(--muted); }
header.verdict.pass { border-left-color: var(--good); } header.verdict.warn { border-left-color: var(--warn); } header.verdict.fail { border-left-color: var(--bad); }
.verdict-word { font-weight: 700; } .pass .verdict-word { color: var(--good); } .warn .verdict-word { color: var(--warn); } .fail .verdict-word { color: var(--bad); }
.sentence { font-size: 1.1rem; margin: 4px 0; }
.fix { margin: 8px 0 4px; overflow-wrap: anywhere; } .fix strong { color: var(--fg); }
.when, .muted { color: var(--muted); font-size: 0.9rem; }
code, pre, .value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88rem; }
dl { display: grid; grid-template-columns: 9.5rem minmax(0, 1fr); gap: 4px 12px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; min-width: 0; }
.value { display: block; overflow-wrap: anywhere; white-space: pre-wrap; }
h2 .state { display: inline; font-family: inherit; font-size: 0.95rem; margin-left: 8px; }
td.verdict-cell { white-space: nowrap; } tr.step.fail .verdict-cell { color: var(--bad); } tr.step.warn .verdict-cell { color: var(--warn); } tr.step.pass .verdict-cell { color: var(--good); }
.tone-good { color: var(--good); } .tone-bad { color: var(--bad); font-weight: 600; } .tone-warn { color: var(--warn); font-weight: 600; } .tone-dim { color: var(--muted); }
pre { margin: 8px 0 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); white-space: pre-wrap; overflow-wrap: anywhere; max-height: 32rem; overflow-y: auto; }
svg.waterfall { display: block; width: 100%; height: auto; margin-top: 8px; }
.bar-blue { fill: var(--blue); } .bar-cyan { fill: var(--cyan); } .bar-magenta { fill: var(--magenta); } .bar-yellow { fill: var(--yellow); } .bar-dim { fill: var(--dim); }
.track { fill: var(--line); opacity: 0.35; } .deadline { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 6 4; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.swatch.bar-blue { background: var(--blue); } .swatch.bar-cyan { background: var(--cyan); } .swatch.bar-magenta { background: var(--magenta); } .swatch.bar-yellow { background: var(--yellow); } .swatch.bar-dim { background: var(--dim); }
.swatch.deadline-swatch { background: var(--bad); height: 2px; vertical-align: 3px; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 8px; }
col.position { width: 2.5rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
td.expiry-bad { color: var(--bad); font-weight: 600; } td.expiry-warn { color: var(--warn); font-weight: 600; }
ol.findings { list-style: none; padding: 0; margin: 0; }
ol.findings li { border-top: 1px solid var(--line); padding: 8px 0; }
ol.findings li:first-child { border-top: 0; }
.code { font-weight: 700; overflow-wrap: anywhere; } .severity-error .mark { color: var(--bad); } .severity-warning .mark { color: var(--warn); } .severity-info .mark { color: var(--info); }
.finding-message, .finding-fix { margin: 4px 0 0; overflow-wrap: anywhere; } .finding-fix strong { color: var(--muted); }
ul.listed { padding-left: 1.2rem; margin: 0; } ul.listed li { overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 8px; } section, header.verdict { padding: 10px 12px; }
  dl { grid-template-columns: minmax(0, 1fr); } dt { margin-top: 6px; }
  table, tbody, tr, td { display: block; width: 100%; } thead { display: none; }
  tr { border-top: 1px solid var(--line); padding: 6px 0; } td { border: 0; padding: 2px 0; }
  td::before { content: attr(data-label) ": "; color: var(--muted); }
}
@media print {
  :root { --bg: #fff; --fg: #000; --card: #fff; --muted: #444; }
  body { font-size: 11pt; } main { max-width: none; padding: 0; } pre { max-height: none; overflow: visible; }
}
`;

// The one style sheet is allowed by its hash; nothing else may load or run.
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** The whole page, one attempt: the verdict first, then the sections, findings and a footer. */
export function renderAttemptHtml(report: AttemptReport, options: RenderHtmlOptions): string {
  return page(`${report.verdictWord}: ${report.sentence}`, [
    verdictHeader(report),
    options.listed && options.listed.length > 1 ? listedSection(options.listed) : "",
    ...report.sections.map(sectionHtml),
    findingsHtml(report.findings),
    nextStepsHtml(report.nextSteps),
    footerHtml(
      `Alexa token URL debugger ${options.toolVersion} · record time ${report.time} · ${report.mode} · attempt ${report.attemptId}`,
    ),
  ]);
}

/** `logs --timeline` as a page: each link chain, newest first, its steps as a table, then its findings. */
export function renderTimelineHtml(chains: readonly TimelineChain[], options: RenderHtmlOptions & { readonly where: string }): string {
  const broken = chains[0]?.state.tone === "bad";
  const summary = `${chains.length} link${chains.length === 1 ? "" : "s"}; the newest is ${chains[0]?.state.text ?? "missing"}`;
  return page(`Timeline: ${summary}`, [
    `<header class="verdict ${broken ? "fail" : "pass"}" id="verdict">`,
    `<h1><span class="verdict-word">Link timeline</span></h1>`,
    `<p class="sentence">${escapeHtml(summary)}</p>`,
    `<p class="when">${escapeHtml(options.where)}</p>`,
    "</header>",
    ...chains.map(linkChainHtml),
    footerHtml(`Alexa token URL debugger ${options.toolVersion} · ${chains.reduce((sum, chain) => sum + chain.steps.length, 0)} attempts`),
  ]);
}

function page(title: string, parts: readonly string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...parts,
    "</main>",
    "</body>",
    "</html>",
    "",
  ]
    .filter((part) => part !== "")
    .join("\n")
    // The last guard: whatever a renderer forgot, no raw control or bidi character is in the page.
    .replace(/[^\n]+/g, (line) => escapeUnprintable(line));
}

function linkChainHtml(chain: TimelineChain): string {
  const steps = chain.steps.map((step) =>
    [
      `<tr class="step ${step.verdict}">`,
      `<td data-label="#">${step.position}</td>`,
      `<td data-label="time">${escapeHtml(step.time)}</td>`,
      `<td data-label="verdict" class="verdict-cell">${VERDICT_MARKS[step.verdict]} ${step.verdict}</td>`,
      `<td data-label="grant">${escapeHtml(step.grant)}</td>`,
      `<td data-label="answer">${escapeHtml(step.answer)}</td>`,
      `<td data-label="finding">${step.finding ? `<span class="severity-${step.finding.severity}"><span class="mark">${SEVERITY_MARKS[step.finding.severity]}</span> ${escapeHtml(step.finding.code)}</span>` : "-"}</td>`,
      "</tr>",
    ].join(""),
  );
  return [
    '<section class="chain-section">',
    `<h2>${escapeHtml(chain.title)} ${valueHtml(chain.state).replace('class="value', 'class="state')}</h2>`,
    `<p class="muted">${escapeHtml(ORIGIN_TEXT[chain.origin])}</p>`,
    '<table class="steps">',
    '<colgroup><col class="position"><col><col><col><col><col></colgroup>',
    "<thead><tr><th>#</th><th>time</th><th>verdict</th><th>grant</th><th>answer</th><th>finding</th></tr></thead>",
    `<tbody>\n${steps.join("\n")}\n</tbody>`,
    "</table>",
    chain.findings.length > 0 ? `<ol class="findings">\n${chain.findings.map(findingHtml).join("\n")}\n</ol>` : "",
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function verdictHeader(report: AttemptReport): string {
  return [
    `<header class="verdict ${report.verdict}" id="verdict">`,
    `<h1><span class="verdict-word">${VERDICT_MARKS[report.verdict]} ${report.verdictWord}</span></h1>`,
    `<p class="sentence">${breakableHtml(report.sentence)}</p>`,
    ...report.fixes.map(
      (fix, index) =>
        `<p class="fix" data-code="${escapeHtml(fix.code)}"><strong>${index === 0 ? "Fix:" : `Also, ${escapeHtml(fix.code)}:`}</strong> ${breakableHtml(printable(fix.fix))}</p>`,
    ),
    `<p class="when">${breakableHtml(report.when)}</p>`,
    "</header>",
  ].join("\n");
}

function listedSection(listed: readonly string[]): string {
  const items = listed.map((line) => `<li class="value">${escapeHtml(line)}</li>`).join("\n");
  return `<section id="listed"><h2>Attempts listed, newest first (the newest in full below)</h2>\n<ul class="listed">\n${items}\n</ul></section>`;
}

function sectionHtml(section: ReportSection): string {
  const rows = section.rows
    .map((row) => `<dt>${escapeHtml(row.label)}</dt><dd>${row.values.map(valueHtml).join("")}</dd>`)
    .join("\n");
  return [
    `<section id="${escapeHtml(sectionId(section.title))}">`,
    `<h2>${escapeHtml(section.title)}</h2>`,
    rows === "" ? "" : `<dl>\n${rows}\n</dl>`,
    section.body ? bodyHtml(section.body) : "",
    section.phases && section.phases.length > 0 ? waterfallHtml(section.phases, section.deadline?.limitMs) : "",
    section.chain && section.chain.length > 0 ? certificateChainHtml(section.chain) : "",
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function sectionId(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function valueHtml(value: ReportValue): string {
  return `<span class="value tone-${value.tone}">${breakableHtml(printable(value.text))}</span>`;
}

function bodyHtml(body: string): string {
  const text = printable(body);
  const chars = [...text];
  const shown = chars.length > BODY_MAX_CHARS ? chars.slice(0, BODY_MAX_CHARS).join("") : text;
  const note =
    chars.length > BODY_MAX_CHARS ? `<p class="muted">… ${chars.length - BODY_MAX_CHARS} more characters (the whole body: --json)</p>` : "";
  return `<pre class="body">${escapeHtml(shown)}</pre>${note}`;
}

// The waterfall's drawing units: a label column, then the bars; the SVG scales to the page.
const SVG = { width: 600, label: 0, left: 4, right: 596, rowHeight: 22, barHeight: 14 } as const;

/**
 * One bar per phase, each starting where the one before ended, on a scale that also holds
 * Alexa's deadline (when the record knows it) as a dashed line: how much of the budget the
 * token URL used is visible at once. Labels are in the legend below, which stays readable
 * at any width.
 */
function waterfallHtml(phases: readonly MeasuredPhase[], deadlineMs: number | undefined): string {
  const total = phases.reduce((sum, phase) => sum + phase.ms, 0);
  const scaleMs = Math.max(total, deadlineMs ?? 0, 1) * 1.04;
  const span = SVG.right - SVG.left;
  const x = (ms: number) => SVG.left + (ms / scaleMs) * span;
  let start = 0;
  const bars = phases.map((phase, index) => {
    const y = index * SVG.rowHeight + (SVG.rowHeight - SVG.barHeight) / 2;
    const width = Math.max(1.5, (phase.ms / scaleMs) * span);
    const bar =
      `<rect class="track" x="${SVG.left}" y="${y}" width="${span}" height="${SVG.barHeight}"></rect>` +
      `<rect class="bar bar-${phase.color}" data-phase="${escapeHtml(phase.label)}" data-ms="${phase.ms}" x="${x(start).toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${SVG.barHeight}">` +
      `<title>${escapeHtml(`${phase.label} ${phase.ms} ms`)}</title></rect>`;
    start += phase.ms;
    return bar;
  });
  const height = phases.length * SVG.rowHeight;
  const deadline =
    deadlineMs === undefined
      ? ""
      : `<line class="deadline" x1="${x(deadlineMs).toFixed(1)}" x2="${x(deadlineMs).toFixed(1)}" y1="0" y2="${height}"><title>${escapeHtml(`Alexa's deadline, ${deadlineMs} ms`)}</title></line>`;
  const legend = [
    ...phases.map((phase) => `<li><span class="swatch bar-${phase.color}"></span>${escapeHtml(phase.label)} ${phase.ms} ms</li>`),
    ...(deadlineMs === undefined ? [] : [`<li><span class="swatch deadline-swatch"></span>Alexa's deadline ${deadlineMs} ms</li>`]),
  ].join("");
  const label = `Where the time went: ${phases.map((phase) => `${phase.label} ${phase.ms} ms`).join(", ")}`;
  return [
    `<svg class="waterfall" viewBox="0 0 ${SVG.width} ${height}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">`,
    ...bars,
    deadline,
    "</svg>",
    `<ul class="legend">${legend}</ul>`,
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function certificateChainHtml(chain: readonly CertificateModel[]): string {
  const rows = chain.map((certificate) => {
    const expiry = certificate.standing ? ` expiry-${certificate.standing.tone}` : "";
    const standing = certificate.standing ? `<br>${escapeHtml(certificate.standing.text)}` : "";
    const selfSigned = certificate.selfSigned ? ' <span class="muted">(self-signed)</span>' : "";
    return [
      "<tr>",
      `<td data-label="#">${certificate.position}</td>`,
      `<td data-label="subject" class="subject">${escapeHtml(certificate.subject)}${selfSigned}</td>`,
      `<td data-label="issuer">${escapeHtml(certificate.issuer)}</td>`,
      `<td data-label="valid" class="validity${expiry}">${escapeHtml(certificate.validity)}${standing}</td>`,
      `<td data-label="names">${escapeHtml(certificate.names.join(", ") || "(none)")}</td>`,
      "</tr>",
    ].join("");
  });
  return [
    '<table class="chain">',
    '<colgroup><col class="position"><col><col><col><col></colgroup>',
    "<thead><tr><th>#</th><th>subject</th><th>issuer</th><th>valid</th><th>names</th></tr></thead>",
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>",
  ].join("\n");
}

function findingsHtml(findings: readonly Finding[]): string {
  const items = findings.length === 0 ? '<li class="muted">none</li>' : findings.map(findingHtml).join("\n");
  return `<section id="findings">\n<h2>Findings</h2>\n<ol class="findings">\n${items}\n</ol>\n</section>`;
}

function findingHtml(finding: Finding): string {
  return [
    `<li class="finding severity-${finding.severity}" data-code="${escapeHtml(finding.code)}">`,
    `<div><span class="mark">${SEVERITY_MARKS[finding.severity]}</span> <span class="code">${escapeHtml(finding.code)}</span> <span class="muted">(${finding.severity})</span></div>`,
    `<p class="finding-message">${breakableHtml(printable(finding.message))}</p>`,
    `<p class="finding-fix"><strong>fix:</strong> ${breakableHtml(printable(finding.fix))}</p>`,
    "</li>",
  ].join("\n");
}

/** The "if linking still fails" guidance, as the terminal report numbers it. */
function nextStepsHtml(steps: AttemptReport["nextSteps"]): string {
  if (steps.length === 0) return "";
  const items = steps.map(
    (step) => `<li><p>${escapeHtml(step.text)}</p><p class="muted">source: ${escapeHtml(step.source)}</p></li>`,
  );
  return `<section id="next-steps">\n<h2>${escapeHtml(IF_LINKING_STILL_FAILS_TITLE)}</h2>\n<ol>\n${items.join("\n")}\n</ol>\n</section>`;
}

function footerHtml(line: string): string {
  return [
    "<footer>",
    `<p>${escapeHtml(line)}</p>`,
    "<p>Secrets (client secret, codes, tokens) are shown only as fingerprints: the same redaction as the attempt record; no raw secret is in this file.</p>",
    "</footer>",
  ].join("\n");
}

/**
 * The report model and its two renderers, on real attempt records (fixtures/generate.ts):
 * the terminal text and the HTML page come from the same model, so they name the same
 * verdict, sections, findings and certificates; every record value is escaped in the page;
 * no secret canary reaches either; a typical page is small. The page in a real browser:
 * test/integration/html-report-browser.test.ts.
 */
import { AttemptRecord } from "../../../functions/token-url/attempt-record";
import { renderAttempt, renderAttemptReport } from "../../../scripts/report/render-attempt";
import { escapeHtml, renderAttemptHtml } from "../../../scripts/report/render-html";
import { buildAttemptReport } from "../../../scripts/report/report-model";
import { CANARIES } from "./fixtures/canaries";
import { allFixtures, fixture } from "./fixtures";

const html = (record: AttemptRecord) => renderAttemptHtml(buildAttemptReport(record), { toolVersion: "9.9.9" });
/** The page's text as a reader sees it: tags gone, entities decoded. */
const pageText = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const oneLine = (text: string) => text.replace(/\s+/g, " ");

describe.each(allFixtures())("the model behind both renderers, on $name", ({ record }) => {
  const report = buildAttemptReport(record);
  const terminalLines = renderAttempt(record, { color: false, width: 100, keepValuesWhole: true });
  const terminal = oneLine(terminalLines);
  const page = html(record);
  const text = pageText(page);

  test("THEN the terminal report is the model laid out", () => {
    expect(renderAttemptReport(report, { color: false, width: 100, keepValuesWhole: true })).toBe(terminalLines);
  });

  test("THEN both show the same verdict, sections, findings and certificates", () => {
    expect(terminalLines.split("\n")[0]).toContain(report.verdictWord);
    expect(terminal).toContain(report.sentence);
    expect(text).toContain(report.verdictWord);
    expect(text).toContain(report.sentence);
    for (const section of report.sections) {
      expect(terminalLines.split("\n")).toContain(section.title);
      expect(text).toContain(section.title);
    }
    for (const finding of record.findings) {
      expect(terminal).toContain(finding.code);
      expect(text).toContain(finding.code);
      expect(text).toContain(finding.fix);
    }
    for (const certificate of record.upstream?.tls?.chain ?? []) {
      expect(terminal).toContain(certificate.subject);
      expect(text).toContain(certificate.subject);
    }
  });

  test("THEN findings come in the same order in both", () => {
    const headings = report.findings.map((finding) => `${finding.code} (${finding.severity})`);
    const order = (output: string) => headings.map((heading) => output.indexOf(heading));
    for (const output of [terminal, text]) {
      expect(order(output).every((index) => index >= 0)).toBe(true);
      expect(order(output)).toEqual([...order(output)].sort((a, b) => a - b));
    }
  });

  test("THEN no secret canary is in either, and the page is under 100 KB", () => {
    for (const canary of CANARIES) {
      expect(terminal).not.toContain(canary);
      expect(page).not.toContain(canary);
    }
    expect(Buffer.byteLength(page)).toBeLessThan(100 * 1024);
  });

  test("THEN the page has a strict CSP, no script and nothing to fetch", () => {
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-/);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|<object|url\(|@import|\s(src|href)=/i);
    expect(page).not.toMatch(/ style="/);
  });
});

describe("a hostile upstream answer", () => {
  const base = fixture("body-html-200");
  const attack = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'&`;
  const record: AttemptRecord = {
    ...base,
    upstream: { ...base.upstream!, body: attack, headers: { ...base.upstream!.headers, server: attack } },
  };
  const page = html(record);

  test("WHEN its body and headers hold markup THEN the page holds only their escaped text", () => {
    expect(page).not.toContain("<script>window");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain(escapeHtml(attack));
    expect(pageText(page)).toContain(attack);
  });

  test("escapeHtml escapes what could leave text or a quoted attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});

describe("the waterfall and the deadline", () => {
  test("GIVEN a record with timings THEN the SVG has one bar per phase, in order", () => {
    const record = fixture("proxy-pass");
    const phases = buildAttemptReport(record).sections.find((section) => section.phases)?.phases ?? [];
    expect(phases.length).toBeGreaterThan(1);
    const bars = [...html(record).matchAll(/<rect class="bar [^"]*" data-phase="([^"]+)"/g)].map((match) => match[1]);
    expect(bars).toEqual(phases.map((phase) => phase.label));
  });

  test("GIVEN a record with Alexa's deadline THEN the SVG draws it as a line", () => {
    const record = allFixtures()
      .map((entry) => entry.record)
      .find((candidate) => candidate.deadline && candidate.upstream);
    expect(record).toBeDefined();
    expect(html(record!)).toMatch(/<line class="deadline"/);
  });
});

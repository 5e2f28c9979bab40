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
import { AuthorizeCheckRecord } from "../../../scripts/probe/authorize-probe";
import { buildAttemptReport, buildAuthorizeCheckReport } from "../../../scripts/report/report-model";
import { CANARIES } from "./fixtures/canaries";
import { allFixtures, fixture } from "./fixtures";

const html = (record: AttemptRecord) => renderAttemptHtml(buildAttemptReport(record), { toolVersion: "9.9.9" });
/** The page's text as a reader sees it: tags gone (a <wbr> adds no text), entities decoded. */
const pageText = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<wbr>/g, "")
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

describe("the Authorization URI section (probe with --authorize-url beside the token URL)", () => {
  const record = fixture("probe-authorize-fe-rejected");
  const authorization = record.authorization!;
  const section = buildAttemptReport(record).sections.find((candidate) => candidate.title === "Authorization URI");
  const page = html(record);
  const terminal = renderAttempt(record, { color: false, width: 100, keepValuesWhole: true });

  test("GIVEN the NA+EU-only server's record THEN the model has one row per region, the made-up URL and the certificate chain", () => {
    expect(section).toBeDefined();
    const values = (label: string) => section!.rows.find((row) => row.label === label)?.values.map((value) => value.text);
    expect(values("North America")?.[0]).toBe("✓ registered");
    expect(values("Europe")?.[0]).toBe("✓ registered");
    expect(values("Far East")?.[0]).toBe("✗ rejected");
    expect(section!.rows.find((row) => row.label === "Far East")!.values[0].tone).toBe("bad");
    expect(values("made-up")?.[0]).toContain(authorization.bogus.redirectUri);
    expect(values("tls")).toEqual(["TLSv1.3, certificate trusted"]);
    expect(section!.chain?.map((certificate) => certificate.subject)).toEqual(authorization.tls!.chain.map((certificate) => certificate.subject));
  });

  test("THEN the page and the terminal show it after the token URL's TLS section, each region with its standing", () => {
    const htmlSection = /<section id="authorization-uri">[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
    expect(pageText(htmlSection)).toMatch(/Far East ✗ rejected https:\/\/alexa\.amazon\.co\.jp\/api\/skill\/link\/M2AAAAAAAAAAAA: 400/);
    expect(pageText(htmlSection)).toMatch(/North America ✓ registered/);
    expect(htmlSection).toContain('<span class="value tone-bad">✗ rejected</span>');
    expect(page.indexOf('<section id="tls">')).toBeLessThan(page.indexOf('<section id="authorization-uri">'));
    expect(terminal).toMatch(/\n {2}Far East {7}✗ rejected\n/);
    expect(terminal.indexOf("\nTLS\n")).toBeLessThan(terminal.indexOf("\nAuthorization URI\n"));
  });

  test("THEN the verdict names the authorization URI's fault, and a failing record gets no 'if linking still fails' steps", () => {
    expect(record.verdict).toBe("fail");
    expect(buildAttemptReport(record).sentence).toContain("AUTHORIZE_REDIRECT_URI_REJECTED");
    expect(page).not.toContain("If linking still fails");
    expect(terminal).not.toContain("If linking still fails");
  });
});

describe("an authorize-check record alone (probe --authorize-url without a token URL)", () => {
  const base = fixture("probe-authorize-fe-rejected");
  const findings = base.findings.filter((finding) => finding.message.includes("authorization URI"));
  const check: AuthorizeCheckRecord = {
    type: "authorize-check", version: 1, checkId: "check-1", time: base.time, mode: "probe", verdict: "fail", authorization: base.authorization!, findings,
  };
  const report = buildAuthorizeCheckReport(check);

  test("THEN it goes through the same model: the one section, its findings, no guidance", () => {
    expect(report.sections.map((section) => section.title)).toEqual(["Authorization URI"]);
    expect(report.findings.map((finding) => finding.code)).toEqual(["AUTHORIZE_REDIRECT_URI_REJECTED", "NON_STANDARD_PORT"]);
    expect(report.nextSteps).toEqual([]);
    expect(report.when).toContain("authorize check check-1");
    const page = renderAttemptHtml(report, { toolVersion: "9.9.9" });
    expect(page).toContain('<section id="authorization-uri">');
    expect(pageText(page)).toContain(report.sentence);
  });

  test("WHEN the leading finding is the authorization URI's port THEN the sentence names the authorization URI, not the token URL", () => {
    const portOnly = buildAuthorizeCheckReport({ ...check, verdict: "warn", findings: findings.filter((finding) => finding.code === "NON_STANDARD_PORT") });
    expect(portOnly.sentence).toBe("Alexa may link, but the authorization URI is not on port 443 (NON_STANDARD_PORT)");
  });
});

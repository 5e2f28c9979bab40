/**
 * The HTML report as its reader gets it: `npm run probe -- --html` run as a child process
 * against a real HTTPS token URL that answers with markup meant to run, and pages rendered
 * from real attempt records, each opened from disk in real headless Chromium (Debian's
 * `chromium`, driven by puppeteer-core). What a person would check: the verdict, every
 * finding code and the chain's subjects are visible; the waterfall has one bar per phase, in
 * order; nothing is fetched; nothing from the record runs; it fits a phone without sideways
 * scrolling. Screenshots go to test-output/html-report/ (git-ignored) for a human look.
 * Where Chromium is missing, the suite skips with the reason; in CI it fails instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { Browser, Page } from "puppeteer-core";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { buildLinkChains } from "../../functions/token-url/diagnosis/link-chains";
import { renderAttemptHtml, renderTimelineHtml } from "../../scripts/report/render-html";
import { buildTimelineReport } from "../../scripts/report/timeline-model";
import { buildAttemptReport } from "../../scripts/report/report-model";
import { E2E_REQUIRED } from "../e2e/support/tools";
import { testPki } from "../support/pki";
import { startHttpsServer } from "../support/tls-servers";
import { allFixtures, fixture, FixtureName } from "../unit/report/fixtures";
import { runNodeScript } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");
const SCREENSHOTS = join(PROJECT_DIR, "test-output/html-report");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SECRET = "CANARY-html-secret-Zr58";
// Markup a hostile or broken token URL might answer with: if any of it ran, the global is set.
const ATTACK = `<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = 'onerror'">`;

const chromiumFound = existsSync(CHROMIUM);
const describeWithChromium = chromiumFound || E2E_REQUIRED ? describe : describe.skip;
if (!chromiumFound && !E2E_REQUIRED) {
  console.warn(`HTML report browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const run = runNodeScript;

interface Opened {
  readonly page: Page;
  /** Every request the page made beyond its own file. */
  readonly requests: string[];
}

describeWithChromium("the HTML report in headless Chromium", () => {
  jest.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), "html-report-"));
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumFound) throw new Error(`Chromium is required in CI (E2E_REQUIRED / CI) but ${CHROMIUM} is missing`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string, width: number): Promise<Opened> {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    const requests: string[] = [];
    const own = pathToFileURL(file).href;
    page.on("request", (request) => {
      if (request.url() !== own) requests.push(request.url());
    });
    await page.goto(own, { waitUntil: "load" });
    return { page, requests };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  // Expressions, not functions: they run in the page, and this project compiles without the DOM types.
  const visibleText = (page: Page) => page.evaluate("document.body.innerText") as Promise<string>;

  test("GIVEN a token URL that answers with markup meant to run WHEN probe --html writes the page THEN it shows the markup as text, runs nothing and fetches nothing", async () => {
    const pki = testPki();
    const server = await startHttpsServer({ key: pki.expiringSoon.key, cert: pki.expiringSoon.chain }, (_request, response) => {
      response.writeHead(400, { "content-type": "text/html", server: ATTACK });
      response.end(ATTACK);
    });
    const caFile = join(dir, "root.pem");
    writeFileSync(caFile, pki.rootCaPem);
    const file = join(dir, "probe.html");
    try {
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, NODE_EXTRA_CA_CERTS: caFile, ALEXA_CLIENT_SECRET: SECRET };
      const plain = await run("scripts/probe.ts", [server.url], env);
      const probe = await run("scripts/probe.ts", [server.url, "--html", file], env);
      expect(probe.code).toBe(1);
      expect(probe.stderr).toContain(`HTML report: ${file}`);
      // The terminal report does not change with --html (the attempt id and times aside).
      const stable = (text: string) =>
        text
          .replace(/attempt \S+/g, "attempt ID")
          .replace(/^\s+\[.*\]$/gm, "[bar]")
          .replace(/\d+/g, "N");
      expect(stable(probe.stdout)).toBe(stable(plain.stdout));
      const html = readFileSync(file, "utf8");
      for (const output of [probe.stdout, probe.stderr, html]) expect(output).not.toContain(SECRET);
      expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);

      for (const width of [390, 1280]) {
        const { page, requests } = await open(file, width);
        expect(await page.evaluate("window.__pwned")).toBeUndefined();
        expect(await page.$$("body script, body img, body iframe")).toHaveLength(0);
        const text = await visibleText(page);
        expect(text).toContain(ATTACK); // in the body's <pre> and in the server header row
        expect(text).toMatch(/FAIL/);
        expect(text).toContain("HTTP_CLIENT_ERROR");
        expect(text).toContain("TLS_CERT_EXPIRING_SOON");
        // The chain as a table, the leaf's expiry in the warning color.
        const chain = await page.$$eval("table.chain tbody tr", (rows) => rows.map((row) => (row as unknown as { innerText: string }).innerText));
        expect(chain.length).toBeGreaterThanOrEqual(2);
        expect(await page.$$("td.validity.expiry-warn")).toHaveLength(1);
        expect(requests).toEqual([]);
        await expectNoSidewaysScroll(page);
        await screenshot(page, `probe-hostile-${width}`);
        await page.close();
      }
    } finally {
      await server.close();
    }
  });

  const FIXTURES: FixtureName[] = ["tls-expired", "proxy-pass", "warn-expires-in-string", "transport-response-timeout", "tls-incomplete-chain", "probe-authorize-fe-rejected"];

  test.each(FIXTURES)("GIVEN the %s record THEN the verdict, every finding code, the chain's subjects and one bar per phase are visible", async (name) => {
    const record: AttemptRecord = fixture(name);
    const report = buildAttemptReport(record);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderAttemptHtml(report, { toolVersion: "test" }));
    for (const width of [390, 1280]) {
      const { page, requests } = await open(file, width);
      const verdict = await page.$eval("#verdict", (element) => (element as unknown as { innerText: string }).innerText);
      expect(verdict).toContain(report.verdictWord);
      expect(verdict.replace(/\s+/g, " ")).toContain(report.sentence);
      const text = await visibleText(page);
      for (const finding of record.findings) expect(text).toContain(finding.code);
      for (const certificate of record.upstream?.tls?.chain ?? []) expect(text).toContain(certificate.subject);
      for (const region of record.authorization?.regions ?? []) expect(text).toContain(region.redirectUri);
      if (record.authorization) expect(text).toMatch(/Far East\s+✗ rejected/);
      const phases = report.sections.flatMap((section) => section.phases ?? []);
      const bars = await page.$$eval("svg.waterfall rect.bar", (rects) =>
        rects.map((rect) => ({ phase: rect.getAttribute("data-phase"), x: Number(rect.getAttribute("x")), width: rect.getBoundingClientRect().width })),
      );
      expect(bars.map((bar) => bar.phase)).toEqual(phases.map((phase) => phase.label));
      for (const [index, bar] of bars.entries()) {
        expect(bar.width).toBeGreaterThan(0); // drawn, however short the phase
        if (index > 0) expect(bar.x).toBeGreaterThanOrEqual(bars[index - 1].x); // each starts where the last ended
      }
      if (record.deadline && phases.length > 0) expect(await page.$$("svg.waterfall line.deadline")).toHaveLength(1);
      expect(requests).toEqual([]);
      await expectNoSidewaysScroll(page);
      await screenshot(page, `${name}-${width}`);
      await page.close();
    }
  });

  // Every record with something to fix: a phone and a laptop must show the verdict's fix on
  // the first screen, without scrolling past the request, timing or certificate details.
  const WITH_FIX: FixtureName[] = ["tls-expired", "tls-incomplete-chain", "body-html-200", "http-forbidden-waf-403", "warn-expires-in-string", "probe-authorize-fe-rejected"];

  test.each(WITH_FIX)("GIVEN the %s record at 390 and 1280 px THEN the first fix is inside the first 900 px, right under the verdict", async (name) => {
    const report = buildAttemptReport(fixture(name));
    const file = join(dir, `${name}-fix.html`);
    writeFileSync(file, renderAttemptHtml(report, { toolVersion: "test" }));
    for (const width of [390, 1280]) {
      const { page } = await open(file, width);
      const placed = (await page.evaluate(`(() => {
        const fix = document.querySelector("#verdict .fix");
        const box = fix.getBoundingClientRect();
        const sections = document.querySelectorAll("main > section");
        return { top: box.top + scrollY, bottom: box.bottom + scrollY, text: fix.innerText, firstSectionTop: sections[0].getBoundingClientRect().top + scrollY };
      })()`)) as { top: number; bottom: number; text: string; firstSectionTop: number };
      expect(placed.text.replace(/\s+/g, " ")).toContain(report.fixes[0].fix.replace(/\s+/g, " "));
      expect(placed.bottom).toBeLessThanOrEqual(900);
      expect(placed.bottom).toBeLessThan(placed.firstSectionTop); // in the verdict card, before the details
      await page.close();
    }
  });

  test("GIVEN long URLs at 390 px THEN every line break in them falls between the URL's parts, never inside a word", async () => {
    const file = join(dir, "long-urls.html");
    writeFileSync(file, renderAttemptHtml(buildAttemptReport(fixture("probe-authorize-fe-rejected")), { toolVersion: "test" }));
    const { page } = await open(file, 390);
    // Each line break inside text holding a URL, with the characters either side of it.
    const breaks = (await page.evaluate(`(() => {
      const found = [];
      const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
      const blocks = new Map();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest("pre, style")) continue;
        const block = node.parentElement.closest("span.value, p, td, li, div");
        if (!block || !block.textContent.includes("://")) continue;
        if (!blocks.has(block)) blocks.set(block, []);
        blocks.get(block).push(node);
      }
      for (const nodes of blocks.values()) {
        let previous = null;
        for (const node of nodes) {
          for (let index = 0; index < node.data.length; index += 1) {
            const range = document.createRange();
            range.setStart(node, index);
            range.setEnd(node, index + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            const char = node.data[index];
            if (previous && rect.top > previous.top + 2) found.push(previous.char + "|" + char + " in " + node.parentElement.textContent.slice(0, 80));
            previous = { char, top: rect.top };
          }
        }
      }
      return found;
    })()`)) as string[];
    expect(breaks.length).toBeGreaterThan(0); // the URLs are long enough to wrap at this width
    const midWord = breaks.filter((entry) => /^[A-Za-z0-9]\|[A-Za-z0-9]/.test(entry));
    expect(midWord).toEqual([]);
    await screenshot(page, "long-urls-390");
    await page.close();
  });

  test("GIVEN link chains THEN the timeline page shows every chain's state and every step's finding, fetches nothing and fits a phone", async () => {
    const chains = buildLinkChains(allFixtures().map((entry) => entry.record), new Date());
    const timeline = buildTimelineReport(chains);
    const file = join(dir, "timeline.html");
    writeFileSync(file, renderTimelineHtml(timeline, { toolVersion: "test", where: "fixtures" }));
    for (const width of [390, 1280]) {
      const { page, requests } = await open(file, width);
      const text = await visibleText(page);
      for (const chain of timeline) {
        expect(text).toContain(chain.title);
        expect(text).toContain(chain.state.text);
        for (const step of chain.steps) if (step.finding) expect(text).toContain(step.finding.code);
      }
      expect(await page.$$("table.steps tbody tr")).toHaveLength(chains.reduce((sum, chain) => sum + chain.steps.length, 0));
      expect(requests).toEqual([]);
      await expectNoSidewaysScroll(page);
      await screenshot(page, `timeline-${width}`);
      await page.close();
    }
  });

  test("GIVEN a dark color scheme and print THEN the page follows them", async () => {
    const file = join(dir, "dark.html");
    writeFileSync(file, renderAttemptHtml(buildAttemptReport(fixture("tls-expired")), { toolVersion: "test" }));
    const { page } = await open(file, 1280);
    const background = () => page.evaluate("getComputedStyle(document.body).backgroundColor");
    const light = await background();
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
    const dark = await background();
    expect(dark).not.toBe(light);
    await screenshot(page, "tls-expired-1280-dark");
    await page.emulateMediaType("print");
    expect(await background()).toBe("rgb(255, 255, 255)");
    const pdf = await page.pdf({ format: "A4" });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    await page.close();
  });
});

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = (await page.evaluate(
    "({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })",
  )) as { scrollWidth: number; clientWidth: number };
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

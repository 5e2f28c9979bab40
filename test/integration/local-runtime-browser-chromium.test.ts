/**
 * A web page cannot drive `npm start` (scripts/local/browser-guard.ts), in a real browser:
 * headless Chromium (Debian's `chromium`, driven by puppeteer-core) opens a page served by
 * another server on this machine (another port, so another origin: once as 127.0.0.1, which is
 * "same-site" to npm start, once as localhost, which is "cross-site"), and that page POSTs to
 * npm start in proxy mode the ways a page can without a preflight: fetch with text/plain, fetch
 * with a form body, and a submitted <form>. Each is refused with 403, reaches no upstream, is
 * not recorded, and npm start says so, one line each. An Alexa-shaped request (no Origin)
 * still goes through. Where Chromium is missing, the suite skips with the reason; in CI it
 * fails instead.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { Browser, HTTPResponse } from "puppeteer-core";
import { E2E_REQUIRED } from "../e2e/support/tools";
import { Background, scriptEnv, startScript } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { postForm } from "../support/post-form";
import { startHttpsServer, TestServer } from "../support/tls-servers";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumFound = existsSync(CHROMIUM);
const describeWithChromium = chromiumFound || E2E_REQUIRED ? describe : describe.skip;
if (!chromiumFound && !E2E_REQUIRED) {
  console.warn(`npm start browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

/** The attacker's page: a form aimed at npm start, and scripts that POST to it. */
function attackPage(target: string): string {
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${target}"><input name="grant_type" value="authorization_code"><input name="code" value="from-a-page"></form>
<script>
window.textPost = () => fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: "grant_type=authorization_code&code=text-plain" }).then(() => "sent", (error) => String(error));
window.formPost = () => fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", body: new URLSearchParams({ grant_type: "authorization_code", code: "fetch-form" }) }).then(() => "sent", (error) => String(error));
</script></body></html>`;
}

describeWithChromium("npm start refuses what a page in Chromium sends it", () => {
  jest.setTimeout(120_000);
  let dir: string;
  let browser: Browser;
  let upstream: TestServer;
  let upstreamPosts = 0;
  let runtime: Background & { match: RegExpExecArray };
  let pageServer: Server;
  let pagePort: number;
  let recordsFile: string;

  beforeAll(async () => {
    if (!chromiumFound) throw new Error(`Chromium is required in CI (E2E_REQUIRED / CI) but ${CHROMIUM} is missing`);
    dir = mkdtempSync(join(tmpdir(), "browser-chromium-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    recordsFile = join(dir, "attempts.jsonl");
    upstream = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request, response) => {
      request.resume();
      if (request.method === "POST") upstreamPosts += 1;
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify({ access_token: "issued-access-Q7", token_type: "bearer", expires_in: 3600, refresh_token: "issued-refresh-W2" }));
    });
    runtime = await startScript(
      ["start"],
      scriptEnv({ PORT: "0", TOKEN_URL: upstream.url, LOCAL_RECORDS_FILE: recordsFile, NODE_EXTRA_CA_CERTS: join(dir, "root.pem") }),
      /on (http:\/\/127\.0\.0\.1:\d+\/token)/,
    );
    pageServer = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(attackPage(runtime.match[1]));
    });
    await new Promise<void>((resolve) => pageServer.listen(0, "127.0.0.1", resolve));
    pagePort = (pageServer.address() as AddressInfo).port;
    // --no-sandbox: CI runs as root, where Chromium's sandbox will not start.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  });

  afterAll(async () => {
    await browser?.close();
    runtime?.kill();
    await new Promise((resolve) => pageServer?.close(resolve));
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusedLines = () => runtime.stdout().split("\n").filter((line) => /^403 .*refused, nothing forwarded/.test(line));

  test.each([
    ["127.0.0.1 (same-site: another port of this machine)", "127.0.0.1"],
    ["localhost (cross-site)", "localhost"],
  ])("GIVEN a page on %s THEN its fetches and its form POST get 403, reach no upstream, are not recorded, and npm start says so", async (_name, host) => {
    const page = await browser.newPage();
    const answers: { url: string; status: number; method: string }[] = [];
    page.on("response", (response: HTTPResponse) => {
      if (response.url() === runtime.match[1]) answers.push({ url: response.url(), status: response.status(), method: response.request().method() });
    });
    const before = refusedLines().length;
    await page.goto(`http://${host}:${pagePort}/`, { waitUntil: "load" });
    expect(await page.evaluate("window.textPost()")).toBe("sent");
    expect(await page.evaluate("window.formPost()")).toBe("sent");
    const [navigation] = await Promise.all([page.waitForNavigation(), page.evaluate("document.getElementById('f').submit()")]);
    expect(navigation?.status()).toBe(403);
    expect(await page.evaluate("document.body.innerText")).toMatch(/forbidden|refused/i);
    await page.close();

    expect(answers.map((answer) => `${answer.method} ${answer.status}`)).toEqual(["POST 403", "POST 403", "POST 403"]);
    expect(upstreamPosts).toBe(0);
    expect(existsSync(recordsFile) ? readFileSync(recordsFile, "utf8") : "").toBe("");
    const lines = refusedLines().slice(before);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(host === "localhost" ? /Origin is not this runtime's own|cross-site/ : /Origin is not this runtime's own|same-site/);
  });

  test("GIVEN an Alexa-shaped request (no Origin) after them THEN it is forwarded and recorded", async () => {
    const answer = await postForm(runtime.match[1], "grant_type=authorization_code&code=from-alexa&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA", {
      Authorization: `Basic ${Buffer.from("alexa-skill:s3cret").toString("base64")}`,
    });
    expect(answer.status).toBe(200);
    expect(upstreamPosts).toBe(1);
    expect(readFileSync(recordsFile, "utf8").trimEnd().split("\n")).toHaveLength(1);
  });
});

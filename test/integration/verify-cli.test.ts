/**
 * `npm run verify -- --local` as a user runs it (a child process of npm): against `npm start`
 * in dummy mode and in proxy mode in front of a real OAuth server over real TLS, every check
 * passes; against a local runtime with a deliberately broken template or handler, verify names
 * the layer that altered the data. The canary client secret never appears in clear.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { forwardToTokenUrl } from "../../functions/token-url/proxy-mode";
import { readTemplate } from "../../infra/templates";
import { LocalRuntime, LocalRuntimeOptions, startLocalRuntime } from "../../scripts/local/local-runtime";
import { startOAuthServer } from "../support/oauth-server";
import { runScript, scriptEnv, startScript } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { testSettings } from "../support/settings";
import { startHttpsServer } from "../support/tls-servers";

jest.setTimeout(90_000);

const CANARY_SECRET = "verify-canary-SECRET:+7f3e9a";
const CLIENT_ID = "alexa-skill-verify";

let dir: string;
let caFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "verify-cli-"));
  caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verify(recordsFile: string, args: string[], extra: NodeJS.ProcessEnv = {}) {
  return runScript("verify", ["--local", ...args], scriptEnv({ LOCAL_RECORDS_FILE: recordsFile, NODE_EXTRA_CA_CERTS: caFile, ...extra }));
}

function expectNoCanary(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(CANARY_SECRET);
}

/** Lines of the report that are checks: "✓ <request>  <side> <name>  <detail>". */
function checkLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => /^[✓✗] .+ (request|response) /.test(line));
}

describe("GIVEN npm start (a faithful path)", () => {
  test("in dummy mode THEN FAITHFUL, one line per check, exit 0", async () => {
    const recordsFile = join(dir, "dummy.jsonl");
    const server = await startScript(["start"], scriptEnv({ PORT: "0", LOCAL_RECORDS_FILE: recordsFile }), /on (http:\/\/127\.0\.0\.1:\d+\/token)/);
    try {
      const run = await verify(recordsFile, ["--token-url", server.match[1]]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout.split("\n")[0]).toContain("FAITHFUL");
      expect(run.stdout).toContain("dummy mode · 6 requests");
      const lines = checkLines(run.stdout);
      expect(lines.length).toBeGreaterThanOrEqual(70);
      expect(lines.every((line) => line.startsWith("✓"))).toBe(true);
      expect(run.stdout).toMatch(/JSON body +request +REQUEST_NOT_FORM +recorded, as it must be/);
      expect(run.stdout).toMatch(/text\/plain body +request +REQUEST_NOT_FORM +recorded, as it must be/);
      expect(run.stdout).toMatch(/form, duplicate field +request +duplicate fields +sent \["code"\], recorded \["code"\]/);
      expect(run.stdout).toContain("DEPLOY_PATH_FAITHFUL");
    } finally {
      server.kill();
    }
  });

  test("in proxy mode in front of a real OAuth server, with the user's client THEN FAITHFUL, the secret only as a fingerprint", async () => {
    const recordsFile = join(dir, "proxy.jsonl");
    const oauth = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: CANARY_SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    const server = await startScript(
      ["start"],
      scriptEnv({ PORT: "0", LOCAL_RECORDS_FILE: recordsFile, MODE: "proxy", TOKEN_URL: oauth.url, NODE_EXTRA_CA_CERTS: caFile }),
      /on (http:\/\/127\.0\.0\.1:\d+\/token)/,
    );
    try {
      const run = await verify(recordsFile, ["--token-url", server.match[1], "--client-id", CLIENT_ID, "--json"], { ALEXA_CLIENT_SECRET: CANARY_SECRET });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ type: "verify-report", verdict: "faithful", mode: "proxy", upstreamUrl: oauth.url, requests: 6 });
      expect(report.checks.filter((check: { ok: boolean }) => !check.ok)).toEqual([]);
      // The server saw the user's valid client and refused only the made-up codes.
      const bodies = report.checks.filter((check: { name: string }) => check.name === "body");
      expect(bodies).toHaveLength(6);
      expectNoCanary(run.stdout, run.stderr, readFileSync(recordsFile, "utf8"), server.stdout(), server.stderr());
    } finally {
      server.kill();
      await oauth.close();
    }
  });
});

describe("GIVEN a broken path (fault injection) THEN verify names the layer", () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  async function runWith(name: string, faults: LocalRuntimeOptions["faults"], settings = testSettings()) {
    const recordsFile = join(dir, `${name}.jsonl`);
    runtime = await startLocalRuntime({ port: 0, settings, recordsFile, faults });
    return verify(recordsFile, ["--token-url", runtime.url, "--client-id", CLIENT_ID, "--wait", "5"], { ALEXA_CLIENT_SECRET: CANARY_SECRET });
  }

  test("a request template that runs $util.escapeJavaScript over the body THEN the request template altered the request", async () => {
    const template = readTemplate("token-request").replace("$util.base64Encode($input.body)", "$util.base64Encode($util.escapeJavaScript($input.body))");
    expect(template).not.toBe(readTemplate("token-request"));
    const run = await runWith("escape", { templates: { "token-request": template } });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[0]).toContain("ALTERED");
    expect(run.stdout).toMatch(/✗ JSON body +request +body bytes +\[request template\] sent \[redacted len=\d+ hmac=\w+\], the Lambda got/);
    expect(run.stdout).toMatch(/✗ JSON body +request +fields +\[request template\]/);
    expect(run.stdout).toContain("DEPLOY_PATH_ALTERED_REQUEST: The request template altered Alexa's request");
    expect(run.stdout).not.toContain("DEPLOY_PATH_ALTERED_RESPONSE");
    expectNoCanary(run.stdout, run.stderr);
  });

  test("a response template that drops Cache-Control THEN the response template altered the answer", async () => {
    const template = readTemplate("token-response").replace(/#if\(\$result\.headers\.cacheControl\)\n.*\n#end\n/, "");
    expect(template).not.toContain("Cache-Control");
    const run = await runWith("no-cache-control", { templates: { "token-response": template } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ form, HTTP Basic, 2 KB code +response Cache-Control +\[response template\] the Lambda answered "no-store", Alexa would get \(none\)/);
    expect(run.stdout).toContain("DEPLOY_PATH_ALTERED_RESPONSE: The response template altered the answer to Alexa");
    expect(run.stdout).not.toContain("DEPLOY_PATH_ALTERED_REQUEST");
    expect(checkLines(run.stdout).filter((line) => line.startsWith("✗")).every((line) => / response Cache-Control /.test(line))).toBe(true);
  });

  test("a wrapper that trims the token URL's answer THEN the Lambda altered the answer", async () => {
    // Like many servers, this one ends its JSON with a newline, which a trim drops.
    const upstream = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(400, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" });
        response.end('{"error":"invalid_grant"}\n');
      });
    });
    try {
      const trimming: typeof handleTokenRequest = (event, settings, log, now) =>
        handleTokenRequest(event, settings, log, now, async (request, options) => {
          const forwarded = await forwardToTokenUrl(request, options);
          return { ...forwarded, response: { ...forwarded.response, body: forwarded.response.body.trim() } };
        });
      const settings = testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: [testPki().rootCaPem] });
      const run = await runWith("trim", { handler: trimming }, settings);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/✗ form, HTTP Basic, 2 KB code +response body +\[Lambda\] expected "\[redacted len=26 hmac=\w+\]", the Lambda answered "\[redacted len=25/);
      expect(run.stdout).toContain("DEPLOY_PATH_ALTERED_RESPONSE: The Lambda altered the answer to Alexa");
      expect(run.stdout).not.toContain("[response template]");
      expectNoCanary(run.stdout, run.stderr);
    } finally {
      await upstream.close();
    }
  });
});

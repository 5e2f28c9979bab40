/**
 * `npm run verify -- --local` as a user runs it (a child process of npm): against `npm start`
 * in dummy mode and in proxy mode in front of a real OAuth server over real TLS, every check
 * passes; against a local runtime with a deliberately broken template or handler, verify names
 * the layer that altered the data. The canary client secret never appears in clear.
 */
import { APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutMethodCommand } from "@aws-sdk/client-api-gateway";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
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
import { MotoServer } from "../e2e/support/moto";
import { E2E_REQUIRED, findMotoServer } from "../e2e/support/tools";

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

/**
 * verify pointed at something that is not the deployed path: each is named for what it is, no
 * "redeploy" advice (nothing points at the templates), and every check is one line.
 */
describe("GIVEN an endpoint that is not the deployed debugger THEN verify names what it talks to", () => {
  // Any byte after the report's verdict block that would make a check or finding span lines.
  const expectOneLineEach = (stdout: string) => {
    const [header, meta] = stdout.split("\n");
    expect(header).toMatch(/^✗ /);
    expect(meta).not.toContain("mode unknown mode");
    for (const line of stdout.split("\n").slice(2)) expect(line).not.toMatch(/<\/?(html|h1|title|p)>/i);
  };

  test("a host that does not resolve THEN UNREACHABLE, DEPLOY_PATH_HOST_NOT_FOUND, nothing sent, exit 2", async () => {
    // RFC 6761: .invalid never resolves.
    const run = await runScript("verify", ["--token-url", "https://token-url-debugger.invalid/prod/token", "--wait", "0"], scriptEnv());
    expect(run.code).toBe(2);
    expect(run.stdout.split("\n")[0]).toContain("UNREACHABLE");
    expect(run.stdout).toContain("0 requests · 0 checks");
    expect(run.stdout).toMatch(/DEPLOY_PATH_HOST_NOT_FOUND: The host token-url-debugger\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN|EAI_FAIL)\)/);
    expect(run.stdout).not.toMatch(/redeploy|npm run deploy/i);
    expectOneLineEach(run.stdout);
  });

  test("a plain HTTP server answering 500 with an HTML page THEN NOT THE DEBUGGER, each check one line with size, type and fingerprint, no redeploy", async () => {
    const page = "<!doctype html>\n<html>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>Something broke.</p>\n</html>\n";
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(500, { "content-type": "text/html; charset=utf-8", server: "nginx/1.27.0" });
        response.end(page);
      });
    });
    await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    try {
      const run = await verify(join(dir, "html-500.jsonl"), ["--token-url", url, "--wait", "0"]);
      expect(run.code).toBe(1);
      expect(run.stdout.split("\n")[0]).toContain("NOT THE DEBUGGER");
      expect(run.stdout.split("\n")[1]).toContain("no attempt record found · 6 requests · 6 checks, 6 failed");
      const lines = checkLines(run.stdout);
      expect(lines).toHaveLength(6);
      const size = Buffer.byteLength(page);
      for (const line of lines) {
        expect(line).toMatch(
          new RegExp(`request +reached the Lambda +\\[endpoint\\] another server \\(Server: "nginx/1\\.27\\.0"\\): a proxy, a load balancer or a different service answered, not API Gateway: 500, ${size} bytes text/html; charset=utf-8 \\[redacted len=${size} hmac=[0-9a-f]+\\]$`),
        );
      }
      expect(run.stdout).toContain("DEPLOY_PATH_NOT_API_GATEWAY: 6 of verify's requests did not reach the debugger's Lambda");
      expect(run.stdout).not.toMatch(/redeploy|DEPLOY_PATH_ALTERED/i);
      expect(run.stdout).not.toContain("Internal Server Error");
      expectOneLineEach(run.stdout);
    } finally {
      await new Promise((resolvePromise) => server.close(resolvePromise));
    }
  });

  test("an endpoint whose gateway-shaped error quotes the user's secret back THEN the report shows it only as a fingerprint, in text and --json", async () => {
    // {"message": …} is API Gateway's error shape; this one echoes the request's client_secret
    // (from the body, or decoded from the Basic header) the way a careless proxy might.
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        const fromBasic = basic ? decodeURIComponent(Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":")) : "";
        const secret = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("client_secret") ?? fromBasic;
        response.writeHead(403, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: `Forbidden for secret ${secret}` }));
      });
    });
    await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    try {
      for (const extra of [[], ["--json"]]) {
        const run = await verify(join(dir, "echo-403.jsonl"), ["--token-url", url, "--client-id", CLIENT_ID, "--wait", "0", ...extra], { ALEXA_CLIENT_SECRET: CANARY_SECRET });
        expect(run.code).toBe(1);
        expect(run.stdout).toContain("Forbidden for secret [redacted"); // the echo was quoted, as a fingerprint
        expectNoCanary(run.stdout, run.stderr);
      }
    } finally {
      await new Promise((resolvePromise) => server.close(resolvePromise));
    }
  });

  const moto = findMotoServer();
  const withMoto = typeof moto === "string" || E2E_REQUIRED ? test : test.skip;
  if (typeof moto !== "string" && !E2E_REQUIRED) console.warn(`verify against the AWS emulator skipped: ${moto.missing}`);

  withMoto("the AWS emulator's invoke URL for a REST API with a Lambda integration THEN NOT THE DEBUGGER, the emulator named, no redeploy", async () => {
    if (typeof moto !== "string") throw new Error(`moto_server is required in CI: ${moto.missing}`);
    const emulator = await MotoServer.start(moto);
    try {
      // The shape of the stack's API (POST /token, a Lambda integration, a stage), made in the emulator.
      const client = new APIGatewayClient({ region: "us-east-1", endpoint: emulator.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      const api = await client.send(new CreateRestApiCommand({ name: "token-url-debugger-verify" }));
      const root = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((item) => item.path === "/")!;
      const resource = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: "token" }));
      await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: "POST", authorizationType: "NONE" }));
      await client.send(
        new PutIntegrationCommand({
          restApiId: api.id,
          resourceId: resource.id,
          httpMethod: "POST",
          type: "AWS",
          integrationHttpMethod: "POST",
          uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-url-debugger-token-url/invocations",
        }),
      );
      await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: "prod" }));
      const url = `${emulator.endpoint}/restapis/${api.id}/prod/_user_request_/token`;
      const env = { AWS_ENDPOINT_URL: emulator.endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };
      const run = await runScript("verify", ["--token-url", url, "--wait", "0"], scriptEnv(env));
      expect(run.stderr).toBe("");
      expect(run.code).toBe(1);
      expect(run.stdout.split("\n")[0]).toContain("NOT THE DEBUGGER");
      const lines = checkLines(run.stdout);
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(line).toMatch(/\[endpoint\] the AWS emulator at AWS_ENDPOINT_URL \(http:\/\/127\.0\.0\.1:\d+, Server: "Werkzeug[^"]*"\) answered, not API Gateway: \d{3}, \d+ bytes /);
      expect(run.stdout).toContain("DEPLOY_PATH_NOT_API_GATEWAY");
      expect(run.stdout).toContain("An AWS emulator (moto, LocalStack) creates the API but cannot run the API Gateway → Lambda path");
      expect(run.stdout).not.toMatch(/redeploy|DEPLOY_PATH_ALTERED/i);
      expectOneLineEach(run.stdout);
    } finally {
      emulator.stop();
    }
  });
});

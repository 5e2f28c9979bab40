/**
 * The local runtime (`npm start`): the stack's templates and the Lambda's handler behind a real
 * HTTP server, with real upstreams. In-process for speed; the CLI itself is run as a user
 * would in local-cli.test.ts.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { LocalRuntime, startLocalRuntime } from "../../scripts/local/local-runtime";
import { basicAuth } from "../support/events";
import { alexaRequest, Framing, HostileRequest } from "../support/hostile-requests";
import { pooledClient } from "../support/keep-alive-client";
import { ALEXA_REDIRECT_URI, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";
import { startHttpsServer } from "../support/tls-servers";

const SECRET = "CANARY-local-secret-2Wd9";
const FORM = "application/x-www-form-urlencoded;charset=UTF-8";

function recordsFile(): string {
  return join(mkdtempSync(join(tmpdir(), "local-runtime-")), "attempts.jsonl");
}

function readRecords(path: string): AttemptRecord[] {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

async function post(url: string, body: string, headers: Record<string, string> = { "Content-Type": FORM }) {
  const response = await fetch(url, { method: "POST", body, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe("local runtime", () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  test("GIVEN dummy mode THEN Alexa's request gets a valid token answer and one record, the bytes the Lambda logs", async () => {
    const file = recordsFile();
    const seen: AttemptRecord[] = [];
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: file, onAttempt: (record) => seen.push(record) });
    const response = await post(runtime.url, "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fx", {
      "Content-Type": FORM,
      Authorization: basicAuth("alexa-skill", SECRET),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect(JSON.parse(response.body)).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    await runtime.close();
    runtime = undefined;
    expect(readFileSync(file, "utf8")).toBe(`${JSON.stringify(seen[0])}\n`);
    expect(seen[0]).toMatchObject({ mode: "dummy", request: { clientAuth: "basic", sourceIp: "127.0.0.1" } });
    expect(seen[0].attemptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(file, "utf8")).not.toContain(SECRET);
  });

  test("GIVEN a content type with no template THEN 415 from API Gateway and nothing recorded", async () => {
    const file = recordsFile();
    const refused: number[] = [];
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: file, onRefused: (status) => refused.push(status) });
    const response = await post(runtime.url, "<token/>", { "Content-Type": "application/xml" });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toEqual({ message: "Unsupported Media Type" });
    const json = await post(runtime.url, '{"grant_type":"authorization_code"}', { "Content-Type": "application/json" });
    expect(json.status).toBe(200); // mapped: recorded, with REQUEST_NOT_FORM
    await runtime.close();
    runtime = undefined;
    expect(refused).toEqual([415]);
    expect(readRecords(file).map((record) => record.findings.map((finding) => finding.code))).toEqual([
      ["REQUEST_NOT_FORM", "DUMMY_RESPONSE"],
    ]);
  });

  test("GIVEN another path or method THEN API Gateway's 403 Missing Authentication Token", async () => {
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: recordsFile() });
    const wrongPath = await post(runtime.url.replace("/token", "/oauth/token"), "x");
    expect(wrongPath.status).toBe(403);
    expect(JSON.parse(wrongPath.body)).toEqual({ message: "Missing Authentication Token" });
    expect((await fetch(runtime.url)).status).toBe(403);
  });

  test("GIVEN refused requests with bodies on one kept-alive connection THEN each is answered and the next request still gets through", async () => {
    const file = recordsFile();
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: file });
    const client = pooledClient(runtime.url, { concurrency: 1, timeoutMs: 10_000 });
    try {
      const refused = (id: number, method: string, contentType: string, framing: Framing): HostileRequest => ({
        id,
        method,
        path: "/token",
        headers: { "Content-Type": contentType },
        body: Buffer.from("grant_type=authorization_code&code=x".repeat(1_000)),
        framing,
      });
      // As measured in issue 17: Node's client sends a DELETE's body without any length.
      const requests = Array.from({ length: 10 }, (_, index) => [
        refused(index * 4 + 1, "DELETE", FORM, "undeclared"),
        alexaRequest(index * 4 + 2),
        refused(index * 4 + 3, "POST", "application/xml", "content-length"),
        alexaRequest(index * 4 + 4),
      ]).flat();
      const outcomes = await client.sendAll(requests);
      expect(outcomes.map((outcome) => outcome.error ?? outcome.status)).toEqual(Array(10).fill([403, 200, 415, 200]).flat());
      // A DELETE with a bare body closes its connection; the 415 kept its own open.
      expect(outcomes[0].headers.connection).toBe("close");
      expect(outcomes[2].headers.connection).toBe("keep-alive");
    } finally {
      client.close();
    }
    await runtime.close();
    runtime = undefined;
    expect(readRecords(file)).toHaveLength(20);
  });

  test.each<Framing>(["content-length", "chunked"])("GIVEN a body over API Gateway's 10 MB (%s) THEN 413 with Connection: close, and the client is not reset", async (framing) => {
    const refused: number[] = [];
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: recordsFile(), onRefused: (status) => refused.push(status) });
    const client = pooledClient(runtime.url, { concurrency: 1, timeoutMs: 10_000 });
    try {
      const tooLarge = { ...alexaRequest(1), body: Buffer.alloc(10 * 1024 * 1024 + 1, "a"), framing };
      const outcome = await client.send(tooLarge);
      expect({ status: outcome.status ?? outcome.error, connection: outcome.headers.connection }).toEqual({ status: 413, connection: "close" });
      expect(JSON.parse(outcome.body)).toEqual({ message: "Request Too Long" });
      expect((await client.send(alexaRequest(2))).status).toBe(200);
    } finally {
      client.close();
    }
    expect(refused).toEqual([413]);
  });

  test("GIVEN bytes that are not HTTP THEN a 400 with Connection: close, not a dropped connection", async () => {
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: recordsFile() });
    const port = runtime.port;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
      let received = "";
      socket.on("data", (chunk) => (received += chunk));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n/);
  });

  test("GIVEN proxy mode in front of a real OAuth server THEN a real code becomes tokens through the templates", async () => {
    const oauth = await startOAuthServer({ clientId: "alexa-skill", clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    try {
      runtime = await startLocalRuntime({
        port: 0,
        settings: testSettings({ mode: "proxy", tokenUrl: oauth.url, trustedCa: trustStore() }),
        recordsFile: recordsFile(),
      });
      const body = `grant_type=authorization_code&code=${oauth.issueCode()}&redirect_uri=${encodeURIComponent(ALEXA_REDIRECT_URI)}`;
      const response = await post(runtime.url, body, { "Content-Type": FORM, Authorization: basicAuth("alexa-skill", SECRET) });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ access_token: expect.any(String), token_type: "Bearer" });
      const reused = await post(runtime.url, body, { "Content-Type": FORM, Authorization: basicAuth("alexa-skill", SECRET) });
      expect(reused.status).toBe(400);
      expect(JSON.parse(reused.body)).toMatchObject({ error: "invalid_grant" });
    } finally {
      await oauth.close();
    }
  });

  test("GIVEN proxy mode in front of an expired certificate THEN a 502 OAuth error, and no request reached it", async () => {
    let reached = 0;
    const upstream = await startHttpsServer({ key: testPki().expired.key, cert: testPki().expired.chain }, (_request, response) => {
      reached += 1;
      response.end("{}");
    });
    try {
      const file = recordsFile();
      runtime = await startLocalRuntime({
        port: 0,
        settings: testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: trustStore() }),
        recordsFile: file,
      });
      const response = await post(runtime.url, "grant_type=authorization_code&code=x");
      expect(response.status).toBe(502);
      expect(JSON.parse(response.body)).toMatchObject({ error: "server_error" });
      await runtime.close();
      runtime = undefined;
      expect(readRecords(file)[0].findings.map((finding) => finding.code)).toContain("TLS_CERT_EXPIRED");
      expect(reached).toBe(0);
    } finally {
      await upstream.close();
    }
  });

  test("GIVEN 200 concurrent requests in proxy mode THEN every one is answered and recorded once, no line torn", async () => {
    const upstream = createServer((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      // A long body makes each record several KB, so interleaved writes would show.
      response.end(JSON.stringify({ access_token: "a".repeat(3000), token_type: "Bearer", expires_in: 3600, refresh_token: "r" }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const file = recordsFile();
      runtime = await startLocalRuntime({
        port: 0,
        settings: testSettings({ mode: "proxy", tokenUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/token`, upstreamTimeoutMs: 20_000 }),
        recordsFile: file,
      });
      const url = runtime.url;
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, index) => post(url, `grant_type=authorization_code&code=code-${index}`)),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(200).fill(200));
      await runtime.close();
      runtime = undefined;
      const records = readRecords(file); // JSON.parse of every line: a torn line would throw
      expect(records).toHaveLength(200);
      expect(new Set(records.map((record) => record.attemptId)).size).toBe(200);
      expect(new Set(records.map((record) => record.request.fields.code)).size).toBe(200);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  }, 60_000);

  test("GIVEN a request in flight at shutdown THEN it is answered and its record is on disk", async () => {
    let reachedUpstream: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (reachedUpstream = resolve));
    const upstream = createServer((_request, response) => {
      reachedUpstream();
      setTimeout(() => {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.end('{"access_token":"x","token_type":"Bearer"}');
      }, 300);
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const file = recordsFile();
      const started = await startLocalRuntime({
        port: 0,
        settings: testSettings({ mode: "proxy", tokenUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/token` }),
        recordsFile: file,
      });
      const pending = post(started.url, "grant_type=authorization_code&code=late");
      await inFlight; // not a sleep: on a loaded machine the request may not have arrived yet
      await started.close();
      expect((await pending).status).toBe(200);
      expect(readRecords(file)).toHaveLength(1);
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

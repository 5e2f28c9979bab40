/**
 * An expired debugger forwards nothing: through the local runtime (the stack's templates and
 * the Lambda's handler) in front of a real local upstream whose TCP connections are counted,
 * in both modes, and through `npm start` with DEBUGGER_EXPIRES_AT in its environment.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { LocalRuntime, startLocalRuntime } from "../../scripts/local/local-runtime";
import { basicAuth } from "../support/events";
import { scriptEnv, startScript } from "../support/npm-scripts";
import { testSettings } from "../support/settings";

const SECRET = "CANARY-expiry-secret-7Qk2";
const FORM = "application/x-www-form-urlencoded;charset=UTF-8";
const EXPIRED_AT = new Date(Date.now() - 60_000);
const BODY = "grant_type=authorization_code&code=abc&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2X";

/** A plain token server on 127.0.0.1 that counts every TCP connection it accepts. */
async function countingUpstream(): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    response.end(JSON.stringify({ access_token: "a", token_type: "Bearer", expires_in: 3600, refresh_token: "r" }));
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, connections: () => connections };
}

async function postAsAlexa(url: string) {
  const response = await fetch(url, {
    method: "POST",
    body: BODY,
    headers: { "Content-Type": FORM, Authorization: basicAuth("alexa-skill", SECRET) },
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}

function expectExpiredAnswer(answer: { status: number; contentType: string | null; body: string }): void {
  expect(answer.status).toBe(503);
  expect(answer.contentType).toBe("application/json;charset=UTF-8");
  expect(JSON.parse(answer.body)).toEqual({
    error: "temporarily_unavailable",
    error_description: expect.stringMatching(/debugger expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC/),
  });
}

describe("an expired debugger", () => {
  let upstream: Awaited<ReturnType<typeof countingUpstream>>;
  let runtime: LocalRuntime | undefined;
  beforeEach(async () => (upstream = await countingUpstream()));
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    upstream.server.closeAllConnections();
    await new Promise((resolvePromise) => upstream.server.close(resolvePromise));
  });

  test("GIVEN proxy mode before the expiry THEN the request reaches the upstream (the counter works)", async () => {
    runtime = await startLocalRuntime({
      port: 0,
      settings: testSettings({ mode: "proxy", tokenUrl: upstream.url, expiresAt: new Date(Date.now() + 3_600_000) }),
      recordsFile: join(mkdtempSync(join(tmpdir(), "expiry-")), "attempts.jsonl"),
    });
    expect((await postAsAlexa(runtime.url)).status).toBe(200);
    expect(upstream.connections()).toBe(1);
  });

  test.each(["proxy", "dummy"] as const)(
    "GIVEN %s mode after the expiry THEN 503 temporarily_unavailable, one DEBUGGER_EXPIRED record, no connection upstream",
    async (mode) => {
      const file = join(mkdtempSync(join(tmpdir(), "expiry-")), "attempts.jsonl");
      runtime = await startLocalRuntime({
        port: 0,
        settings: testSettings({ mode, tokenUrl: upstream.url, expiresAt: EXPIRED_AT }),
        recordsFile: file,
      });
      expectExpiredAnswer(await postAsAlexa(runtime.url));
      await runtime.close();
      runtime = undefined;

      const records: AttemptRecord[] = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ mode, verdict: "fail", upstream: null, response: { status: 503 } });
      expect(records[0].findings.map((finding) => [finding.code, finding.severity])).toEqual([["DEBUGGER_EXPIRED", "error"]]);
      expect(readFileSync(file, "utf8")).not.toContain(SECRET);
      expect(upstream.connections()).toBe(0);
    },
  );

  test("GIVEN npm start with DEBUGGER_EXPIRES_AT in the past THEN it answers as the Lambda does and forwards nothing", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "expiry-")), "attempts.jsonl");
    const started = await startScript(
      ["start", "--", "--port", "0"],
      scriptEnv({ TOKEN_URL: upstream.url, DEBUGGER_EXPIRES_AT: EXPIRED_AT.toISOString(), LOCAL_RECORDS_FILE: file }),
      /on (http:\/\/127\.0\.0\.1:\d+\/token)/,
    );
    try {
      expectExpiredAnswer(await postAsAlexa(started.match[1]));
      process.kill(-started.child.pid!, "SIGTERM");
      await started.exited;
      expect(started.stdout()).toContain("DEBUGGER_EXPIRED");
      const records: AttemptRecord[] = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
      expect(records.map((record) => record.findings[0].code)).toEqual(["DEBUGGER_EXPIRED"]);
      expect(upstream.connections()).toBe(0);
    } finally {
      started.kill();
    }
  }, 60_000);
});

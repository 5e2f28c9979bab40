/**
 * Alexa's 4.5 s deadline, as a user meets it: real HTTPS token URLs on 127.0.0.1 that answer
 * after 0.1 s, 3.6 s and 4.8 s, called by `npm run probe` and through `npm start` in proxy
 * mode (the request template, the Lambda handler, the response template), all run through npm
 * as child processes. The wrapper keeps waiting past the deadline, so the record still shows how slow
 * the server is, and Alexa still gets the server's answer (too late for the real Alexa).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { basicAuthorization } from "../../scripts/probe/alexa-request";
import { runScript, scriptEnv, startScript } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { TestServer } from "../support/tls-servers";
import { answerWith, healthy } from "../support/token-answers";

const SECRET = "CANARY-deadline-secret-Rx41";
const TOKEN = { access_token: "CANARY-deadline-access-Lm09", token_type: "Bearer", expires_in: 3600, refresh_token: "CANARY-deadline-refresh-Ue57" };
const CANARIES = [SECRET, TOKEN.access_token, TOKEN.refresh_token];
const DELAYS_MS = [100, 3_600, 4_800];

/** Expected, by the server's delay: codes apart from NON_STANDARD_PORT (a test port), verdict, exit. */
const EXPECTED: Record<number, { codes: string[]; verdict: string; exit: number }> = {
  100: { codes: [], verdict: "warn", exit: 0 }, // "warn" only for the test server's port
  3_600: { codes: ["SLOW_RESPONSE:warning"], verdict: "warn", exit: 0 },
  4_800: { codes: ["ALEXA_TIMEOUT:error"], verdict: "fail", exit: 1 },
};

const codesOf = (record: AttemptRecord) =>
  record.findings.filter((finding) => finding.code !== "NON_STANDARD_PORT").map((finding) => `${finding.code}:${finding.severity}`);

/** A token URL that answers Alexa's request after `delayMs`, over a valid certificate chain. */
const slowTokenUrl = (delayMs: number) => healthy((request, response) => {
  request.resume();
  request.on("end", () => setTimeout(() => answerWith(TOKEN)(request, response), delayMs));
})();

/** Alexa's token request, as it reaches API Gateway. */
function postAsAlexa(url: string): Promise<{ status: number; body: string }> {
  const body = "grant_type=authorization_code&code=CANARY-deadline-code-Vb26&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA";
  return new Promise((resolvePromise, reject) => {
    const request = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
          authorization: basicAuthorization("alexa-skill", SECRET),
          "user-agent": "Apache-HttpClient/4.5.14 (Java/17.0.15)",
        },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolvePromise({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("Alexa's 4.5 s deadline against token URLs answering after 0.1 s, 3.6 s and 4.8 s", () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "deadline-"));
  const caFile = join(dir, "test-root.pem");
  let servers: Map<number, TestServer>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    writeFileSync(caFile, testPki().rootCaPem);
    servers = new Map(await Promise.all(DELAYS_MS.map(async (delay) => [delay, await slowTokenUrl(delay)] as const)));
    env = scriptEnv({ NODE_EXTRA_CA_CERTS: caFile, ALEXA_CLIENT_SECRET: SECRET });
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test("GIVEN npm run probe THEN pass, SLOW_RESPONSE (warn, exit 0), ALEXA_TIMEOUT (fail, exit 1)", async () => {
    // A code given with --code is real to the probe, so each server's 200 is judged on its time alone.
    const runs = await Promise.all(
      DELAYS_MS.map((delay) =>
        runScript("probe", [servers.get(delay)!.url, "--client-id", "alexa-skill", "--code", "CANARY-deadline-code-Vb26", "--json"], env),
      ),
    );
    for (const [index, delay] of DELAYS_MS.entries()) {
      const { code, stdout, stderr } = runs[index];
      for (const canary of CANARIES) expect(stdout + stderr).not.toContain(canary);
      const record: AttemptRecord = JSON.parse(stdout);
      expect({ delay, codes: codesOf(record), verdict: record.verdict, exit: code }).toEqual({ delay, ...EXPECTED[delay] });
      expect(record.deadline).toMatchObject({ limitMs: 4_500, upstreamMs: record.upstream?.timings.totalMs, debuggerMs: null });
      expect(record.deadline!.waitedMs).toBeGreaterThanOrEqual(delay);
    }
  });

  test.each(DELAYS_MS)("GIVEN npm start in proxy mode in front of the %i ms server THEN the record judges what Alexa waited, and Alexa still gets the answer", async (delay) => {
    const recordsFile = join(dir, `proxy-${delay}.jsonl`);
    const server = await startScript(
      ["start"],
      { ...env, PORT: "0", TOKEN_URL: servers.get(delay)!.url, LOCAL_RECORDS_FILE: recordsFile },
      /on (http:\/\/127\.0\.0\.1:\d+\/token)/,
    );
    let answer;
    try {
      answer = await postAsAlexa(server.match[1]);
    } finally {
      server.child.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
    server.kill();
    // The wrapper waits past 4.5 s (up to UPSTREAM_TIMEOUT_MS), so the server's answer passes through.
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(TOKEN);

    const lines = readFileSync(recordsFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    for (const canary of CANARIES) expect(lines[0]).not.toContain(canary);
    const record: AttemptRecord = JSON.parse(lines[0]);
    expect({ codes: codesOf(record), verdict: record.verdict }).toEqual({ codes: EXPECTED[delay].codes, verdict: EXPECTED[delay].verdict });
    const { waitedMs, upstreamMs, debuggerMs } = record.deadline!;
    expect(upstreamMs).toBe(record.upstream?.timings.totalMs);
    expect(upstreamMs).toBeGreaterThanOrEqual(delay);
    expect(waitedMs).toBeGreaterThanOrEqual(upstreamMs!);
    expect(debuggerMs).toBe(waitedMs - upstreamMs!);
  });
});

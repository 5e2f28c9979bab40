/**
 * The refresh cycle in minutes, as a user runs it: `npm start` in proxy mode with
 * EXPIRES_IN_OVERRIDE=120 in front of a real OAuth server (@node-oauth/oauth2-server, refresh
 * tokens rotating), Alexa's requests sent to it over HTTP (this test plays Alexa, from its
 * documented requests), then `npm run logs -- --local --timeline`. Child processes of npm all.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { buildLinkChains } from "../../functions/token-url/diagnosis/link-chains";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { alexaEvent, basicAuth } from "../support/events";
import { runScript, scriptEnv, startScript } from "../support/npm-scripts";
import { ALEXA_REDIRECT_URI, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";

const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY-timeline-secret-8Kd2";

/** What Alexa sends (DESIGN §4): a form POST with HTTP Basic client auth. */
async function alexaPost(url: string, form: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
      authorization: basicAuth(CLIENT_ID, SECRET),
      "user-agent": "Apache-HttpClient/4.5.14 (Java/17)",
    },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const codeGrant = (code: string) => `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(ALEXA_REDIRECT_URI)}`;
const refreshGrant = (token: string) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;

describe("EXPIRES_IN_OVERRIDE and --timeline through npm start in front of a rotating OAuth server", () => {
  jest.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), "refresh-timeline-"));
  const caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);

  test("GIVEN a code exchange, a refresh with R1 and a second refresh with R1 THEN one chain of three steps broken by REFRESH_TOKEN_REUSED", async () => {
    const upstream = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    const recordsFile = join(dir, "attempts.jsonl");
    const env = scriptEnv({
      NODE_EXTRA_CA_CERTS: caFile,
      PORT: "0",
      MODE: "proxy",
      TOKEN_URL: upstream.url,
      EXPIRES_IN_OVERRIDE: "120",
      LOCAL_RECORDS_FILE: recordsFile,
    });
    const server = await startScript(["start"], env, /on (http:\/\/127\.0\.0\.1:\d+\/token)/);
    const url = server.match[1];
    const secrets: string[] = [SECRET];
    try {
      const code = upstream.issueCode();
      secrets.push(code);
      const exchanged = await alexaPost(url, codeGrant(code));
      expect(exchanged.status).toBe(200);
      expect(exchanged.body.expires_in).toBe(120);
      const r1 = exchanged.body.refresh_token as string;
      secrets.push(exchanged.body.access_token as string, r1);

      const refreshed = await alexaPost(url, refreshGrant(r1));
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.expires_in).toBe(120);
      const r2 = refreshed.body.refresh_token as string;
      expect(r2).toEqual(expect.any(String));
      expect(r2).not.toBe(r1);
      secrets.push(refreshed.body.access_token as string, r2);

      const reused = await alexaPost(url, refreshGrant(r1));
      expect(reused.status).toBe(400);
      expect(reused.body.error).toBe("invalid_grant");
      // An error answer is passed on untouched: no expires_in slipped into it.
      expect(reused.body).not.toHaveProperty("expires_in");
    } finally {
      server.child.kill("SIGINT");
      await upstream.close();
    }
    expect(await server.exited).toBe(0);
    server.kill();

    const records: AttemptRecord[] = readFileSync(recordsFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(records).toHaveLength(3);
    const [first, second, third] = records;
    // The record keeps what the server said; Alexa got the override.
    // (The library counts the lifetime down from its own clock: 3600, or 3599 a second later.)
    const original = JSON.parse(first.upstream!.body).expires_in;
    expect(original).toBeGreaterThanOrEqual(3590);
    expect(original).toBeLessThanOrEqual(3600);
    expect(first.lineage?.expiresIn).toBe(120);
    const overridden = first.findings.find((finding) => finding.code === "EXPIRES_IN_OVERRIDDEN");
    expect(overridden).toMatchObject({ severity: "info" });
    expect(overridden?.message).toContain(`your server answered expires_in ${original}`);
    expect(first.verdict).not.toBe("fail");
    expect(second.lineage?.refreshTokenPresented).toBe(first.lineage?.refreshTokenIssued);
    expect(third.lineage?.refreshTokenPresented).toBe(first.lineage?.refreshTokenIssued);
    expect(third.findings.map((finding) => finding.code)).not.toContain("EXPIRES_IN_OVERRIDDEN");

    const json = await runScript("logs", ["--local", "--timeline", "--json"], env);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(1);
    const lines = json.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const chain = JSON.parse(lines[0]);
    expect(chain.type).toBe("link-chain");
    expect(chain.steps.map((step: { attemptId: string }) => step.attemptId)).toEqual(records.map((record) => record.attemptId));
    expect(chain.steps.map((step: { grantType: string; status: number }) => [step.grantType, step.status])).toEqual([
      ["authorization_code", 200],
      ["refresh_token", 200],
      ["refresh_token", 400],
    ]);
    expect(chain.state).toEqual({ kind: "broken", step: 3, reason: "REFRESH_TOKEN_REUSED" });
    expect(chain.findings.map((finding: { code: string }) => finding.code)).toContain("REFRESH_TOKEN_REUSED");

    const text = await runScript("logs", ["--local", "--timeline"], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("broken at step 3: REFRESH_TOKEN_REUSED");
    expect(text.stdout.split("\n").filter((line) => /^\s+\d\s+2\d{3}-/.test(line))).toHaveLength(3);

    const everything = [readFileSync(recordsFile, "utf8"), server.stdout(), server.stderr(), json.stdout, json.stderr, text.stdout, text.stderr].join("\n");
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  test("GIVEN no attempt in the window THEN --timeline says so and exits 3", async () => {
    const env = scriptEnv({ LOCAL_RECORDS_FILE: join(dir, "none.jsonl") });
    writeFileSync(env.LOCAL_RECORDS_FILE!, "");
    const result = await runScript("logs", ["--local", "--timeline", "--wait", "0"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/No linking attempt found/);
  });
});

describe("a real OAuth server that does not rotate refresh tokens, through the wrapper", () => {
  test("GIVEN two refreshes with the same token THEN both succeed, each without a new refresh token, and the chain is healthy", async () => {
    const upstream = await startOAuthServer({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tls: { key: testPki().valid.key, cert: testPki().valid.chain },
      rotateRefreshTokens: false,
    });
    const records: AttemptRecord[] = [];
    const send = async (form: string) => {
      const response = await handleTokenRequest(
        alexaEvent({ body: form, headers: { Authorization: basicAuth(CLIENT_ID, SECRET) } }),
        testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: trustStore(), expiresInOverride: 3600 }),
        (record) => records.push(record),
      );
      return JSON.parse(response.body);
    };
    try {
      const tokens = await send(codeGrant(upstream.issueCode()));
      for (let refresh = 0; refresh < 2; refresh += 1) expect((await send(refreshGrant(tokens.refresh_token))).access_token).toEqual(expect.any(String));
    } finally {
      await upstream.close();
    }
    const chains = buildLinkChains(records, new Date());
    expect(chains).toHaveLength(1);
    expect(chains[0].steps).toHaveLength(3);
    expect(chains[0].state).toEqual({ kind: "healthy" });
    expect(chains[0].findings.map((finding) => finding.code)).toEqual(["REFRESH_WITHOUT_NEW_REFRESH_TOKEN", "REFRESH_WITHOUT_NEW_REFRESH_TOKEN"]);
  });
});

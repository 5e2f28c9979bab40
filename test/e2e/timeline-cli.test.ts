/**
 * `npm run logs -- --timeline` as a user runs it (npm, a child process), against CloudWatch Logs in
 * moto_server, with records the wrapper really wrote in front of a real, rotating OAuth server
 * (@node-oauth/oauth2-server) with EXPIRES_IN_OVERRIDE=120, put as Lambda writes them in both
 * log formats.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { LogGroupFixture } from "../support/cloudwatch-fixture";
import { alexaEvent, basicAuth } from "../support/events";
import { runScript, scriptEnv } from "../support/npm-scripts";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";
import { MotoServer } from "./support/moto";
import { describeWhenAvailable, findMotoServer } from "./support/tools";

const STACK = "timeline-e2e";
const GROUP = `/aws/lambda/${STACK}-token-url`;
const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY-timeline-e2e-secret-2Vw9";

describeWhenAvailable("npm run logs -- --timeline against CloudWatch Logs in moto_server", findMotoServer(), (motoServer) => {
  jest.setTimeout(60_000);
  let moto: MotoServer;
  let fixture: LogGroupFixture;
  let upstream: OAuthUpstream;
  let env: NodeJS.ProcessEnv;
  const records: AttemptRecord[] = [];
  const secrets: string[] = [SECRET];

  /** One token request through the wrapper, as the Lambda handles it; its record kept. */
  async function wrapper(form: string, requestId: string): Promise<Record<string, string>> {
    const response = await handleTokenRequest(
      alexaEvent({ body: form, headers: { Authorization: basicAuth(CLIENT_ID, SECRET) }, requestId }),
      testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: trustStore(), expiresInOverride: 120 }),
      (record) => records.push(record),
    );
    const body = JSON.parse(response.body);
    for (const name of ["access_token", "refresh_token"]) if (body[name]) secrets.push(body[name]);
    return body;
  }
  const codeGrant = () => {
    const code = upstream.issueCode();
    secrets.push(code);
    return `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(ALEXA_REDIRECT_URI)}`;
  };
  const refreshGrant = (token: string) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    upstream = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    env = scriptEnv({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      STACK_NAME: STACK,
    });
    // Another user links first and refreshes once; then the user whose link breaks.
    const other = await wrapper(codeGrant(), "other-code");
    const user = await wrapper(codeGrant(), "user-code");
    await wrapper(refreshGrant(other.refresh_token), "other-refresh");
    await wrapper(refreshGrant(user.refresh_token), "user-refresh-1");
    await wrapper(refreshGrant(user.refresh_token), "user-refresh-2");

    fixture = new LogGroupFixture(moto.endpoint, GROUP);
    await fixture.createGroup();
    // Each record in its own invocation, alternating streams and log formats (text; JSON with
    // the record as a string, as handler.ts logs it; JSON with the record as an object).
    const streams = [
      { name: "2026/12/01/[$LATEST]text1111", format: "text" as const },
      { name: "2026/12/01/[$LATEST]json2222", format: "json" as const, jsonMessage: "string" as const },
      { name: "2026/12/01/[$LATEST]json3333", format: "json" as const, jsonMessage: "object" as const },
    ];
    for (const stream of streams) await fixture.createStream(stream.name);
    for (const [index, record] of records.entries()) {
      const stream = streams[index % streams.length];
      await fixture.putInvocation(stream.name, {
        requestId: `lambda-${record.attemptId}`,
        time: new Date(Date.parse(record.time) + 5),
        record,
        format: stream.format,
        jsonMessage: stream.jsonMessage,
      });
    }
  });

  afterAll(async () => {
    fixture?.destroy();
    moto?.stop();
    await upstream?.close();
  });

  test("GIVEN two users' links, one broken by a reused refresh token THEN two chains, the broken one first, exit 1", async () => {
    const run = await runScript("logs", ["--timeline", "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const chains = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(chains.map((chain) => chain.type)).toEqual(["link-chain", "link-chain"]);
    expect(chains.map((chain) => chain.steps.map((step: { attemptId: string }) => step.attemptId))).toEqual([
      ["user-code", "user-refresh-1", "user-refresh-2"],
      ["other-code", "other-refresh"],
    ]);
    expect(chains[0].state).toEqual({ kind: "broken", step: 3, reason: "REFRESH_TOKEN_REUSED" });
    expect(chains[0].findings.map((finding: { code: string }) => finding.code)).toEqual(["REFRESH_TOKEN_REUSED"]);
    expect(chains[1].state).toEqual({ kind: "healthy" });
    for (const secret of secrets) expect(run.stdout).not.toContain(secret);
  });

  test("GIVEN the same window in text THEN one line per step and each chain's state", async () => {
    const run = await runScript("logs", ["--timeline", "--since", "1h", "--region", "us-east-1", "--log-group", GROUP], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Link 1 of 2  broken at step 3: REFRESH_TOKEN_REUSED");
    expect(run.stdout).toContain("Link 2 of 2  healthy");
    expect(run.stdout.split("\n").filter((line) => /^\s+\d\s+2\d{3}-\d\d-\d\d /.test(line))).toHaveLength(5);
    expect(run.stdout).not.toMatch(/\u001b\[/);
    for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  test("GIVEN --timeline --html THEN the page has both chains, their states and every step; stdout is unchanged", async () => {
    const page = join(mkdtempSync(join(tmpdir(), "timeline-html-")), "timeline.html");
    const plain = await runScript("logs", ["--timeline"], env);
    const run = await runScript("logs", ["--timeline", "--html", page], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toContain(`HTML report: ${page}`);
    const html = readFileSync(page, "utf8");
    expect(html).toContain("Link 1 of 2");
    expect(html).toContain("broken at step 3: REFRESH_TOKEN_REUSED");
    expect(html).toContain("Link 2 of 2");
    expect(html.match(/<tr class="step /g)).toHaveLength(5);
    expect(html).toContain('data-code="REFRESH_TOKEN_REUSED"');
    for (const secret of secrets) expect(html).not.toContain(secret);
  });

  test("GIVEN a log group with no attempt THEN exit 3 and what to try", async () => {
    await fixture.createGroup("/aws/lambda/timeline-empty");
    const run = await runScript("logs", ["--timeline", "--wait", "0", "--log-group", "/aws/lambda/timeline-empty"], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("No linking attempt found in /aws/lambda/timeline-empty (us-east-1)");
  });
});

/**
 * Wrong secret or wrong scheme, and codes that were never issued: the probe against a real
 * OAuth 2.0 server (@node-oauth/oauth2-server) over real HTTPS, set up the ways customers'
 * token URLs are: accepting client credentials in the Authorization header only, in the body
 * only, or both; checking codes or redeeming any.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { parseProbeOptions, ProbeOptions } from "../../scripts/probe/probe-options";
import { runProbe } from "../../scripts/probe/run-probe";
import { renderAttempt } from "../../scripts/report/render-attempt";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";

const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY-schemes-secret-Qv83";
const WRONG_SECRET = "CANARY-schemes-wrong-Jd20";

function options(argv: string[], env: NodeJS.ProcessEnv): ProbeOptions {
  const parsed = parseProbeOptions(argv, env);
  if (parsed === "help") throw new Error("unexpected --help");
  return parsed;
}

/** The probe as the CLI runs it, the secret from ALEXA_CLIENT_SECRET. */
async function probe(upstream: OAuthUpstream, flags: string[] = [], secret = SECRET): Promise<AttemptRecord> {
  const record = await runProbe(options([upstream.url, "--client-id", CLIENT_ID, ...flags], { ALEXA_CLIENT_SECRET: secret }), {
    trustedCa: trustStore(),
  });
  const text = JSON.stringify(record) + renderAttempt(record, { color: false });
  for (const canary of [SECRET, WRONG_SECRET]) expect(text).not.toContain(canary);
  return record;
}

const codes = (record: AttemptRecord) =>
  record.findings.filter((finding) => finding.code !== "NON_STANDARD_PORT").map((finding) => `${finding.code}:${finding.severity}`);
const finding = (record: AttemptRecord, code: string) => record.findings.find((each) => each.code === code);

describe("the probe tells a wrong scheme from a wrong secret", () => {
  const servers: OAuthUpstream[] = [];
  const start = async (clientAuth: "both" | "basic" | "body", redeemsAnyCode = false) => {
    const server = await startOAuthServer({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tls: { key: testPki().valid.key, cert: testPki().valid.chain },
      clientAuth,
      redeemsAnyCode,
    });
    servers.push(server);
    return server;
  };
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  test("GIVEN a server that accepts body credentials only, probed with the defaults THEN CLIENT_AUTH_SCHEME_MISMATCH naming \"Credentials in request body\", both exchanges kept", async () => {
    const record = await probe(await start("body"));
    expect(codes(record)).toEqual(["CLIENT_AUTH_SCHEME_MISMATCH:error", "OAUTH_INVALID_GRANT:info"]);
    expect(record.verdict).toBe("fail");
    const mismatch = finding(record, "CLIENT_AUTH_SCHEME_MISMATCH")!;
    expect(mismatch.message).toContain('accepted the same credentials with "Credentials in request body"');
    expect(mismatch.message).toContain('rejected the client with "HTTP Basic"');
    expect(mismatch.fix).toContain('set "Your Authentication Scheme" to "Credentials in request body"');
    // The first request as sent, the retry beside it.
    expect(record.request.clientAuth).toBe("basic");
    expect(record.upstream?.status).toBe(400);
    expect(record.schemeRetry?.request.clientAuth).toBe("body");
    expect(record.schemeRetry?.upstream.body).toContain("invalid_grant");
    expect(record.schemeRetry?.request.fields.client_secret).toBe(fingerprint(SECRET));

    const report = renderAttempt(record, { color: false, width: 200 });
    expect(report.split("\n")[0]).toBe(
      '✗ FAIL  Alexa cannot link: the token URL accepts only the other "Your Authentication Scheme" (CLIENT_AUTH_SCHEME_MISMATCH)',
    );
    expect(report).toContain("Retried with the other scheme");
  });

  test("GIVEN a server that accepts Basic only, probed with the defaults THEN it passes, with one request", async () => {
    const record = await probe(await start("basic"));
    expect(codes(record)).toEqual(["OAUTH_INVALID_GRANT:info"]);
    expect(record.schemeRetry).toBeUndefined();
  });

  test("GIVEN a server that accepts Basic only and --auth body THEN CLIENT_AUTH_REJECTED with no retry", async () => {
    const record = await probe(await start("basic"), ["--auth", "body"]);
    expect(codes(record)).toEqual(["CLIENT_AUTH_REJECTED:error"]);
    expect(record.schemeRetry).toBeUndefined();
  });

  test("GIVEN a wrong secret THEN both schemes are rejected: CLIENT_AUTH_REJECTED saying the id or secret is wrong, with the fingerprint to compare", async () => {
    const record = await probe(await start("both"), [], WRONG_SECRET);
    expect(codes(record)).toEqual(["CLIENT_AUTH_REJECTED:error"]);
    const rejected = finding(record, "CLIENT_AUTH_REJECTED")!;
    expect(rejected.message).toContain("rejected the client with both schemes");
    expect(rejected.message).toContain("the client ID or the secret is wrong");
    expect(rejected.message).toContain(`client_id "${CLIENT_ID}" and the secret ${fingerprint(WRONG_SECRET)}`);
    expect(record.schemeRetry?.request.clientAuth).toBe("body");
  });

  test("GIVEN a real code and a body-only server THEN the retry redeems it: the mismatch, and tokens in the retry", async () => {
    const server = await start("body");
    const record = await probe(server, ["--code", server.issueCode(), "--redirect-uri", ALEXA_REDIRECT_URI]);
    expect(codes(record)).toEqual(["CLIENT_AUTH_SCHEME_MISMATCH:error"]);
    expect(record.schemeRetry?.upstream.status).toBe(200);
  });

  test("GIVEN a server that redeems any code THEN CODE_NOT_VERIFIED for the probe's made-up code", async () => {
    const record = await probe(await start("both", true));
    expect(codes(record)).toEqual(["CODE_NOT_VERIFIED:error"]);
    expect(record.upstream?.status).toBe(200);
    expect(finding(record, "CODE_NOT_VERIFIED")!.message).toContain(
      "issued tokens for an authorization code it never issued",
    );
    expect(renderAttempt(record, { color: false, width: 200 }).split("\n")[0]).toContain("(CODE_NOT_VERIFIED)");
  });

  test("GIVEN the same server and a code passed with --code THEN the code is taken as real: no CODE_NOT_VERIFIED", async () => {
    const record = await probe(await start("both", true), ["--code", "CANARY-schemes-code-as-given"]);
    expect(codes(record)).toEqual([]);
    expect(record.upstream?.status).toBe(200);
  });
});

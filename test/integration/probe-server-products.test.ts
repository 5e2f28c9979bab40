/**
 * Knowing the server, end to end through the probe over real HTTPS: a real OAuth 2.0 server
 * library (@node-oauth/oauth2-server) set up as Home Assistant's /auth/token is, and with PKCE;
 * a Cloudflare-shaped challenge; a token URL that wants a code_verifier on refresh.
 */
import { createHash, randomBytes } from "node:crypto";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { parseProbeOptions, ProbeOptions } from "../../scripts/probe/probe-options";
import { runProbe } from "../../scripts/probe/run-probe";
import { renderAttempt } from "../../scripts/report/render-attempt";
import { renderAttemptHtml } from "../../scripts/report/render-html";
import { buildAttemptReport } from "../../scripts/report/report-model";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";

const SECRET = "CANARY-products-secret-Lp41";
const HA_CLIENT_ID = "https://pitangui.amazon.com/";

function options(argv: string[], env: NodeJS.ProcessEnv): ProbeOptions {
  const parsed = parseProbeOptions(argv, env);
  if (parsed === "help") throw new Error("unexpected --help");
  return parsed;
}

async function probe(url: string, flags: string[], env: NodeJS.ProcessEnv = {}): Promise<AttemptRecord> {
  const record = await runProbe(options([url, ...flags], { ALEXA_CLIENT_SECRET: SECRET, ...env }), { trustedCa: trustStore() });
  const text = JSON.stringify(record) + renderAttempt(record, { color: false, width: 200 });
  expect(text).not.toContain(SECRET);
  for (const value of Object.values(env)) if (value) expect(text).not.toContain(value);
  return record;
}

const codes = (record: AttemptRecord) => record.findings.filter((each) => each.code !== "NON_STANDARD_PORT").map((each) => `${each.code}:${each.severity}`);
const finding = (record: AttemptRecord, code: string) => record.findings.find((each) => each.code === code);
const tls = () => ({ key: testPki().valid.key, cert: testPki().valid.chain });

describe("the probe knows the server", () => {
  const servers: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));
  const keep = <T extends { close(): Promise<void> }>(server: T): T => {
    servers.push(server);
    return server;
  };
  // Home Assistant: body-only client auth, a URL as client id, aiohttp in front, /auth/token.
  const homeAssistant = async (): Promise<OAuthUpstream> =>
    keep(
      await startOAuthServer({
        clientId: HA_CLIENT_ID,
        clientSecret: "unchecked",
        tls: tls(),
        homeAssistant: true,
        tokenPath: "/auth/token",
        headers: { server: "Python/3.12 aiohttp/3.9.5" },
      }),
    );

  test("GIVEN a server set up like Home Assistant, probed with the defaults (HTTP Basic) THEN the scheme mismatch, the client id to set, and Home Assistant named", async () => {
    const record = await probe((await homeAssistant()).url, ["--client-id", HA_CLIENT_ID]);
    expect(codes(record)).toEqual(["CLIENT_AUTH_SCHEME_MISMATCH:error", "OAUTH_INVALID_GRANT:info", "SERVER_IDENTIFIED:info"]);
    const mismatch = finding(record, "CLIENT_AUTH_SCHEME_MISMATCH")!;
    expect(mismatch.fix).toContain('set "Your Authentication Scheme" to "Credentials in request body"');
    expect(mismatch.fix).toContain('Home Assistant ("Amazon Alexa Smart Home Skill", Account Linking): set "Your Client ID" to https://pitangui.amazon.com/');
    expect(record.server?.server?.name).toBe("Home Assistant");
    expect(record.server?.server?.evidence).toContain('answer is Home Assistant\'s "invalid_request": "Invalid client id"');
    const report = renderAttempt(record, { color: false, width: 200 });
    expect(report).toMatch(/Server\s[\s\S]*product\s+Home Assistant/);
    // The page shows the same section, from the same report model.
    const page = renderAttemptHtml(buildAttemptReport(record), { toolVersion: "test" });
    expect(page).toContain("Server");
    expect(page).toContain("Home Assistant");
    // The page offers line breaks after a path's separators (<wbr>), which a reader never sees.
    expect(page.replaceAll("<wbr>", "")).toContain("path is /auth/token");
  });

  test("GIVEN Home Assistant and a client id that is not a URL THEN rejected with both schemes, and the fix names the client id to set for the region probed", async () => {
    const record = await probe((await homeAssistant()).url, ["--client-id", "alexa-skill", "--redirect-uri", "https://layla.amazon.com/api/skill/link/M2EUROPEEUROPE"]);
    expect(codes(record)).toEqual(["CLIENT_AUTH_REJECTED:error", "SERVER_IDENTIFIED:info"]);
    expect(finding(record, "CLIENT_AUTH_REJECTED")!.fix).toContain('set "Your Client ID" to https://layla.amazon.com/ (the origin of the Europe redirect URL');
  });

  describe("PKCE", () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    let server: OAuthUpstream;
    beforeAll(async () => {
      server = keep(await startOAuthServer({ clientId: "alexa-skill", clientSecret: SECRET, tls: tls() }));
    });

    test("GIVEN a code issued for a code_challenge WHEN probed with --pkce and its verifier THEN the PKCE-checking server issues tokens", async () => {
      const record = await probe(server.url, ["--client-id", "alexa-skill", "--code", server.issueCode({ codeChallenge: challenge }), "--redirect-uri", ALEXA_REDIRECT_URI, "--pkce"], { ALEXA_CODE_VERIFIER: verifier });
      expect(record.upstream?.status).toBe(200);
      expect(record.verdict).not.toBe("fail");
      expect(record.request.fields.code_verifier).toMatch(/^\[redacted/);
    });

    test("GIVEN the same WHEN probed without --pkce THEN PKCE_REQUIRED names PKCE and the skill setting", async () => {
      const record = await probe(server.url, ["--client-id", "alexa-skill", "--code", server.issueCode({ codeChallenge: challenge }), "--redirect-uri", ALEXA_REDIRECT_URI]);
      const pkce = finding(record, "PKCE_REQUIRED")!;
      expect(pkce.severity).toBe("error");
      expect(pkce.message).toContain("code_verifier");
      expect(pkce.fix).toContain("enable PKCE for the skill in the Alexa developer console (your skill > Account Linking)");
    });

    test("GIVEN --pkce with a wrong verifier THEN the server refuses it, and no PKCE_REQUIRED (a verifier was sent)", async () => {
      const record = await probe(server.url, ["--client-id", "alexa-skill", "--code", server.issueCode({ codeChallenge: challenge }), "--redirect-uri", ALEXA_REDIRECT_URI, "--pkce"]);
      expect(record.upstream?.status).toBe(400);
      expect(codes(record)).toEqual(["OAUTH_INVALID_GRANT:error"]);
    });
  });

  test("GIVEN a token URL that wants code_verifier on a refresh THEN PKCE_VERIFIER_REQUIRED_ON_REFRESH", async () => {
    const server: TestServer = keep(
      await startHttpsServer(tls(), (request, response) => {
        request.resume();
        request.on("end", () => {
          response.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
          response.end('{"error":"invalid_request","error_description":"Missing parameter: code_verifier"}');
        });
      }),
    );
    const record = await probe(server.url, ["--client-id", "alexa-skill", "--grant", "refresh_token"], { ALEXA_REFRESH_TOKEN: "CANARY-refresh-Xy72" });
    expect(codes(record)[0]).toBe("PKCE_VERIFIER_REQUIRED_ON_REFRESH:error");
    expect(record.request.fields.code_verifier).toBeUndefined();
  });

  test("GIVEN a Cloudflare-shaped challenge (503, cf-mitigated, \"Just a moment...\") THEN BOT_CHALLENGE naming Bot Fight Mode, Cloudflare in front", async () => {
    const server: TestServer = keep(
      await startHttpsServer(tls(), (request, response) => {
        request.resume();
        request.on("end", () => {
          response.writeHead(503, { "content-type": "text/html; charset=UTF-8", server: "cloudflare", "cf-ray": "8c1f2a3b4c5d6e7f-FRA", "cf-mitigated": "challenge" });
          response.end("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>");
        });
      }),
    );
    const record = await probe(server.url, ["--client-id", "alexa-skill"]);
    expect(codes(record)).toEqual(["BOT_CHALLENGE:error", "SERVER_IDENTIFIED:info"]);
    expect(finding(record, "BOT_CHALLENGE")!.fix).toContain("turn Bot Fight Mode off");
    expect(record.server?.front?.name).toBe("Cloudflare");
  });
});

/**
 * The wrapper in front of a real OAuth 2.0 server (@node-oauth/oauth2-server over HTTPS with
 * a test-CA certificate): real codes, real tokens, both of Alexa's client-auth schemes.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { alexaEvent, basicAuth } from "../support/events";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";

const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY-oauth-secret-3Hf8";

describe("wrapper mode in front of a real OAuth server", () => {
  let upstream: OAuthUpstream;
  beforeAll(async () => {
    upstream = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
  });
  afterAll(() => upstream.close());

  async function exchange(body: string, auth: "basic" | "body", secret = SECRET) {
    const form = auth === "body" ? `${body}&client_id=${CLIENT_ID}&client_secret=${encodeURIComponent(secret)}` : body;
    const records: AttemptRecord[] = [];
    const response = await handleTokenRequest(
      alexaEvent({ body: form, headers: auth === "basic" ? { Authorization: basicAuth(CLIENT_ID, secret) } : {} }),
      testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: trustStore() }),
      (record) => records.push(record),
    );
    expect(records).toHaveLength(1);
    const codes = records[0].findings.map((finding) => finding.code).filter((code) => code !== "NON_STANDARD_PORT");
    return { response, record: records[0], codes, logged: JSON.stringify(records[0]) };
  }

  const codeGrant = (code: string) =>
    `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(ALEXA_REDIRECT_URI)}`;

  test.each(["basic", "body"] as const)(
    "GIVEN a fresh code with client auth %s THEN tokens come back intact, the code cannot be reused, and refresh works",
    async (auth) => {
      const code = upstream.issueCode();
      const first = await exchange(codeGrant(code), auth);
      expect(first.response.statusCode).toBe(200);
      expect(first.codes).toEqual([]);
      expect(first.record.request.clientAuth).toBe(auth);
      const tokens = JSON.parse(first.response.body);
      expect(tokens).toMatchObject({ access_token: expect.any(String), token_type: "Bearer", expires_in: expect.any(Number) });
      for (const secret of [SECRET, code, tokens.access_token, tokens.refresh_token]) expect(first.logged).not.toContain(secret);

      const reused = await exchange(codeGrant(code), auth);
      expect(reused.response.statusCode).toBe(400);
      expect(JSON.parse(reused.response.body)).toMatchObject({ error: "invalid_grant" });
      expect(reused.codes).toEqual(["OAUTH_INVALID_GRANT"]);
      const invalidGrant = reused.record.findings.find((finding) => finding.code === "OAUTH_INVALID_GRANT")!;
      expect(invalidGrant.severity).toBe("error");
      expect(invalidGrant.message).toMatch(/pitangui\.amazon\.com/);
      expect(invalidGrant.message).toMatch(/North America/);

      // The refresh token Alexa got works, so it reached Alexa byte for byte.
      const refreshed = await exchange(`grant_type=refresh_token&refresh_token=${tokens.refresh_token}`, auth);
      expect(refreshed.response.statusCode).toBe(200);
      expect(JSON.parse(refreshed.response.body).access_token).not.toBe(tokens.access_token);
      // The library rotates refresh tokens (test/support/oauth-server.ts): Alexa keeps the new one.
      expect(refreshed.codes).toEqual(["REFRESH_TOKEN_ROTATED"]);
      expect(refreshed.logged).not.toContain(tokens.refresh_token);
    },
  );

  test("GIVEN a wrong client secret THEN CLIENT_AUTH_REJECTED names the scheme Alexa used", async () => {
    const wrong = await exchange(codeGrant(upstream.issueCode()), "basic", "CANARY-wrong-secret-00");
    expect(wrong.response.statusCode).toBe(401);
    expect(wrong.codes).toEqual(["CLIENT_AUTH_REJECTED"]);
    expect(wrong.record.findings.find((finding) => finding.code === "CLIENT_AUTH_REJECTED")?.message).toMatch(/HTTP Basic/);
    expect(wrong.logged).not.toContain("CANARY-wrong-secret-00");
  });
});

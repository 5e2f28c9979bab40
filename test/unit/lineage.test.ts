import { fingerprint } from "../../functions/token-url/fingerprint";
import { tokenLineage } from "../../functions/token-url/lineage";
import { redactFields } from "../../functions/token-url/redact";

const R1 = "CANARY-lineage-refresh-1";

describe("tokenLineage", () => {
  test("GIVEN a refresh answered with a new pair THEN fingerprints of the presented and issued tokens, as the redaction makes them", () => {
    const fields = { grant_type: "refresh_token", refresh_token: R1 };
    const lineage = tokenLineage(fields, {
      statusCode: 200,
      body: JSON.stringify({ access_token: "CANARY-a2", refresh_token: "CANARY-r2", expires_in: 120 }),
    });
    expect(lineage).toEqual({
      refreshTokenPresented: fingerprint(R1),
      refreshTokenIssued: fingerprint("CANARY-r2"),
      accessTokenIssued: fingerprint("CANARY-a2"),
      expiresIn: 120,
    });
    // The same fingerprint the record's redacted request fields show, so old records still chain.
    expect(lineage.refreshTokenPresented).toBe(redactFields(fields).refresh_token);
    expect(JSON.stringify(lineage)).not.toMatch(/CANARY/);
  });

  test.each([
    ["an error answer", 400, '{"error":"invalid_grant","refresh_token":"CANARY-x"}'],
    ["an HTML page", 200, "<html>refresh_token=CANARY-x</html>"],
    ["an answer without tokens", 200, '{"token_type":"Bearer","expires_in":"3600"}'],
  ])("GIVEN %s THEN nothing issued", (_name, statusCode, body) => {
    expect(tokenLineage({ grant_type: "authorization_code", code: "c" }, { statusCode, body })).toEqual({
      refreshTokenPresented: null,
      refreshTokenIssued: null,
      accessTokenIssued: null,
      expiresIn: null,
    });
  });

  test("GIVEN an answer that says its refresh token dies (refresh_expires_in) THEN the time it dies, counted from the answer; without one, no such field", () => {
    const issuedAt = new Date("2026-12-01T10:00:00.000Z");
    const answer = (extra: object) => ({ statusCode: 200, body: JSON.stringify({ access_token: "CANARY-a", refresh_token: "CANARY-r", expires_in: 300, ...extra }) });
    expect(tokenLineage({ grant_type: "authorization_code" }, answer({ refresh_expires_in: 1800 }), issuedAt).refreshTokenExpiresAt).toBe("2026-12-01T10:30:00.000Z");
    expect(tokenLineage({ grant_type: "authorization_code" }, answer({}), issuedAt)).not.toHaveProperty("refreshTokenExpiresAt");
  });
});

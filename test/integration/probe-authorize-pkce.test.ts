/**
 * The authorization check and PKCE, against a real HTTPS authorization endpoint on 127.0.0.1
 * that requires a code_challenge (test/support/authorize-servers.ts, "requires pkce").
 */
import { probeAuthorization } from "../../scripts/probe/authorize-probe";
import { AuthorizeServer, startAuthorizeServer } from "../support/authorize-servers";
import { testPki, trustStore } from "../support/pki";

describe("probe --authorize-url and PKCE", () => {
  let server: AuthorizeServer;
  beforeAll(async () => {
    server = await startAuthorizeServer({ behaviour: "requires pkce", registered: [], certificate: testPki().valid });
  });
  afterAll(() => server.close());

  const check = (pkce: boolean) =>
    probeAuthorization({ authorizeUrl: server.authorizeUrl, clientId: "alexa-skill", vendorId: "M2AAAAAAAAAAAA", timeoutMs: 5_000, pkce }, { trustedCa: trustStore() });

  test("GIVEN a server that requires PKCE, checked without it THEN PKCE_REQUIRED names PKCE and the skill setting, no generic authorization error", async () => {
    const { findings } = await check(false);
    const codes = findings.map((finding) => finding.code);
    expect(codes).toContain("PKCE_REQUIRED");
    expect(codes).not.toContain("AUTHORIZE_OAUTH_ERROR");
    const pkce = findings.find((finding) => finding.code === "PKCE_REQUIRED")!;
    expect(pkce.message).toContain("PKCE code challenge is required");
    expect(pkce.fix).toContain("enable PKCE for the skill in the Alexa developer console");
  });

  test("GIVEN the same, checked with --pkce (code_challenge S256) THEN no PKCE finding: the server shows its login page", async () => {
    const { findings, section } = await check(true);
    expect(findings.map((finding) => finding.code)).not.toContain("PKCE_REQUIRED");
    expect(section.regions.every((region) => region.answer.location?.startsWith("/login"))).toBe(true);
  });
});

import { skillSettingsFindings, SkillAccountLinking } from "../../../functions/token-url/diagnosis/skill-settings-rules";

const HEALTHY: SkillAccountLinking = {
  type: "AUTH_CODE",
  authorizationUrl: "https://auth.example.com/authorize",
  accessTokenUrl: "https://auth.example.com/token",
  accessTokenScheme: "HTTP_BASIC",
  domains: [],
};
const codes = (settings: SkillAccountLinking, context = {}) => skillSettingsFindings(settings, context).map((f) => f.code);

describe("skill settings rules", () => {
  test("GIVEN healthy settings on one host THEN no findings", () => {
    expect(skillSettingsFindings(HEALTHY)).toEqual([]);
  });

  test("GIVEN the implicit grant THEN SKILL_IMPLICIT_GRANT (warning): no token URL call, no refresh token", () => {
    const [finding] = skillSettingsFindings({ ...HEALTHY, type: "IMPLICIT" });
    expect(finding).toMatchObject({ code: "SKILL_IMPLICIT_GRANT", severity: "warning" });
    expect(finding.message).toMatch(/never calls the Access Token URI/);
  });

  test.each([
    ["accessTokenUrl", "http://auth.example.com/token", "SKILL_URL_NOT_HTTPS", "error"],
    ["authorizationUrl", "http://auth.example.com/authorize", "SKILL_URL_NOT_HTTPS", "error"],
    ["accessTokenUrl", "not a url", "SKILL_URL_NOT_HTTPS", "error"],
    ["accessTokenUrl", "https://auth.example.com:8443/token", "SKILL_URL_NON_STANDARD_PORT", "warning"],
    ["authorizationUrl", "https://auth.example.com:444/authorize", "SKILL_URL_NON_STANDARD_PORT", "warning"],
  ])("GIVEN %s %s THEN %s", (field, value, code, severity) => {
    const findings = skillSettingsFindings({ ...HEALTHY, [field]: value }).filter((f) => f.code.startsWith("SKILL_URL"));
    expect(findings).toEqual([expect.objectContaining({ code, severity, message: expect.stringContaining(`(${field})`) })]);
  });

  test("GIVEN port 443 written out THEN it is the standard port", () => {
    expect(codes({ ...HEALTHY, accessTokenUrl: "https://auth.example.com:443/token" })).toEqual([]);
  });

  test("GIVEN a scheme the token URL does not accept THEN SKILL_SCHEME_MISMATCH names the one it does", () => {
    const [finding] = skillSettingsFindings(HEALTHY, { acceptedScheme: "body" });
    expect(finding).toMatchObject({ code: "SKILL_SCHEME_MISMATCH", severity: "error" });
    expect(finding.fix).toContain('"Credentials in request body"');
    expect(codes(HEALTHY, { acceptedScheme: "basic" })).toEqual([]);
    expect(codes({ ...HEALTHY, accessTokenScheme: "REQUEST_BODY_CREDENTIALS" }, { acceptedScheme: "body" })).toEqual([]);
  });

  test("GIVEN the login and token hosts differ THEN each host the Domain List does not cover is named", () => {
    const split = { ...HEALTHY, accessTokenUrl: "https://oauth.example.net/token" };
    const findings = skillSettingsFindings(split);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ["SKILL_DOMAIN_NOT_LISTED", "info"],
      ["SKILL_DOMAIN_NOT_LISTED", "info"],
    ]);
    expect(findings[1].message).toContain("oauth.example.net");
    expect(codes({ ...split, domains: ["example.com", "*.example.net"] })).toEqual([]);
  });

  test("GIVEN the skill points at the debugger THEN the debugger's host needs no Domain List entry", () => {
    const debugUrl = "https://abc.execute-api.us-east-1.amazonaws.com/debug/token";
    expect(codes({ ...HEALTHY, accessTokenUrl: debugUrl }, { debugTokenUrl: debugUrl })).toEqual([]);
  });

  test("GIVEN a default expiration THEN SKILL_DEFAULT_TOKEN_EXPIRATION (info) says it is Alexa's fallback", () => {
    const [finding] = skillSettingsFindings({ ...HEALTHY, defaultTokenExpirationInSeconds: 20 });
    expect(finding).toMatchObject({ code: "SKILL_DEFAULT_TOKEN_EXPIRATION", severity: "info" });
    expect(finding.message).toContain("no expires_in");
    expect(finding.message).toContain("20 seconds");
  });

  test("GIVEN fields of unexpected types THEN the rules ignore them instead of throwing", () => {
    expect(() =>
      skillSettingsFindings({ type: 1, accessTokenUrl: {}, authorizationUrl: [], domains: "x", defaultTokenExpirationInSeconds: "3600" }),
    ).not.toThrow();
  });
});

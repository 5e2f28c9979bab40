import { diagnose } from "../../../functions/token-url/diagnosis/diagnose";
import type { ProbeOptionsGiven } from "../../../functions/token-url/diagnosis/exchange";
import { durationInWords } from "../../../functions/token-url/diagnosis/duration-words";
import { lifetimeFindings } from "../../../functions/token-url/diagnosis/lifetime-rules";
import { reuseFinding, rotationFindings } from "../../../functions/token-url/diagnosis/rotation-rules";
import { tokenLifetimesOf } from "../../../functions/token-url/diagnosis/token-lifetimes";
import { fingerprint } from "../../../functions/token-url/fingerprint";
import type { ServerMetadata } from "../../../functions/token-url/upstream/server-metadata";
import { aContext, anAnswer, aRequest, aTokenBody, codesAndSeverities, codesOf, NOW } from "./builders";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (claims: object) => `${b64({ alg: "HS512", typ: "JWT" })}.${b64(claims)}.c2ln`;
const nowSeconds = NOW.getTime() / 1000;
const KEYCLOAK_METADATA: ServerMetadata = {
  url: "https://auth.example.com/realms/demo/.well-known/openid-configuration",
  issuer: "https://auth.example.com/realms/demo",
  scopesSupported: ["openid", "profile", "email", "offline_access"],
  tokenEndpointAuthMethodsSupported: null,
  codeChallengeMethodsSupported: null,
  grantTypesSupported: null,
  tokenEndpoint: null,
  authorizationEndpoint: null,
};
const LIFETIME_CODES = ["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED", "REFRESH_TOKEN_ROTATED"];

describe("lifetime rules", () => {
  test("GIVEN a healthy answer (3600 s, a refresh token that does not say it dies) and metadata with offline_access granted THEN no lifetime finding", () => {
    const answer = anAnswer(200, aTokenBody({ scope: "profile offline_access" }));
    expect(lifetimeFindings(answer, aContext({ serverMetadata: KEYCLOAK_METADATA }))).toEqual([]);
    expect(codesOf(diagnose(aRequest(), answer, aContext({ serverMetadata: KEYCLOAK_METADATA }))).filter((code) => LIFETIME_CODES.includes(code))).toEqual([]);
  });

  test("GIVEN expires_in 300 (Keycloak's default) THEN ACCESS_TOKEN_LIFETIME_SHORT names both numbers and says Amazon's enforcement is undocumented; 360 passes", () => {
    const [finding] = lifetimeFindings(anAnswer(200, aTokenBody({ expires_in: 300 })), aContext());
    expect(finding.code).toBe("ACCESS_TOKEN_LIFETIME_SHORT");
    expect(finding.severity).toBe("warning");
    expect(finding.message).toContain("300 seconds");
    expect(finding.message).toContain("at least 360 seconds");
    expect(finding.message).toContain("does not document");
    expect(lifetimeFindings(anAnswer(200, aTokenBody({ expires_in: 360 })), aContext())).toEqual([]);
    // A string is EXPIRES_IN_NOT_NUMBER's to report, not a lifetime.
    expect(lifetimeFindings(anAnswer(200, aTokenBody({ expires_in: "300" })), aContext())).toEqual([]);
  });

  test("GIVEN refresh_expires_in 1800 THEN REFRESH_TOKEN_EXPIRES gives the lifetime in words, the UTC time the link breaks, and that Alexa refreshes only on use", () => {
    const [finding] = lifetimeFindings(anAnswer(200, aTokenBody({ refresh_expires_in: 1800 })), aContext());
    expect(finding.code).toBe("REFRESH_TOKEN_EXPIRES");
    expect(finding.severity).toBe("warning");
    expect(finding.message).toContain("30 minutes after this answer (refresh_expires_in 1800)");
    expect(finding.message).toContain("before 2026-11-24 19:30:00Z");
    expect(finding.message).toContain("Alexa refreshes only when the skill is used");
  });

  test("GIVEN a JWT refresh token whose exp is 2 days away and no refresh_expires_in THEN REFRESH_TOKEN_EXPIRES reads the exp", () => {
    const answer = anAnswer(200, aTokenBody({ refresh_token: jwt({ exp: nowSeconds + 2 * 86_400, typ: "Refresh" }) }));
    const [finding] = lifetimeFindings(answer, aContext());
    expect(finding.code).toBe("REFRESH_TOKEN_EXPIRES");
    expect(finding.message).toContain("2 days after this answer (the refresh token's JWT exp)");
    expect(finding.message).toContain("2026-11-26 19:00:00Z");
  });

  test("GIVEN refresh tokens that live 30 days or more, or refresh_expires_in 0 (Keycloak's offline token) THEN no REFRESH_TOKEN_EXPIRES (the threshold is 30 days)", () => {
    for (const body of [
      aTokenBody({ refresh_expires_in: 30 * 86_400 }),
      aTokenBody({ refresh_expires_in: 0 }),
      aTokenBody({ refresh_token: jwt({ exp: nowSeconds + 90 * 86_400 }) }),
    ]) {
      expect(lifetimeFindings(anAnswer(200, body), aContext())).toEqual([]);
    }
    expect(codesOf(lifetimeFindings(anAnswer(200, aTokenBody({ refresh_expires_in: 30 * 86_400 - 1 })), aContext()))).toEqual(["REFRESH_TOKEN_EXPIRES"]);
  });

  test("GIVEN metadata offering offline_access and a granted scope without it THEN OFFLINE_ACCESS_NOT_REQUESTED names the metadata URL and the skill's Scope setting", () => {
    const [finding] = lifetimeFindings(anAnswer(200, aTokenBody({ scope: "profile email" })), aContext({ serverMetadata: KEYCLOAK_METADATA }));
    expect(finding.code).toBe("OFFLINE_ACCESS_NOT_REQUESTED");
    expect(finding.message).toContain(KEYCLOAK_METADATA.url);
    expect(finding.message).toContain('"profile email"');
    expect(finding.fix).toContain("Scope setting");
  });

  test("GIVEN the scope only in a JWT access token's claims THEN it counts as granted; without metadata, or without a scope anywhere, nothing is said", () => {
    const jwtAccess = aTokenBody({ access_token: jwt({ scope: "openid profile", exp: nowSeconds + 3600 }) });
    expect(codesOf(lifetimeFindings(anAnswer(200, jwtAccess), aContext({ serverMetadata: KEYCLOAK_METADATA })))).toEqual(["OFFLINE_ACCESS_NOT_REQUESTED"]);
    expect(lifetimeFindings(anAnswer(200, aTokenBody({ scope: "profile" })), aContext())).toEqual([]);
    expect(lifetimeFindings(anAnswer(200, aTokenBody()), aContext({ serverMetadata: KEYCLOAK_METADATA }))).toEqual([]);
    expect(lifetimeFindings(anAnswer(200, aTokenBody({ scope: "profile" })), aContext({ serverMetadata: { ...KEYCLOAK_METADATA, scopesSupported: ["openid"] } }))).toEqual([]);
  });

  test("GIVEN an error answer THEN no lifetime finding, whatever it holds", () => {
    expect(lifetimeFindings(anAnswer(400, { error: "invalid_grant", expires_in: 10 }), aContext())).toEqual([]);
  });

  test("GIVEN Keycloak's default answer THEN all three lifetime warnings, in order, after the token body findings", () => {
    const body = aTokenBody({ expires_in: 300, refresh_expires_in: 1800, refresh_token: jwt({ exp: nowSeconds + 1800 }), scope: "profile email" });
    const findings = diagnose(aRequest(), anAnswer(200, body), aContext({ serverMetadata: KEYCLOAK_METADATA }));
    expect(codesAndSeverities(findings)).toEqual([
      "ACCESS_TOKEN_LIFETIME_SHORT:warning",
      "REFRESH_TOKEN_EXPIRES:warning",
      "OFFLINE_ACCESS_NOT_REQUESTED:warning",
    ]);
  });

  test("GIVEN lifetimes THEN the facts say where each came from", () => {
    const facts = tokenLifetimesOf(aTokenBody({ refresh_expires_in: 1800, refresh_token: jwt({ exp: nowSeconds + 60 }) }), NOW);
    expect(facts.refreshToken).toEqual({ seconds: 1800, expiresAt: new Date(NOW.getTime() + 1_800_000), source: "refresh_expires_in" });
    expect(tokenLifetimesOf(aTokenBody({ refresh_token: "opaque" }), NOW).refreshToken).toBeNull();
    expect(tokenLifetimesOf({ access_token: "a" }, NOW)).toEqual({ accessTokenSeconds: null, refreshToken: null, grantedScope: null });
  });

  test.each([
    [1800, "30 minutes"],
    [3600, "1 hour"],
    [90_061, "1 day 1 hour"],
    [14 * 86_400, "14 days"],
    [59, "59 seconds"],
  ])("GIVEN %i seconds THEN %s", (seconds, words) => {
    expect(durationInWords(seconds)).toBe(words);
  });
});

describe("rotation rules", () => {
  const refresh = (presented: string) => aRequest({ grantType: "refresh_token", redirectUri: null, refreshTokenPresented: fingerprint(presented) });

  test("GIVEN a refresh answered with a new refresh token THEN REFRESH_TOKEN_ROTATED (info), worded for the probe or for Alexa", () => {
    const answer = anAnswer(200, aTokenBody({ refresh_token: "R2" }));
    const probe = rotationFindings(refresh("R1"), answer, { mode: "probe" }, fingerprint);
    expect(codesAndSeverities(probe)).toEqual(["REFRESH_TOKEN_ROTATED:info"]);
    expect(probe[0].message).toContain("the one you passed may no longer work");
    expect(rotationFindings(refresh("R1"), answer, { mode: "proxy" }, fingerprint)[0].message).toContain("Alexa keeps the new one");
  });

  test.each([
    [{ checkRotation: false }, ["--save-tokens FILE keeps it", "--check-rotation tells"]],
    [{ checkRotation: false, saveTokensFile: "tokens.json" }, ["goes to tokens.json", "--check-rotation tells"]],
    [{ checkRotation: true }, ["--save-tokens FILE keeps it", "the rotation check"]],
    [{ checkRotation: true, saveTokensFile: "tokens.json" }, ["goes to tokens.json", "the rotation check"]],
  ] as [ProbeOptionsGiven, string[]][])("GIVEN a rotating refresh probed with %j THEN REFRESH_TOKEN_ROTATED advises only the options not passed", (probeOptions, says) => {
    const [finding] = rotationFindings(refresh("R1"), anAnswer(200, aTokenBody({ refresh_token: "R2" })), { mode: "probe", probeOptions }, fingerprint);
    for (const text of says) expect(finding.message).toContain(text);
    if (probeOptions.saveTokensFile) expect(finding.message).not.toContain("--save-tokens FILE");
    if (probeOptions.checkRotation) expect(finding.message).not.toContain("--check-rotation");
  });

  test("GIVEN a refresh answered with the same refresh token, or none, or a code exchange THEN no REFRESH_TOKEN_ROTATED", () => {
    expect(rotationFindings(refresh("R1"), anAnswer(200, aTokenBody({ refresh_token: "R1" })), { mode: "probe" }, fingerprint)).toEqual([]);
    expect(rotationFindings(refresh("R1"), anAnswer(200, aTokenBody({ refresh_token: undefined })), { mode: "probe" }, fingerprint)).toEqual([]);
    expect(rotationFindings(aRequest(), anAnswer(200, aTokenBody()), { mode: "probe" }, fingerprint)).toEqual([]);
  });

  test("GIVEN the old token refused at once THEN REFRESH_ROTATION_IMMEDIATE quotes the server and Amazon's ask; accepted THEN REFRESH_ROTATION_TOLERANT (info)", () => {
    const immediate = reuseFinding({ accepted: false, answer: "400", serverSaid: "invalid_grant: refresh token is invalid" });
    expect(immediate?.code).toBe("REFRESH_ROTATION_IMMEDIATE");
    expect(immediate?.severity).toBe("warning");
    expect(immediate?.message).toContain("invalid_grant: refresh token is invalid");
    expect(immediate?.message).toContain("Amazon asks that an old refresh token not be invalidated immediately");
    const tolerant = reuseFinding({ accepted: true, answer: "200", serverSaid: null, issued: "new" });
    expect(tolerant?.code).toBe("REFRESH_ROTATION_TOLERANT");
    expect(tolerant?.severity).toBe("info");
    expect(tolerant?.message).toContain("was not tried");
    expect(reuseFinding({ accepted: true, answer: "200", serverSaid: null, issued: "same" })?.message).toContain("stays current");
    expect(tolerant?.fix).toContain("--save-tokens FILE keeps them");
    expect(reuseFinding({ accepted: true, answer: "200", serverSaid: null, issued: "new", saveTokensFile: "t.json" })?.fix).toMatch(/they go to t\.json\)\.$/);
    // No answer at all tells nothing about rotation.
    expect(reuseFinding({ accepted: false, answer: "CONNECTION_RESET", serverSaid: null })).toBeNull();
  });
});

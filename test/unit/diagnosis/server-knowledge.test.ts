import { Finding } from "../../../functions/token-url/diagnosis/finding";
import { PRODUCT_FIXES } from "../../../functions/token-url/diagnosis/product-settings";
import { identifyServer, PRODUCT_NAMES, Product } from "../../../functions/token-url/diagnosis/server-identification";
import { withServerKnowledge } from "../../../functions/token-url/diagnosis/server-knowledge";
import { diagnose } from "../../../functions/token-url/diagnosis/diagnose";
import { aContext, anAnswer, aRequest, codesAndSeverities, NA_REDIRECT } from "./builders";
import { SERVER_FIXTURES } from "./server-fixtures";

const finding = (code: string): Finding => ({ code, severity: "warning", message: "m", fix: "Generic fix." });
const context = { tokenUrl: "https://sso.example.com/realms/alexa/protocol/openid-connect/token", redirectUri: NA_REDIRECT };

describe("withServerKnowledge", () => {
  test("GIVEN Keycloak and the lifetime findings another branch adds THEN each fix names Keycloak's own setting, after the generic fix", () => {
    const identity = identifyServer(SERVER_FIXTURES.Keycloak);
    const codes = ["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED", "REFRESH_ROTATION_IMMEDIATE"];
    const fixes = withServerKnowledge(codes.map(finding), identity, context).map((each) => each.fix);
    expect(fixes[0]).toMatch(/^Generic fix\. Keycloak \("Session and token timeouts"\): Realm settings > Tokens > "Access Token Lifespan"/);
    expect(fixes[1]).toContain('"SSO Session Idle"');
    expect(fixes[2]).toContain('"Offline Session Idle"');
    expect(fixes[3]).toContain('"Revoke Refresh Token"');
  });

  test("GIVEN Home Assistant and a scheme mismatch THEN the fix gives the region's origin as client id and \"Credentials in request body\"", () => {
    const [fixed] = withServerKnowledge([finding("CLIENT_AUTH_SCHEME_MISMATCH")], identifyServer(SERVER_FIXTURES["Home Assistant"]), context);
    expect(fixed.fix).toContain('set "Your Client ID" to https://pitangui.amazon.com/ (the origin of the North America redirect URL');
    expect(fixed.fix).toContain('"Credentials in request body"');
  });

  test("GIVEN settings whose console labels changed between versions THEN the fix names the current label and the older one", () => {
    const fixOf = (product: Product, code: string) => PRODUCT_FIXES[product][code]!({ regionOrigin: null, regionName: null, tokenPath: "/token" });
    expect(fixOf("keycloak", "PKCE_REQUIRED")).toContain('Settings > Capability config > "PKCE Method" (older versions: Advanced > Advanced settings > "Proof Key for Code Exchange Code Challenge Method")');
    expect(fixOf("google", "CLIENT_AUTH_REJECTED")).toContain("Google Auth Platform > Clients (formerly APIs & Services > Credentials)");
    expect(fixOf("entra-id", "AUTHORIZE_REDIRECT_URI_REJECTED")).toMatch(/^Microsoft Entra ID \("Redirect URI \(reply URL\) outline and restrictions", /);
  });

  test("GIVEN the same findings twice (the probe applies it again after its retry) THEN nothing is added twice, one SERVER_IDENTIFIED", () => {
    const identity = identifyServer(SERVER_FIXTURES.Auth0);
    const once = withServerKnowledge([finding("REFRESH_ROTATION_IMMEDIATE")], identity, context);
    const twice = withServerKnowledge(once, identity, context);
    expect(twice).toEqual(once);
    expect(twice.map((each) => each.code)).toEqual(["REFRESH_ROTATION_IMMEDIATE", "SERVER_IDENTIFIED"]);
    expect(twice[0].fix).toContain('"Rotation Overlap Period" (formerly "Reuse Interval")');
  });

  test("GIVEN nothing identified THEN the findings stay as they were and no SERVER_IDENTIFIED", () => {
    expect(withServerKnowledge([finding("CLIENT_AUTH_REJECTED")], { server: null, front: null }, context)).toEqual([finding("CLIENT_AUTH_REJECTED")]);
  });

  test("every product has settings for the client-auth codes or the block it causes, and names itself in each entry", () => {
    for (const [product, fixes] of Object.entries(PRODUCT_FIXES) as [Product, Record<string, (c: object) => string>][]) {
      expect(Object.keys(fixes).length).toBeGreaterThan(0);
      for (const entry of Object.values(fixes)) {
        expect(entry({ regionOrigin: null, regionName: null, tokenPath: "/token" })).toMatch(new RegExp(`^${PRODUCT_NAMES[product]} \\(`));
      }
    }
  });

  test("GIVEN Home Assistant's answer to a made-up code (invalid_request \"Invalid code\") THEN info, as invalid_grant is elsewhere; a real code stays an error", () => {
    const answer = { ...anAnswer(400, { error: "invalid_request", error_description: "Invalid code" }), url: "https://ha.example.org/auth/token" };
    const request = aRequest({ clientAuth: "body", clientId: "https://pitangui.amazon.com/" });
    const probed = diagnose(request, answer, aContext({ mode: "probe", madeUpCode: true }));
    expect(codesAndSeverities(probed)).toEqual(["OAUTH_INVALID_REQUEST:info", "SERVER_IDENTIFIED:info"]);
    expect(probed[0].message).toMatch(/^Expected for a probe/);
    expect(withServerKnowledge(probed, identifyServer({ url: answer.url, headers: {}, body: '{"error":"invalid_request","error_description":"Invalid code"}', metadata: null }), { ...context, madeUpCode: true })).toEqual(probed);
    expect(codesAndSeverities(diagnose(request, answer, aContext()))).toEqual(["OAUTH_INVALID_REQUEST:error", "SERVER_IDENTIFIED:info"]);
  });
});

import { CapturedRequest, DiagnosisContext } from "../../../functions/token-url/diagnosis/exchange";
import { oauthErrorFindings } from "../../../functions/token-url/diagnosis/oauth-error-rules";
import {
  aContext,
  aFailure,
  anAnswer,
  anExchange,
  aRequest,
  codesAndSeverities,
  codesOf,
  NA_REDIRECT,
} from "./builders";

const HTML = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>…</body></html>";

function refused(
  status: number,
  body: unknown,
  request: CapturedRequest = aRequest(),
  context: DiagnosisContext = aContext(),
) {
  return oauthErrorFindings(request, anAnswer(status, body), context);
}

describe("oauthErrorFindings", () => {
  test.each([
    ["a 200 token answer", anExchange()],
    ["a redirect", anAnswer(302, "", { location: "https://elsewhere.example.com/" })],
    ["no answer at all", aFailure("ECONNRESET")],
    [
      "an error answer that broke off",
      { ...anAnswer(400, HTML), error: { code: "ECONNRESET", message: "x" } },
    ],
  ])("GIVEN %s THEN no finding", (_, exchange) => {
    expect(oauthErrorFindings(aRequest(), exchange, aContext())).toEqual([]);
  });

  describe("GIVEN an RFC 6749 error answer", () => {
    test.each([
      [401, "invalid_client", ["CLIENT_AUTH_REJECTED:error"]],
      [400, "invalid_client", ["CLIENT_AUTH_REJECTED:error"]],
      [400, "invalid_grant", ["OAUTH_INVALID_GRANT:error"]],
      [400, "invalid_request", ["OAUTH_INVALID_REQUEST:error"]],
      [400, "unsupported_grant_type", ["OAUTH_UNSUPPORTED_GRANT_TYPE:error"]],
      [400, "unauthorized_client", ["OAUTH_UNAUTHORIZED_CLIENT:error"]],
      [400, "invalid_scope", ["OAUTH_INVALID_SCOPE:error"]],
      [400, "access_denied", ["OAUTH_ERROR:error"]],
      [401, "unauthorized", ["CLIENT_AUTH_REJECTED:error"]],
      [403, "unauthorized_client", ["OAUTH_UNAUTHORIZED_CLIENT:error"]],
      [403, "access_denied", ["OAUTH_ERROR:error"]],
      [404, "not_found", []],
      [500, "server_error", []],
    ])("WHEN the status is %i with error %s THEN %j", (status, error, expected) => {
      expect(codesAndSeverities(refused(status, { error, error_description: "as the server says" }))).toEqual(
        expected,
      );
    });

    test("WHEN the server adds an error_description THEN the message quotes it", () => {
      const [finding] = refused(400, {
        error: "invalid_request",
        error_description: "Missing parameter: code",
      });
      expect(finding.message).toContain('"invalid_request": "Missing parameter: code"');
    });

    test("WHEN the body starts with a BOM THEN the error is still read", () => {
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"error":"invalid_grant"}')]);
      expect(codesOf(refused(400, body))).toEqual(["OAUTH_INVALID_GRANT"]);
    });

    test("WHEN the body is UTF-16 as its Content-Type declares THEN the error is read and quoted as sent", () => {
      const body = Buffer.from('{"error":"invalid_grant","error_description":"Código caducado"}', "utf16le");
      const [finding, ...rest] = oauthErrorFindings(aRequest(), anAnswer(400, body, { "content-type": "application/json; charset=utf-16le" }), aContext());
      expect(rest).toEqual([]);
      expect(finding.code).toBe("OAUTH_INVALID_GRANT");
      expect(finding.message).toContain('"invalid_grant": "Código caducado"');
    });

    test("WHEN the body declares UTF-16 but is UTF-8 THEN the error is still read", () => {
      const body = Buffer.from('{"error":"invalid_grant","error_description":"Código caducado"}', "utf8");
      const findings = oauthErrorFindings(aRequest(), anAnswer(400, body, { "content-type": "application/json; charset=utf-16" }), aContext());
      expect(codesOf(findings)).toEqual(["OAUTH_INVALID_GRANT"]);
      expect(findings[0].message).toContain('"invalid_grant": "Código caducado"');
    });
  });

  describe("GIVEN an error answer that is not RFC 6749 JSON", () => {
    test.each([
      ["401 with an HTML page", ["CLIENT_AUTH_REJECTED:error", "OAUTH_ERROR_NOT_JSON:warning"], 401, HTML],
      ["401 with an empty body", ["CLIENT_AUTH_REJECTED:error", "OAUTH_ERROR_NOT_JSON:warning"], 401, ""],
      ["400 with an HTML page", ["HTTP_CLIENT_ERROR:error", "OAUTH_ERROR_NOT_JSON:warning"], 400, HTML],
      ["400 with JSON lacking error", ["HTTP_CLIENT_ERROR:error", "OAUTH_ERROR_NOT_JSON:warning"], 400, { message: "Bad Request" }],
      ["400 with a non-string error", ["HTTP_CLIENT_ERROR:error", "OAUTH_ERROR_NOT_JSON:warning"], 400, { error: { code: 17 } }],
      ["429 with plain text", ["HTTP_CLIENT_ERROR:error", "OAUTH_ERROR_NOT_JSON:warning"], 429, "Too Many Requests"],
      ["500 with an HTML page", ["OAUTH_ERROR_NOT_JSON:warning"], 500, HTML],
      ["403 with an HTML page", [], 403, HTML],
      ["404 with an HTML page", [], 404, HTML],
      ["405 with an empty body", [], 405, ""],
    ])("WHEN it is a %s THEN %j", (_, expected, status, body) => {
      expect(codesAndSeverities(refused(status, body))).toEqual(expected);
    });

    test("WHEN it is HTML THEN the message says it looks like an HTML page", () => {
      expect(refused(400, HTML).find((finding) => finding.code === "OAUTH_ERROR_NOT_JSON")?.message).toMatch(
        /looks like an HTML page/,
      );
    });

    test("WHEN it is JSON without error THEN the message says exactly that", () => {
      expect(refused(400, { message: "Bad Request" }).find((f) => f.code === "OAUTH_ERROR_NOT_JSON")?.message).toContain(
        'JSON without a string "error" field',
      );
    });
  });

  describe("GIVEN the client was rejected", () => {
    test.each([
      ["basic", '"HTTP Basic"', '"Credentials in request body"'],
      ["body", '"Credentials in request body"', '"HTTP Basic"'],
      ["both", "both the Authorization header and the body", "one way only"],
      ["none", "no client credentials", "Your Secret"],
    ] as const)(
      "WHEN the scheme was %s THEN the message names %s and the fix suggests %s",
      (auth, used, other) => {
        const [finding] = refused(401, { error: "invalid_client" }, aRequest({ clientAuth: auth }));
        expect(finding.message).toContain(used);
        expect(finding.message).toContain('client_id "alexa-skill"');
        expect(finding.fix).toContain(other);
        expect(finding.fix).toMatch(/client ID and secret/);
      },
    );

    test("WHEN HTTP Basic was used THEN the fix mentions the form-urlencoding of RFC 6749 §2.3.1", () => {
      expect(refused(401, { error: "invalid_client" })[0].fix).toContain("§2.3.1");
    });

    test("WHEN no client_id was sent THEN the message says so", () => {
      const [finding] = refused(401, "", aRequest({ clientAuth: "none", clientId: null }));
      expect(finding.message).toContain("no client_id");
    });
  });

  describe("GIVEN invalid_grant for an authorization code", () => {
    test.each([
      [NA_REDIRECT, "(Alexa North America)"],
      ["https://layla.amazon.com/api/skill/link/M2X", "(Alexa Europe)"],
      ["https://alexa.amazon.co.jp/api/skill/link/M2X", "(Alexa Far East)"],
      ["https://example.com/callback", "not one of Alexa's redirect URLs"],
      [null, "no redirect_uri"],
    ])("WHEN redirect_uri is %s THEN the message says %s", (redirectUri, expected) => {
      const [finding] = refused(400, { error: "invalid_grant" }, aRequest({ redirectUri }));
      expect(finding.message).toContain(expected);
    });

    test("WHEN Alexa sent it THEN an error explaining single use, expiry and the exact redirect_uri", () => {
      const [finding] = refused(400, { error: "invalid_grant" });
      expect(finding.severity).toBe("error");
      expect(finding.message).toMatch(/single use and short-lived/);
      expect(finding.message).toMatch(/exactly the one the authorization request used/);
      expect(finding.fix).toContain('"Alexa Redirect URLs"');
    });

    test("WHEN the probe sent its made-up code THEN info, saying this is expected", () => {
      const findings = refused(400, { error: "invalid_grant" }, aRequest(), aContext({ mode: "probe", madeUpCode: true }));
      expect(codesAndSeverities(findings)).toEqual(["OAUTH_INVALID_GRANT:info"]);
      expect(findings[0].message).toMatch(/^Expected for a probe/);
      expect(findings[0].fix).toMatch(/^Nothing to fix for a made-up value/);
    });
  });

  test("GIVEN invalid_grant for a refresh token THEN the message is about the refresh token", () => {
    const [finding] = refused(
      400,
      { error: "invalid_grant" },
      aRequest({ grantType: "refresh_token", redirectUri: null }),
    );
    expect(finding.message).toMatch(/rejected the refresh token/);
    expect(finding.message).toMatch(/link the skill again/);
  });

  test("GIVEN unsupported_grant_type THEN the message names the grant type sent", () => {
    expect(refused(400, { error: "unsupported_grant_type" })[0].message).toContain(
      'grant_type "authorization_code"',
    );
  });

  test("GIVEN unauthorized_client THEN the message names the client and the grant type", () => {
    const [finding] = refused(
      400,
      { error: "unauthorized_client" },
      aRequest({ grantType: "refresh_token" }),
    );
    expect(finding.message).toContain('client_id "alexa-skill"');
    expect(finding.message).toContain('grant_type "refresh_token"');
  });
});

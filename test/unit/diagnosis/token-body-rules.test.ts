import { tokenBodyFindings } from "../../../functions/token-url/diagnosis/token-body-rules";
import {
  aFailure,
  anAnswer,
  anExchange,
  aRequest,
  aTokenBody,
  codesAndSeverities,
  codesOf,
} from "./builders";

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LOGIN_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form></form></body></html>";

const answered = (body: unknown, grantType: string | null = "authorization_code") =>
  tokenBodyFindings(aRequest({ grantType }), anAnswer(200, body));
const withFields = (fields: Record<string, unknown>, grantType?: string | null) =>
  answered(aTokenBody(fields), grantType);

describe("tokenBodyFindings", () => {
  test("GIVEN a healthy token answer THEN no finding", () => {
    expect(tokenBodyFindings(aRequest(), anExchange())).toEqual([]);
  });

  test.each([
    ["an error status", anAnswer(400, "<html></html>")],
    ["no answer at all", aFailure("ECONNRESET")],
    [
      "a 200 whose body broke off",
      { ...anAnswer(200, '{"access_to'), error: { code: "ECONNRESET", message: "x" } },
    ],
  ])("GIVEN %s THEN no finding (other rules speak for it)", (_, exchange) => {
    expect(tokenBodyFindings(aRequest(), exchange)).toEqual([]);
  });

  describe("GIVEN a body that starts with a UTF-8 BOM", () => {
    test("WHEN the rest is a healthy token THEN BODY_HAS_BOM only", () => {
      const body = Buffer.concat([BOM, Buffer.from(JSON.stringify(aTokenBody()))]);
      expect(codesAndSeverities(answered(body))).toEqual(["BODY_HAS_BOM:error"]);
    });

    test("WHEN the rest lacks fields THEN those are reported too", () => {
      const body = Buffer.concat([BOM, Buffer.from('{"access_token":"at","token_type":"mac"}')]);
      expect(codesOf(answered(body))).toEqual([
        "BODY_HAS_BOM",
        "TOKEN_TYPE_NOT_BEARER",
        "EXPIRES_IN_MISSING",
        "REFRESH_TOKEN_MISSING",
      ]);
    });

    test("WHEN the rest is not JSON THEN BODY_HAS_BOM and BODY_NOT_JSON", () => {
      expect(codesOf(answered(Buffer.concat([BOM, Buffer.from(LOGIN_PAGE)])))).toEqual([
        "BODY_HAS_BOM",
        "BODY_NOT_JSON",
      ]);
    });
  });

  describe("GIVEN a body that is not JSON", () => {
    test.each([
      ["an HTML login page", "looks like an HTML page", LOGIN_PAGE],
      ["lower-case html", "looks like an HTML page", "<html lang=en><body>hi</body></html>"],
      ["an empty body", "the body is empty", ""],
      ["a form-encoded token", "form-encoded", "access_token=at-CANARY&token_type=bearer&scope="],
      ["plain text", "it is not JSON", "OK"],
    ])("WHEN it is %s THEN one BODY_NOT_JSON error saying %s", (_, says, body) => {
      const findings = answered(body);
      expect(codesAndSeverities(findings)).toEqual(["BODY_NOT_JSON:error"]);
      expect(findings[0].message).toContain(says);
    });
  });

  test.each([
    ["an array", [{ access_token: "at" }]],
    ["a string", "token"],
    ["a number", 42],
    ["null", null],
  ])("GIVEN JSON that is %s THEN one BODY_NOT_OBJECT error saying so", (kind, json) => {
    const findings = answered(JSON.stringify(json));
    expect(codesAndSeverities(findings)).toEqual(["BODY_NOT_OBJECT:error"]);
    expect(findings[0].message).toContain(kind);
  });

  describe("GIVEN a token object", () => {
    test.each([
      ["no access_token", ["ACCESS_TOKEN_MISSING:error"], { access_token: undefined }],
      ["an empty access_token", ["ACCESS_TOKEN_MISSING:error"], { access_token: "" }],
      ["a numeric access_token", ["ACCESS_TOKEN_MISSING:error"], { access_token: 12345 }],
      ["no token_type", ["TOKEN_TYPE_MISSING:error"], { token_type: undefined }],
      ["token_type bearer", [], { token_type: "bearer" }],
      ["token_type BEARER", [], { token_type: "BEARER" }],
      ["token_type mac", ["TOKEN_TYPE_NOT_BEARER:error"], { token_type: "mac" }],
      ["token_type null", ["TOKEN_TYPE_NOT_BEARER:error"], { token_type: null }],
      ["expires_in 3600", [], { expires_in: 3600 }],
      ['expires_in "3600"', ["EXPIRES_IN_NOT_NUMBER:warning"], { expires_in: "3600" }],
      ['expires_in "1h"', ["EXPIRES_IN_NOT_NUMBER:error"], { expires_in: "1h" }],
      ["expires_in null", ["EXPIRES_IN_NOT_NUMBER:error"], { expires_in: null }],
      ["expires_in true", ["EXPIRES_IN_NOT_NUMBER:error"], { expires_in: true }],
      ["no expires_in", ["EXPIRES_IN_MISSING:warning"], { expires_in: undefined }],
      ["no refresh_token", ["REFRESH_TOKEN_MISSING:warning"], { refresh_token: undefined }],
      ["a 2049-byte access_token", ["TOKEN_TOO_LONG:warning"], { access_token: "a".repeat(2049) }],
      ["a 2048-byte access_token", [], { access_token: "a".repeat(2048) }],
      ["a 2049-byte refresh_token", ["TOKEN_TOO_LONG:warning"], { refresh_token: "r".repeat(2049) }],
      ["1025 two-byte characters", ["TOKEN_TOO_LONG:warning"], { access_token: "é".repeat(1025) }],
    ])("WHEN it has %s THEN %j", (_, expected, fields) => {
      expect(codesAndSeverities(withFields(fields))).toEqual(expected);
    });

    test("WHEN the access_token is a number THEN the message says what it is, not its value", () => {
      const [finding] = withFields({ access_token: 12345 });
      expect(finding.message).toContain("(it is a number)");
      expect(finding.message).not.toContain("12345");
    });

    test("WHEN expires_in is missing THEN it says Alexa falls back to the console's default", () => {
      expect(withFields({ expires_in: undefined })[0].message).toMatch(/Default Access Token Expiration/);
    });

    test('WHEN expires_in is "3600" THEN the fix shows the number form', () => {
      expect(withFields({ expires_in: "3600" })[0].fix).toContain('"expires_in": 3600');
    });

    test("WHEN both tokens are too long THEN one TOKEN_TOO_LONG names both sizes, not the tokens", () => {
      const findings = withFields({ access_token: "A".repeat(3000), refresh_token: "R".repeat(2500) });
      expect(codesOf(findings)).toEqual(["TOKEN_TOO_LONG"]);
      expect(findings[0].message).toContain("access_token is 3000 bytes and refresh_token is 2500 bytes");
      expect(findings[0].message).not.toMatch(/AAAA|RRRR/);
    });

    test.each([
      ["authorization_code", ["REFRESH_TOKEN_MISSING:warning"]],
      ["refresh_token", []],
      [null, []],
    ])("WHEN grant_type %s got no refresh_token THEN %j", (grantType, expected) => {
      expect(codesAndSeverities(withFields({ refresh_token: undefined }, grantType))).toEqual(expected);
    });
  });

  test("GIVEN a 200 carrying an RFC 6749 error THEN one ACCESS_TOKEN_MISSING that names the error", () => {
    const findings = answered({ error: "invalid_grant", error_description: "code expired" });
    expect(codesOf(findings)).toEqual(["ACCESS_TOKEN_MISSING"]);
    expect(findings[0].message).toContain('error "invalid_grant" with a success status');
  });

  test("GIVEN a 201 with a healthy token THEN no finding", () => {
    expect(tokenBodyFindings(aRequest(), anAnswer(201, aTokenBody()))).toEqual([]);
  });
});

import { httpFindings } from "../../../functions/token-url/diagnosis/http-rules";
import { aFailure, anAnswer, anExchange, codesAndSeverities, codesOf, JSON_HEADERS } from "./builders";

const HTML = "<!DOCTYPE html><html><body>Access denied</body></html>";

describe("httpFindings", () => {
  test("GIVEN a healthy 200 token answer THEN no finding", () => {
    expect(httpFindings(anExchange())).toEqual([]);
  });

  test("GIVEN no answer at all THEN no finding (the transport finding explains it)", () => {
    expect(httpFindings(aFailure("ECONNREFUSED"))).toEqual([]);
  });

  describe("GIVEN a redirect", () => {
    test.each([301, 302, 303, 307, 308])("WHEN the status is %i THEN one HTTP_REDIRECT error", (status) => {
      const answer = anAnswer(status, "", { location: "https://login.example.com/oauth/token" });
      expect(codesAndSeverities(httpFindings(answer))).toEqual(["HTTP_REDIRECT:error"]);
    });

    test("WHEN Location is relative THEN the message quotes it and the fix gives the absolute URL", () => {
      const [finding] = httpFindings(anAnswer(301, "", { location: "/oauth/token/" }));
      expect(finding.message).toContain("redirecting to /oauth/token/");
      expect(finding.message).toMatch(/Alexa does not follow redirects/);
      expect(finding.fix).toContain("https://auth.example.com/oauth/token/");
    });

    test("WHEN there is no Location THEN the message says so", () => {
      expect(httpFindings(anAnswer(302, "", {}))[0].message).toContain("without a Location header");
    });
  });

  describe("GIVEN a 403", () => {
    const AWS = "AWS WAF / CloudFront";
    test.each([
      ["Cloudflare's cf-ray", "Cloudflare", { "cf-ray": "8c1f2a3b4c5d6e7f-FRA", server: "cloudflare" }],
      ["server: cloudflare", "Cloudflare", { server: "cloudflare" }],
      ["an x-amzn-waf- header", AWS, { "x-amzn-waf-action": "block" }],
      ["CloudFront's headers", AWS, { server: "CloudFront", "x-amz-cf-id": "abc==" }],
      ["an ALB", AWS, { server: "awselb/2.0" }],
      ["x-amzn-requestid", AWS, { "x-amzn-requestid": "0f1e", "x-amzn-errortype": "ForbiddenException" }],
      ["server: AkamaiGHost", "Akamai", { server: "AkamaiGHost" }],
      ["an x-akamai- header", "Akamai", { "x-akamai-session-info": "name=x" }],
      ["x-sucuri-id", "Sucuri", { "x-sucuri-id": "18005" }],
      ["x-iinfo", "Imperva", { "x-iinfo": "10-1234-0 NNNN" }],
      ["an incap_ses cookie", "Imperva", { "set-cookie": "incap_ses_123_456=abc; path=/" }],
      ["server: BigIP", "F5", { server: "BigIP" }],
      ["Cloudflare in front of CloudFront", "Cloudflare", { "cf-ray": "8c1f-FRA", "x-amz-cf-id": "abc==" }],
    ])("WHEN the headers show %s THEN HTTP_FORBIDDEN names %s", (_, waf, headers) => {
      const findings = httpFindings(anAnswer(403, HTML, { "content-type": "text/html", ...headers }));
      expect(codesAndSeverities(findings)).toEqual(["HTTP_FORBIDDEN:error"]);
      expect(findings[0].message).toContain(`the headers show ${waf} in front of it`);
      // Cloudflare's Bot Fight Mode cannot be exempted: its fix names no exemption (its settings follow when named).
      expect(findings[0].fix).toContain(waf === "Cloudflare" ? "In Cloudflare, find what refused the request" : `In ${waf}, exempt`);
    });

    test("WHEN no product shows THEN it names none, and still explains allowlists and bots", () => {
      const findings = httpFindings(anAnswer(403, HTML, { server: "nginx" }));
      expect(codesOf(findings)).toEqual(["HTTP_FORBIDDEN"]);
      expect(findings[0].message).not.toContain("headers show");
      expect(findings[0].message).toMatch(/IP allowlist/);
      expect(findings[0].message).toMatch(/AWS address ranges with a Java user agent/);
      expect(findings[0].fix).toContain("https://ip-ranges.amazonaws.com/ip-ranges.json");
    });

    test("WHEN API Gateway says Missing Authentication Token THEN it points at the path and stage", () => {
      const answer = anAnswer(
        403,
        { message: "Missing Authentication Token" },
        { "x-amzn-requestid": "0f1e" },
      );
      const findings = httpFindings(answer);
      expect(codesOf(findings)).toEqual(["HTTP_FORBIDDEN"]);
      expect(findings[0].message).toMatch(/API Gateway/);
      expect(findings[0].fix).toMatch(/stage/);
    });

    test("WHEN the body is an RFC 6749 error THEN nothing here: the OAuth server itself refused", () => {
      expect(httpFindings(anAnswer(403, { error: "unauthorized_client" }))).toEqual([]);
    });
  });

  test("GIVEN a 404 THEN one HTTP_NOT_FOUND error", () => {
    expect(codesAndSeverities(httpFindings(anAnswer(404, HTML, { "content-type": "text/html" })))).toEqual([
      "HTTP_NOT_FOUND:error",
    ]);
  });

  test("GIVEN a 405 THEN HTTP_METHOD_NOT_ALLOWED says Alexa POSTs and quotes Allow", () => {
    const findings = httpFindings(anAnswer(405, "", { allow: "GET, HEAD" }));
    expect(codesAndSeverities(findings)).toEqual(["HTTP_METHOD_NOT_ALLOWED:error"]);
    expect(findings[0].message).toContain("Allow: GET, HEAD");
    expect(findings[0].message).toMatch(/Alexa always POSTs/);
  });

  test.each([500, 502, 503, 504])("GIVEN a %i THEN one HTTP_SERVER_ERROR error", (status) => {
    expect(codesAndSeverities(httpFindings(anAnswer(status, HTML, {})))).toEqual(["HTTP_SERVER_ERROR:error"]);
  });

  test("GIVEN a 500 with an RFC 6749 error THEN the message quotes it", () => {
    const answer = anAnswer(500, { error: "server_error", error_description: "database unavailable" });
    expect(httpFindings(answer)[0].message).toContain('"server_error": "database unavailable"');
  });

  test.each([400, 401])("GIVEN a %i THEN nothing here (oauth-error-rules read the error)", (status) => {
    expect(httpFindings(anAnswer(status, { error: "invalid_grant" }))).toEqual([]);
  });

  describe("GIVEN a 200 token answer", () => {
    const withHeaders = (headers: Record<string, string>) =>
      httpFindings(anExchange({ headers: { "cache-control": "no-store", ...headers } }));

    test.each([
      ["application/json;charset=UTF-8", []],
      ["application/json", []],
      ["application/json; charset=utf-8", []],
      ['application/json;charset="UTF-8"', []],
      ["application/vnd.example+json", []],
      ["APPLICATION/JSON", []],
      ["text/html;charset=UTF-8", ["CONTENT_TYPE_NOT_JSON:error"]],
      ["text/plain", ["CONTENT_TYPE_NOT_JSON:error"]],
      ["application/x-www-form-urlencoded", ["CONTENT_TYPE_NOT_JSON:error"]],
      ["application/json;charset=ISO-8859-1", ["CHARSET_NOT_UTF8:warning"]],
      ["text/html; charset=iso-8859-1", ["CONTENT_TYPE_NOT_JSON:error", "CHARSET_NOT_UTF8:warning"]],
    ])("WHEN Content-Type is %s THEN %j", (contentType, expected) => {
      expect(codesAndSeverities(withHeaders({ "content-type": contentType }))).toEqual(expected);
    });

    test("WHEN there is no Content-Type THEN CONTENT_TYPE_NOT_JSON says so", () => {
      const findings = httpFindings(anExchange({ headers: { "cache-control": "no-store" } }));
      expect(codesOf(findings)).toEqual(["CONTENT_TYPE_NOT_JSON"]);
      expect(findings[0].message).toContain("no Content-Type");
    });

    test("WHEN the charset is not UTF-8 THEN the message quotes it", () => {
      const findings = withHeaders({ "content-type": "application/json;charset=windows-1252" });
      expect(findings[0].message).toContain('charset "windows-1252"');
    });

    test.each([
      ["absent", ["CACHE_HEADERS_MISSING:warning"], undefined],
      ["no-cache", ["CACHE_HEADERS_MISSING:warning"], "no-cache"],
      ["max-age=0", ["CACHE_HEADERS_MISSING:warning"], "max-age=0"],
      ["no-store", [], "no-store"],
      ["private, No-Store, max-age=0", [], "private, No-Store, max-age=0"],
    ])("WHEN Cache-Control is %s THEN %j", (_, expected, cacheControl) => {
      const headers: Record<string, string> = { "content-type": JSON_HEADERS["content-type"] };
      if (cacheControl !== undefined) headers["cache-control"] = cacheControl;
      expect(codesAndSeverities(httpFindings(anExchange({ headers })))).toEqual(expected);
    });

    test("WHEN Cache-Control lacks no-store THEN the message quotes what it says", () => {
      const findings = httpFindings(
        anExchange({ headers: { ...JSON_HEADERS, "cache-control": "no-cache" } }),
      );
      expect(findings[0].message).toContain('(it says "no-cache")');
    });
  });
});

import fc from "fast-check";
import { diagnose } from "../../../functions/token-url/diagnosis/diagnose";
import { verdictOf } from "../../../functions/token-url/diagnosis/finding";
import {
  aCertificate,
  aContext,
  aFailure,
  anAnswer,
  anExchange,
  aRequest,
  aTokenBody,
  codesAndSeverities,
  codesOf,
  INTERMEDIATE,
  JSON_HEADERS,
  rejectedTls,
  tlsFacts,
} from "./builders";

const LOGIN_PAGE = "<!DOCTYPE html><html><body><form action=/login></form></body></html>";

describe("diagnose", () => {
  test("GIVEN Alexa's request and a healthy 200 token answer THEN no finding", () => {
    const healthy = anAnswer(
      200,
      { access_token: "at", token_type: "bearer", expires_in: 3600, refresh_token: "rt" },
      { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", pragma: "no-cache" },
    );
    const findings = diagnose(aRequest(), healthy, aContext());
    expect(findings).toEqual([]);
    expect(verdictOf(findings)).toBe("pass");
  });

  describe("GIVEN dummy mode (nothing forwarded)", () => {
    test("WHEN Alexa's request came in THEN no finding", () => {
      expect(diagnose(aRequest(), null, aContext({ mode: "dummy" }))).toEqual([]);
    });

    test("WHEN a hand-made JSON request with both credentials came in THEN the request findings only", () => {
      const request = aRequest({ contentType: "application/json", clientAuth: "both" });
      expect(codesOf(diagnose(request, null, aContext({ mode: "dummy" })))).toEqual([
        "REQUEST_NOT_FORM",
        "CLIENT_AUTH_BOTH",
      ]);
    });
  });

  describe("GIVEN the exchange failed before any answer (status null)", () => {
    test.each([
      ["ENOTFOUND", "DNS_NOT_FOUND"],
      ["ECONNREFUSED", "CONNECTION_REFUSED"],
      ["CONNECT_TIMEOUT", "CONNECT_TIMEOUT"],
      ["ERR_SSL_WRONG_VERSION_NUMBER", "TLS_PROTOCOL_UNSUPPORTED"],
    ])("WHEN the error is %s THEN only %s: no header or body findings", (code, finding) => {
      expect(codesAndSeverities(diagnose(aRequest(), aFailure(code), aContext()))).toEqual([
        `${finding}:error`,
      ]);
    });

    test("WHEN the certificate was rejected and the request not sent THEN only the TLS finding", () => {
      const expired = aCertificate({ validTo: "2026-11-01T00:00:00.000Z" });
      const exchange = aFailure("TLS_VERIFY_FAILED", "certificate rejected", {
        tls: rejectedTls("CERT_HAS_EXPIRED", [expired, INTERMEDIATE]),
      });
      expect(codesOf(diagnose(aRequest(), exchange, aContext()))).toEqual(["TLS_CERT_EXPIRED"]);
    });
  });

  describe("GIVEN a bad certificate bypassed with TLS_BYPASS", () => {
    const leafOnly = rejectedTls("UNABLE_TO_VERIFY_LEAF_SIGNATURE", [aCertificate()], true);

    test("WHEN the server said invalid_grant THEN the TLS finding, TLS_BYPASSED and the answer's", () => {
      const exchange = { ...anAnswer(400, { error: "invalid_grant" }), tls: leafOnly };
      expect(codesAndSeverities(diagnose(aRequest(), exchange, aContext()))).toEqual([
        "TLS_INCOMPLETE_CHAIN:error",
        "TLS_BYPASSED:warning",
        "OAUTH_INVALID_GRANT:error",
      ]);
    });

    test("WHEN the server answered a login page THEN those findings follow the TLS ones", () => {
      const exchange = { ...anAnswer(200, LOGIN_PAGE, { "content-type": "text/html" }), tls: leafOnly };
      expect(codesOf(diagnose(aRequest(), exchange, aContext()))).toEqual([
        "TLS_INCOMPLETE_CHAIN",
        "TLS_BYPASSED",
        "CONTENT_TYPE_NOT_JSON",
        "CACHE_HEADERS_MISSING",
        "BODY_NOT_JSON",
      ]);
    });
  });

  test("GIVEN faults at every stage of a 200 THEN request, url, transport, tls, http, body order", () => {
    const exchange = anExchange({
      url: "https://auth.example.com:8443/oauth/token",
      headers: { "content-type": "text/plain" },
      body: Buffer.from(JSON.stringify(aTokenBody({ expires_in: "3600" }))),
      timings: { dnsMs: 1, connectMs: 5, tlsMs: 10, ttfbMs: 4_000, totalMs: 4_020 },
      tls: tlsFacts({ chain: [aCertificate({ validTo: "2026-11-30T00:00:00.000Z" }), INTERMEDIATE] }),
    });
    expect(codesOf(diagnose(aRequest({ contentType: "application/json" }), exchange, aContext()))).toEqual([
      "REQUEST_NOT_FORM",
      "NON_STANDARD_PORT",
      "SLOW_RESPONSE",
      "TLS_CERT_EXPIRING_SOON",
      "CONTENT_TYPE_NOT_JSON",
      "CACHE_HEADERS_MISSING",
      "EXPIRES_IN_NOT_NUMBER",
    ]);
  });

  test("GIVEN an http token URL failing with a 500 HTML page THEN url, http, oauth order", () => {
    const exchange = {
      ...anAnswer(500, LOGIN_PAGE, { "content-type": "text/html" }),
      url: "http://auth.example.com/t",
      tls: null,
    };
    expect(codesOf(diagnose(aRequest(), exchange, aContext()))).toEqual([
      "NOT_HTTPS",
      "HTTP_SERVER_ERROR",
      "OAUTH_ERROR_NOT_JSON",
    ]);
  });

  test("GIVEN a 401 invalid_client THEN exactly one CLIENT_AUTH_REJECTED", () => {
    const exchange = anAnswer(
      401,
      { error: "invalid_client" },
      { ...JSON_HEADERS, "www-authenticate": "Basic" },
    );
    expect(codesOf(diagnose(aRequest(), exchange, aContext()))).toEqual(["CLIENT_AUTH_REJECTED"]);
  });

  test("GIVEN the probe's made-up code got invalid_grant THEN info only: the verdict passes", () => {
    const findings = diagnose(
      aRequest(),
      anAnswer(400, { error: "invalid_grant" }),
      aContext({ mode: "probe", madeUpCode: true }),
    );
    expect(codesAndSeverities(findings)).toEqual(["OAUTH_INVALID_GRANT:info"]);
    expect(verdictOf(findings)).toBe("pass");
  });

  test("GIVEN a 200 whose body was cut short THEN BODY_TRUNCATED only, no body findings", () => {
    const exchange = anExchange({
      body: Buffer.from('{"access_tok'),
      receivedBytes: 12,
      declaredLength: 120,
      error: { code: "ECONNRESET", message: "aborted" },
    });
    expect(codesOf(diagnose(aRequest(), exchange, aContext()))).toEqual(["BODY_TRUNCATED"]);
  });

  test("GIVEN any answer at all THEN diagnose does not throw, and never quotes a token", () => {
    const CANARY = "CANARY-7d41e9";
    const token = fc.constantFrom(CANARY, `${CANARY}${"x".repeat(3000)}`);
    const tokenBody = fc.record(
      {
        access_token: fc.oneof(token, fc.anything()),
        token_type: fc.anything(),
        expires_in: fc.anything(),
        refresh_token: token,
        error: fc.string(),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      tokenBody.map((json) => Buffer.from(JSON.stringify(json))),
      tokenBody.map((json) =>
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(json))]),
      ),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.string().map((text) => Buffer.from(text)),
    );
    const headers = fc.dictionary(
      fc.constantFrom("content-type", "cache-control", "server", "location", "cf-ray", "set-cookie"),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 100, max: 599 })),
        headers,
        body,
        (status, headerValues, bytes) => {
          const exchange = anExchange({ status, headers: headerValues, body: bytes, error: null });
          const findings = diagnose(aRequest(), exchange, aContext());
          for (const finding of findings) {
            expect(["error", "warning", "info"]).toContain(finding.severity);
            expect(finding.message.length).toBeGreaterThan(0);
            expect(finding.fix.length).toBeGreaterThan(0);
          }
          expect(JSON.stringify(findings)).not.toContain(CANARY);
        },
      ),
    );
  });
});

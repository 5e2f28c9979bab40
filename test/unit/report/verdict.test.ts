import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Finding, Severity } from "../../../functions/token-url/diagnosis/finding";
import { leadingFinding, leadingFindingSentence, leadingFixes, WARNING_HEADLINE_ORDER } from "../../../scripts/report/verdict";

const a = (code: string, severity: Severity = "warning"): Finding => ({ code, severity, message: `${code}.`, fix: "-" });
const leading = (...findings: Finding[]) => leadingFinding(findings)?.code;

describe("the headline: the finding most likely to break linking now or soon", () => {
  test("GIVEN errors and warnings THEN the first error in the record's order, whatever the warnings", () => {
    expect(leading(a("TLS_CERT_EXPIRING_SOON"), a("HTTP_SERVER_ERROR", "error"), a("ALEXA_TIMEOUT", "error"))).toBe(
      "HTTP_SERVER_ERROR",
    );
  });

  test("GIVEN a certificate expiring soon on a non-443 port THEN the certificate, though the port comes first in the record", () => {
    expect(leading(a("NON_STANDARD_PORT"), a("TLS_CERT_EXPIRING_SOON"))).toBe("TLS_CERT_EXPIRING_SOON");
  });

  test("GIVEN a slow answer without cache headers on another port THEN SLOW_RESPONSE", () => {
    expect(leading(a("NON_STANDARD_PORT"), a("CACHE_HEADERS_MISSING"), a("SLOW_RESPONSE"))).toBe("SLOW_RESPONSE");
  });

  test("GIVEN certificate expiry and a slow answer THEN the expiry: it stops linking on a known day", () => {
    expect(leading(a("SLOW_RESPONSE"), a("TLS_CERT_EXPIRING_SOON"))).toBe("TLS_CERT_EXPIRING_SOON");
  });

  test("GIVEN a warning the table does not list THEN it ranks after every listed one, before nothing", () => {
    expect(leading(a("SOME_FUTURE_WARNING"), a("CACHE_HEADERS_MISSING"))).toBe("CACHE_HEADERS_MISSING");
    expect(leading(a("SOME_FUTURE_WARNING"))).toBe("SOME_FUTURE_WARNING");
  });

  test("GIVEN two unlisted warnings THEN the record's order decides", () => {
    expect(leading(a("FUTURE_ONE"), a("FUTURE_TWO"))).toBe("FUTURE_ONE");
  });

  test("GIVEN only info THEN no leading finding", () => {
    expect(leading(a("OAUTH_INVALID_GRANT", "info"), a("NOT_HTTPS", "info"))).toBeUndefined();
  });

  test("the table: expiry and slowness above the port and the cache headers, each code once", () => {
    const at = (code: string) => WARNING_HEADLINE_ORDER.indexOf(code);
    for (const high of ["TLS_CERT_EXPIRING_SOON", "SLOW_RESPONSE"]) {
      for (const low of ["NON_STANDARD_PORT", "CACHE_HEADERS_MISSING"]) {
        expect(at(high)).toBeGreaterThanOrEqual(0);
        expect(at(high)).toBeLessThan(at(low));
      }
    }
    expect(new Set(WARNING_HEADLINE_ORDER).size).toBe(WARNING_HEADLINE_ORDER.length);
  });

  test("GIVEN every warning docs/findings.md documents THEN the table ranks it", () => {
    const docs = readFileSync(resolve(__dirname, "../../../docs/findings.md"), "utf8");
    const warnings = [
      ...[...docs.matchAll(/`([A-Z][A-Z0-9_]+)` \(warning/g)].map(([, code]) => code),
      ...[...docs.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| warning \|/gm)].map(([, code]) => code),
    ];
    expect(warnings.length).toBeGreaterThan(10);
    expect(warnings.filter((code) => !WARNING_HEADLINE_ORDER.includes(code))).toEqual([]);
  });
});

describe("headlines for a refresh: the link exists already", () => {
  test("GIVEN a refused refresh THEN the link breaks at its next refresh and the user gets a card to link again, not 'cannot link'", () => {
    const sentence = leadingFindingSentence("fail", a("OAUTH_INVALID_GRANT", "error"), "refresh_token");
    expect(sentence).toBe(
      "An existing link breaks at its next refresh, and Alexa sends the user a card to link again: the token URL refuses the refresh token (OAUTH_INVALID_GRANT)",
    );
    expect(sentence).not.toContain("cannot link");
    expect(leadingFindingSentence("fail", a("HTTP_SERVER_ERROR", "error"), "refresh_token")).toMatch(/^An existing link breaks at its next refresh.*\(HTTP_SERVER_ERROR\)$/);
  });

  test("GIVEN the same finding for a code exchange THEN Alexa cannot link, as before", () => {
    expect(leadingFindingSentence("fail", a("OAUTH_INVALID_GRANT", "error"), "authorization_code")).toBe(
      "Alexa cannot link: the token URL rejects the code or refresh token (OAUTH_INVALID_GRANT)",
    );
  });

  test("GIVEN a refresh that only warns THEN 'the refresh works, but'", () => {
    expect(leadingFindingSentence("warn", a("REFRESH_ROTATION_IMMEDIATE"), "refresh_token")).toBe(
      "The refresh works, but the server revokes the old refresh token the moment it rotates it (REFRESH_ROTATION_IMMEDIATE)",
    );
  });

  test("GIVEN lifetime warnings THEN the refresh token's death leads the short access token", () => {
    expect(leading(a("ACCESS_TOKEN_LIFETIME_SHORT"), a("OFFLINE_ACCESS_NOT_REQUESTED"), a("REFRESH_TOKEN_EXPIRES"))).toBe("REFRESH_TOKEN_EXPIRES");
  });
});

describe("the fixes beside the verdict", () => {
  const withFix = (code: string, severity: Severity, fix: string): Finding => ({ code, severity, message: `${code}.`, fix });
  const fixes = (...findings: Finding[]) => leadingFixes(findings).map((fix) => `${fix.code}: ${fix.fix}`);

  test("GIVEN a fail with three errors and a warning THEN the first two errors' fixes, in the record's order", () => {
    expect(
      fixes(withFix("NON_STANDARD_PORT", "warning", "Use 443."), withFix("CONTENT_TYPE_NOT_JSON", "error", "Serve JSON."), withFix("BODY_NOT_JSON", "error", "Answer JSON."), withFix("ACCESS_TOKEN_MISSING", "error", "Add it.")),
    ).toEqual(["CONTENT_TYPE_NOT_JSON: Serve JSON.", "BODY_NOT_JSON: Answer JSON."]);
  });

  test("GIVEN two errors with the same fix THEN that fix once, and the next different one", () => {
    expect(fixes(withFix("A", "error", "Same."), withFix("B", "error", "Same."), withFix("C", "error", "Other."))).toEqual(["A: Same.", "C: Other."]);
  });

  test("GIVEN a warn THEN only the leading warning's fix", () => {
    expect(fixes(withFix("CACHE_HEADERS_MISSING", "warning", "Add no-store."), withFix("TLS_CERT_EXPIRING_SOON", "warning", "Renew."))).toEqual([
      "TLS_CERT_EXPIRING_SOON: Renew.",
    ]);
  });

  test("GIVEN only info THEN no fix", () => {
    expect(fixes(withFix("OAUTH_INVALID_GRANT", "info", "Nothing."))).toEqual([]);
  });
});

describe("headlines of the server-knowledge codes", () => {
  test("GIVEN a bot challenge or PKCE finding THEN a headline of its own, not a message cut at its first colon", () => {
    const finding = (code: string, message: string): Finding => ({ code, severity: "error", message, fix: "-" });
    expect(leadingFindingSentence("fail", finding("BOT_CHALLENGE", 'Cloudflare answered with a challenge (403), shown by cf-mitigated: "challenge".'))).toBe(
      "Alexa cannot link: bot protection answers with a challenge page, which Alexa cannot solve (BOT_CHALLENGE)",
    );
    expect(leadingFindingSentence("fail", finding("PKCE_REQUIRED", 'The token URL wants PKCE (400 "invalid_request": "Missing parameter: code_verifier").'))).toBe(
      "Alexa cannot link: the token URL requires PKCE, and the request carried none (PKCE_REQUIRED)",
    );
    expect(leadingFindingSentence("fail", finding("PKCE_REQUIRED", "The authorization URI wants PKCE: it refused a request without code_challenge."))).toBe(
      "Alexa cannot link: the authorization URI requires PKCE, and the request carried none (PKCE_REQUIRED)",
    );
    expect(leadingFindingSentence("fail", finding("PKCE_VERIFIER_REQUIRED_ON_REFRESH", "The token URL refused a refresh: code_verifier missing."), "refresh_token")).toMatch(
      /^An existing link breaks at its next refresh.*: the token URL wants a code_verifier with a refresh, which Alexa never sends \(PKCE_VERIFIER_REQUIRED_ON_REFRESH\)$/,
    );
  });
});

/**
 * The answer to "would Alexa link, and if not why", shared by the full report's first line
 * and the one-line summary: the leading finding, its short headline, and the verdict's mark.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { Finding, Severity, Verdict } from "../../functions/token-url/diagnosis/finding";
import { Paint, Style } from "./style";

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors, then warnings, then info; within a severity, the record's order (the order the
 * exchange happens, so the most basic fault comes first). */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/**
 * Warnings by how likely they are to break linking now or soon, first to last: the one table
 * the headline is chosen by. A warning not listed ranks after every listed one. Errors all
 * break linking now and come first, in the record's order (the order of the exchange, so the
 * fault that stopped it leads).
 */
export const WARNING_HEADLINE_ORDER: readonly string[] = [
  "TLS_BYPASSED", // the certificate is bad: only the bypass let the request through
  "TLS_CERT_EXPIRING_SOON", // linking stops on the expiry date
  "SLOW_RESPONSE", // a little more load and Alexa's 4.5 s deadline passes
  "REFRESH_TOKEN_MISSING", // the link breaks when the first access token expires
  "REFRESH_TOKEN_EXPIRES", // the link breaks after a known time without use
  "OFFLINE_ACCESS_NOT_REQUESTED", // the refresh token dies with the login session
  "REFRESH_ROTATION_IMMEDIATE", // one lost refresh answer unlinks the user
  "REFRESH_TOKEN_REUSED", // timeline: accepted this time; a stricter rotation policy breaks the link
  "SKILL_IMPLICIT_GRANT", // no token URL call and no refresh token: a smart home or video skill cannot link
  "EXPIRES_IN_NOT_NUMBER",
  "CHARSET_NOT_UTF8",
  "TOKEN_TOO_LONG",
  "EXPIRES_IN_MISSING",
  "ACCESS_TOKEN_LIFETIME_SHORT", // below Amazon's documented minimum; enforcement undocumented
  "OAUTH_ERROR_NOT_JSON",
  "CLIENT_AUTH_BOTH",
  "REQUEST_NOT_FORM",
  "NON_STANDARD_PORT",
  "SKILL_URL_NON_STANDARD_PORT",
  "CACHE_HEADERS_MISSING",
];

const warningRank = (finding: Finding) => {
  const rank = WARNING_HEADLINE_ORDER.indexOf(finding.code);
  return rank === -1 ? WARNING_HEADLINE_ORDER.length : rank;
};

/** The finding the verdict line names: the first error, else the warning ranked highest by
 * {@link WARNING_HEADLINE_ORDER} (the record's order among equals). */
export function leadingFinding(findings: readonly Finding[]): Finding | undefined {
  const error = findings.find((finding) => finding.severity === "error");
  if (error) return error;
  const warnings = findings.filter((finding) => finding.severity === "warning");
  return warnings.reduce<Finding | undefined>(
    (best, finding) => (best === undefined || warningRank(finding) < warningRank(best) ? finding : best),
    undefined,
  );
}

/** A fix to show under the verdict, with the code it belongs to. */
export interface LeadingFix {
  readonly code: string;
  readonly severity: Finding["severity"];
  readonly fix: string;
}

// One fix is the answer; a second helps when two faults stand in the way (say an incomplete
// chain and a wrong port). More would push the first screen's answer back into a list.
const MAX_LEADING_FIXES = 2;

/**
 * What to do first, to show beside the verdict: for a fail, the fixes of the first errors
 * (the leading one first; a second only when it says something else); for a warn, the leading
 * warning's fix; for a pass, nothing. The Findings section still lists every fix.
 */
export function leadingFixes(findings: readonly Finding[]): LeadingFix[] {
  const leading = leadingFinding(findings);
  if (!leading) return [];
  const candidates = leading.severity === "error" ? findings.filter((finding) => finding.severity === "error") : [leading];
  const fixes: LeadingFix[] = [];
  for (const finding of candidates) {
    if (fixes.length === MAX_LEADING_FIXES) break;
    if (finding.fix.trim() === "" || fixes.some((shown) => shown.fix === finding.fix)) continue;
    fixes.push({ code: finding.code, severity: finding.severity, fix: finding.fix });
  }
  return fixes;
}

/** ✓ / ! / ✗ and the verdict's word and color. */
export function verdictMark(verdict: Verdict, style: Style): { mark: string; word: string; paint: Paint } {
  switch (verdict) {
    case "pass":
      return { mark: "✓", word: "PASS", paint: style.green };
    case "warn":
      return { mark: "!", word: "WARN", paint: style.yellow };
    case "fail":
      return { mark: "✗", word: "FAIL", paint: style.red };
  }
}

/** ✗ / ! / i for a finding's severity, in the verdict's colors. */
export function severityMark(severity: Severity, style: Style): { mark: string; paint: Paint } {
  switch (severity) {
    case "error":
      return { mark: "✗", paint: style.red };
    case "warning":
      return { mark: "!", paint: style.yellow };
    case "info":
      return { mark: "i", paint: style.cyan };
  }
}

/** What each fault means in a few words, for a verdict that fits one line; the finding's own
 * message (in the Findings section) has the detail. */
const HEADLINES: Record<string, string> = {
  NOT_HTTPS: "the token URL is not https",
  NON_STANDARD_PORT: "the token URL is not on port 443",
  DNS_NOT_FOUND: "the token URL's host name does not resolve",
  CONNECTION_REFUSED: "the token URL refuses the TCP connection",
  CONNECT_TIMEOUT: "the TCP connection to the token URL times out",
  TLS_HANDSHAKE_TIMEOUT: "the TLS handshake with the token URL never completes",
  TLS_CERT_EXPIRED: "the token URL's certificate has expired",
  TLS_CERT_NOT_YET_VALID: "the token URL's certificate is not valid yet",
  TLS_SELF_SIGNED: "the token URL's certificate is self-signed",
  TLS_UNTRUSTED_ROOT: "the token URL's certificate chain ends in an untrusted root",
  TLS_INCOMPLETE_CHAIN: "the token URL does not send its intermediate certificate",
  TLS_HOSTNAME_MISMATCH: "the token URL's certificate is for another host name",
  TLS_PROTOCOL_UNSUPPORTED: "no TLS version or cipher in common with the token URL",
  TLS_VERIFY_FAILED: "the token URL's certificate fails verification",
  TLS_CERT_EXPIRING_SOON: "the token URL's certificate expires within 14 days",
  TLS_BYPASSED: "the certificate was accepted only because TLS_BYPASS is on",
  CONNECTION_RESET: "the token URL closed the connection mid-exchange",
  RESPONSE_TIMEOUT: "the token URL did not answer in time",
  NO_RESPONSE: "the token URL gave no answer",
  UPSTREAM_ERROR: "the exchange with the token URL failed",
  SLOW_RESPONSE: "the answer uses most of Alexa's 4.5 s deadline",
  ALEXA_TIMEOUT: "the answer came after Alexa's 4.5 s deadline",
  BODY_TRUNCATED: "the answer is shorter than its Content-Length",
  BODY_TOO_LARGE: "the answer is over 1 MiB (decoded), not a token response",
  CONTENT_DECODING_FAILED: "the compressed answer does not decode",
  HTTP_REDIRECT: "the token URL redirects, and Alexa does not follow",
  HTTP_FORBIDDEN: "a firewall, WAF or bot protection answers 403 Forbidden",
  HTTP_NOT_FOUND: "the token URL answers 404 Not Found: a wrong path?",
  HTTP_METHOD_NOT_ALLOWED: "the token URL does not accept a POST",
  HTTP_SERVER_ERROR: "the token URL fails with a server error",
  HTTP_CLIENT_ERROR: "the token URL refuses the request without an OAuth error",
  TLS12_NOT_OFFERED: "the token URL offers only TLS 1.3, not the TLS 1.2 Alexa needs",
  PROBE_NO_CLIENT_SECRET: "the probe sent no client secret",
  CLIENT_AUTH_REJECTED: "the token URL rejects the client credentials",
  CLIENT_AUTH_SCHEME_MISMATCH: "the token URL accepts only the other \"Your Authentication Scheme\"",
  CODE_NOT_VERIFIED: "the token URL issues tokens for any code",
  OAUTH_INVALID_GRANT: "the token URL rejects the code or refresh token",
  OAUTH_INVALID_REQUEST: "the token URL calls the request invalid",
  OAUTH_UNSUPPORTED_GRANT_TYPE: "the token URL does not support this grant type",
  OAUTH_UNAUTHORIZED_CLIENT: "the client may not use this grant type",
  OAUTH_INVALID_SCOPE: "the token URL rejects the scope",
  OAUTH_ERROR: "the token URL answers with an OAuth error",
  OAUTH_ERROR_NOT_JSON: "the error answer is not RFC 6749 JSON",
  CONTENT_TYPE_NOT_JSON: "the token answer is not served as application/json",
  CHARSET_NOT_UTF8: "the token answer's charset is not UTF-8",
  BODY_HAS_BOM: "the token answer starts with a byte-order mark",
  BODY_NOT_JSON: "the token answer is not JSON",
  BODY_NOT_OBJECT: "the token answer is not a JSON object",
  ACCESS_TOKEN_MISSING: "the token answer has no access_token",
  TOKEN_TYPE_MISSING: "the token answer has no token_type",
  TOKEN_TYPE_NOT_BEARER: "the token answer's token_type is not Bearer",
  EXPIRES_IN_NOT_NUMBER: "expires_in is not a JSON number",
  EXPIRES_IN_MISSING: "the token answer has no expires_in",
  REFRESH_TOKEN_MISSING: "the token answer has no refresh_token",
  TOKEN_TOO_LONG: "a token is longer than 2048 bytes",
  EXPIRES_IN_OVERRIDDEN: "Alexa was given EXPIRES_IN_OVERRIDE, not the server's expires_in",
  REFRESH_TOKEN_REJECTED: "the token URL refused the refresh token",
  REFRESH_TOKEN_REUSED: "a refresh presented a token already redeemed in this link",
  REFRESH_WITHOUT_NEW_REFRESH_TOKEN: "the refresh answer carried no new refresh token",
  REFRESH_OVERDUE: "the access token expired and no refresh has come yet",
  ACCESS_TOKEN_LIFETIME_SHORT: "the access token lives less than Amazon's minimum of 360 seconds",
  REFRESH_TOKEN_EXPIRES: "the refresh token dies after a set time, and the link with it unless the skill is used",
  OFFLINE_ACCESS_NOT_REQUESTED: "the server offers offline_access, but the grant lacks it",
  REFRESH_TOKEN_ROTATED: "the refresh issued a new refresh token",
  REFRESH_ROTATION_IMMEDIATE: "the server revokes the old refresh token the moment it rotates it",
  REFRESH_ROTATION_TOLERANT: "the old refresh token still works right after rotation",
  REFRESH_ROTATION_NOT_CHECKED: "the rotation check sent no second request",
  CACHE_HEADERS_MISSING: "the answer lacks Cache-Control: no-store",
  CLIENT_AUTH_BOTH: "client credentials were sent in both header and body",
  REQUEST_NOT_FORM: "the request is not form-urlencoded",
  DEBUGGER_ERROR: "the debugger itself failed",
  AUTHORIZE_REDIRECT_URI_REJECTED: "a region's redirect URL is not registered at the authorization server",
  AUTHORIZE_OAUTH_ERROR: "the authorization URI answers with an OAuth error",
  BOT_CHALLENGE: "bot protection answers with a challenge page, which Alexa cannot solve",
  PKCE_REQUIRED: "the token URL requires PKCE, and the request carried none",
  PKCE_VERIFIER_REQUIRED_ON_REFRESH: "the token URL wants a code_verifier with a refresh, which Alexa never sends",
};

/** A few words for a finding: from the table, else its message's first sentence (a code
 * added later still reads sensibly). */
export function headlineOf(finding: Finding): string {
  const sentence = /^(.*?[.:;])(\s|$)/.exec(finding.message)?.[1] ?? finding.message;
  const headline = HEADLINES[finding.code] ?? sentence.replace(/[.:;]$/, "");
  // The URL, connection and certificate rules serve the authorization URI too (endpoint.ts),
  // with the same codes; the table words them for the token URL.
  const aboutAuthorizationUri = finding.message.includes("authorization URI") && !finding.message.includes("token URL");
  return aboutAuthorizationUri ? headline.replaceAll("token URL", "authorization URI") : headline;
}

/** The verdict's sentence when a finding leads it: "Alexa cannot link: <headline> (CODE)". A
 * refresh belongs to a link that already exists: a failed one does not stop linking, it breaks
 * the link at its next refresh, and Alexa then deletes the tokens and sends the user a card to
 * link again (Amazon, "Use Access Tokens"; DESIGN §4). */
export function leadingFindingSentence(verdict: Verdict, leading: Finding, grantType: string | null = null): string {
  const refresh = grantType === "refresh_token";
  const claim = refresh
    ? verdict === "fail"
      ? "An existing link breaks at its next refresh, and Alexa sends the user a card to link again:"
      : "The refresh works, but"
    : verdict === "fail"
      ? "Alexa cannot link:"
      : "Alexa may link, but";
  const headline = refresh ? (REFRESH_HEADLINES[leading.code] ?? headlineOf(leading)) : headlineOf(leading);
  return `${claim} ${headline} (${leading.code})`;
}

/** Where a code's headline reads differently for a refresh. */
const REFRESH_HEADLINES: Record<string, string> = {
  OAUTH_INVALID_GRANT: "the token URL refuses the refresh token",
};

/** The verdict's sentence: would Alexa link, and if not, why. */
export function verdictSentence(record: AttemptRecord): string {
  const leading = leadingFinding(record.findings);
  if (leading) return leadingFindingSentence(record.verdict, leading, record.request.grantType);
  if (record.mode === "dummy") return "Alexa got a valid token response from the dummy, not from your token URL";
  const upstream = record.upstream;
  if (!upstream) return "No fault found";
  const how = `(${upstream.status ?? "no status"}, ${upstream.timings.totalMs} ms)`;
  if (upstream.status !== null && upstream.status >= 200 && upstream.status < 300) {
    return `Alexa got a valid token response ${how}`;
  }
  // A pass that is no token: the probe's made-up code, answered invalid_grant as it should be.
  const note = record.findings[0];
  return note ? `No fault found ${how}: the token URL answered as expected (${note.code})` : `No fault found ${how}`;
}

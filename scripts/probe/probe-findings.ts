/**
 * The diagnosis engine's findings plus the probe's own, each placed where it happens in the
 * exchange, so a probe record reads top down like any other.
 */
import { Finding } from "../../functions/token-url/diagnosis/finding";

// What is settled before the answer arrives: the request, the URL, the handshake.
const BEFORE_THE_ANSWER = /^(REQUEST_NOT_FORM|CLIENT_AUTH_BOTH|NOT_HTTPS|NON_STANDARD_PORT|TLS_\w+)$/;

// How servers refuse a client without a secret: invalid_client, but also invalid_request
// ("Missing parameter: client_secret", as @node-oauth/oauth2-server says for an empty one).
const REFUSALS = new Set([
  "CLIENT_AUTH_REJECTED",
  "OAUTH_INVALID_REQUEST",
  "OAUTH_UNAUTHORIZED_CLIENT",
  "OAUTH_ERROR",
  "HTTP_CLIENT_ERROR",
]);
const isRefusal = (finding: Finding) => REFUSALS.has(finding.code);

export interface ProbeExtras {
  /** From the TLS 1.2 check (tls-version-check.ts). */
  readonly handshake: Finding[];
  /** False when the probe sent an empty secret because none was given. */
  readonly clientSecretGiven: boolean;
}

/** The engine's findings with the TLS 1.2 check's after the handshake findings, and
 * PROBE_NO_CLIENT_SECRET (info) after a refusal when the probe had no secret to send. */
export function probeFindings(diagnosed: readonly Finding[], extras: ProbeExtras): Finding[] {
  const withHandshake = insertAfterLast(diagnosed, extras.handshake, (finding) => BEFORE_THE_ANSWER.test(finding.code));
  if (extras.clientSecretGiven || !diagnosed.some(isRefusal)) return withHandshake;
  return insertAfterLast(withHandshake, [NO_CLIENT_SECRET], isRefusal);
}

/** Explains a refusal that the probe may have caused itself; the refusal stays an error, since
 * the probe cannot tell whether the server would accept the real secret. */
const NO_CLIENT_SECRET: Finding = {
  code: "PROBE_NO_CLIENT_SECRET",
  severity: "info",
  message:
    "The probe sent an empty client secret because no --client-secret was given, so the token URL " +
    "may have refused the request for that alone.",
  fix:
    'Probe again with --client-secret set to "Your Secret" from the Alexa console (Account Linking), ' +
    'and --auth set to its "Your Authentication Scheme".',
};

/** `extra` after the last finding that `matches`, else first. */
function insertAfterLast(
  findings: readonly Finding[],
  extra: Finding[],
  matches: (finding: Finding) => boolean,
): Finding[] {
  if (extra.length === 0) return [...findings];
  const at = findings.map(matches).lastIndexOf(true) + 1;
  return [...findings.slice(0, at), ...extra, ...findings.slice(at)];
}

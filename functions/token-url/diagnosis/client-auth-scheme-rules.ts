/**
 * Wrong secret or wrong scheme? When a token URL rejects the client, the probe sends the same
 * request once more with the console's other "Your Authentication Scheme" and lets the two
 * answers decide. Data in (both exchanges and their findings), findings out.
 */
import { UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { oauthErrorOf, quoteOAuthError } from "./oauth-error-rules";

export type ClientAuthScheme = "basic" | "body";

/** The Alexa console's words for each scheme. */
export const CONSOLE_SCHEME_NAMES: Record<ClientAuthScheme, string> = {
  basic: '"HTTP Basic"',
  body: '"Credentials in request body"',
};

export const otherScheme = (scheme: ClientAuthScheme): ClientAuthScheme => (scheme === "basic" ? "body" : "basic");

/** One request of the probe, with one scheme. */
export interface SchemeTrial {
  readonly scheme: ClientAuthScheme;
  readonly exchange: UpstreamExchange;
  /** The engine's findings for this exchange. */
  readonly findings: readonly Finding[];
}

/** The client, as the findings may name it: never a secret in clear. */
export interface ClientIdentity {
  readonly clientId: string;
  /** "[redacted len=12 sha256=…]"; null when no secret was sent. */
  readonly secretFingerprint: string | null;
}

/** Refused as client authentication (401, or invalid_client), or an invalid_request naming the
 * client id (Home Assistant's "Invalid client id" when client_id is not in the body): worth
 * trying the other scheme. */
export function rejectsClient(findings: readonly Finding[]): boolean {
  return findings.some(isClientRejection);
}

const isClientRejection = (finding: Finding): boolean =>
  finding.code === "CLIENT_AUTH_REJECTED" ||
  (finding.code === "OAUTH_INVALID_REQUEST" && /client[ _-]?id/i.test(finding.message));

/**
 * The probe's findings once `first` was rejected as client authentication and `second` is the
 * same request with the other scheme:
 * - `second` got past the client check: CLIENT_AUTH_SCHEME_MISMATCH replaces the rejection,
 *   and what `second` found about the rest of the answer follows (codes not already found);
 * - `second` was rejected too: one CLIENT_AUTH_REJECTED saying the id or secret is wrong.
 */
export function schemeTrialFindings(first: SchemeTrial, second: SchemeTrial, client: ClientIdentity): Finding[] {
  const accepted = !rejectsClient(second.findings);
  const decisive = accepted ? schemeMismatch(first, second) : rejectedBoth(first, second, client);
  const found = new Set(first.findings.map((finding) => finding.code));
  return [
    ...first.findings.map((finding) => (isClientRejection(finding) ? decisive : finding)),
    ...(accepted ? second.findings.filter((finding) => !found.has(finding.code)) : []),
  ];
}

function schemeMismatch(first: SchemeTrial, second: SchemeTrial): Finding {
  const rejected = CONSOLE_SCHEME_NAMES[first.scheme];
  const acceptedName = CONSOLE_SCHEME_NAMES[second.scheme];
  return {
    code: "CLIENT_AUTH_SCHEME_MISMATCH",
    severity: "error",
    message:
      `The token URL rejected the client with ${rejected} (${answerOf(first.exchange)}) but accepted the same ` +
      `credentials with ${acceptedName} (${answerOf(second.exchange)}): it authenticates clients only with ` +
      `${acceptedName}. With "Your Authentication Scheme" set to ${rejected}, Alexa's token request fails the ` +
      "client check and linking fails.",
    fix:
      `In the Alexa developer console (your skill > Account Linking), set "Your Authentication Scheme" to ` +
      `${acceptedName}, or make the server accept ${rejected} as well.`,
  };
}

function rejectedBoth(first: SchemeTrial, second: SchemeTrial, client: ClientIdentity): Finding {
  const secret =
    client.secretFingerprint === null ? "no secret (none was given)" : `the secret ${client.secretFingerprint}`;
  return {
    code: "CLIENT_AUTH_REJECTED",
    severity: "error",
    message:
      `The token URL rejected the client with both schemes (${CONSOLE_SCHEME_NAMES[first.scheme]}: ` +
      `${answerOf(first.exchange)}; ${CONSOLE_SCHEME_NAMES[second.scheme]}: ${answerOf(second.exchange)}), so the ` +
      `scheme is not the problem: the client ID or the secret is wrong. Sent: client_id "${client.clientId}" and ${secret}.`,
    fix:
      'Check that "Your Client ID" and "Your Secret" in the Alexa developer console (your skill > Account ' +
      "Linking) are exactly the client registered at the OAuth server: compare the fingerprint above with the " +
      "server's secret (the probe prints the fingerprint of the secret it is given), and look for a secret that " +
      "was rotated, or copied with a trailing space.",
  };
}

/** `401 "invalid_client"`: the status and the RFC 6749 error, as the server said them. */
function answerOf(exchange: UpstreamExchange): string {
  if (exchange.status === null) return "no answer";
  const error = oauthErrorOf(exchange);
  return error ? `${exchange.status} ${quoteOAuthError(error)}` : String(exchange.status);
}

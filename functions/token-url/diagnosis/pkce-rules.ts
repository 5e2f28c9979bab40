/**
 * PKCE (RFC 7636) at the token step. Alexa sends code_verifier (S256) with the authorization
 * code when PKCE is enabled for the skill ("Configure an Authorization Code Grant": "If your
 * token server supports PKCE and you enabled PKCE in the developer console or CLI, Alexa
 * includes the PKCE parameters"), and never with a refresh: a server that wants one there
 * breaks every refresh. Pure: the request and the answer in, findings out.
 */
import { bodyText } from "./answer-body";
import { CapturedRequest, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { oauthErrorOf, quoteOAuthError } from "./oauth-error-rules";

/** The Alexa console's place for the setting, as Amazon's docs name it. */
export const SKILL_PKCE_SETTING =
  'enable PKCE for the skill in the Alexa developer console (your skill > Account Linking) or with the ASK CLI ' +
  '("Configure an Authorization Code Grant")';

/** An error answer that asks for PKCE: names code_verifier, code_challenge or PKCE. */
export function asksForPkce(text: string): boolean {
  return /code[_ ]?verifier|code[_ ]?challenge|\bPKCE\b|proof key/i.test(text);
}

export function pkceFindings(request: CapturedRequest, upstream: UpstreamExchange): Finding[] {
  const status = upstream.status;
  if (status === null || status < 400 || status >= 500) return [];
  const oauthError = oauthErrorOf(upstream);
  const said = oauthError ? quoteOAuthError(oauthError) : null;
  if (!asksForPkce(said ?? bodyText(upstream.body).slice(0, 4096))) return [];
  const answer = `${status}${said ? ` ${said}` : ""}`;
  if (request.grantType === "refresh_token") {
    return [
      {
        code: "PKCE_VERIFIER_REQUIRED_ON_REFRESH",
        severity: "error",
        message:
          `The token URL refused a refresh asking for PKCE (${answer}). Alexa sends code_verifier only with the ` +
          "authorization code, never with a refresh token (RFC 7636 binds the verifier to the code), so every refresh " +
          "fails and users must link again when the access token expires.",
        fix: "Make the server check code_verifier only on grant_type=authorization_code, not on refresh_token.",
      },
    ];
  }
  // A verifier was sent and refused: wrong or unexpected, which the OAuth error finding reports.
  if (request.codeVerifierSent === true) return [];
  return [
    {
      code: "PKCE_REQUIRED",
      severity: "error",
      message:
        `The token URL wants PKCE (${answer}): it expects a code_verifier with the code, which Alexa sends only when ` +
        "PKCE is enabled for the skill.",
      fix: `Either ${SKILL_PKCE_SETTING} (Alexa uses S256), or stop requiring PKCE for this client at the server. Probe it with --pkce.`,
    },
  ];
}

import { answerText } from "../answer-text";
import { ClientAuth } from "../client-auth";
import { alexaRegionOf } from "./alexa-region";
import { bodyText, describeNonJson, isObject, parseJson } from "./answer-body";
import { CapturedRequest, DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";

/** An RFC 6749 §5.2 error answer. */
export interface OAuthError {
  readonly error: string;
  readonly description: string | null;
}

/** The RFC 6749 error an answer carries, or null when it is not such JSON. Read as the record
 * shows it (by its declared charset, so a UTF-16 error is quoted as sent), else as UTF-8: a
 * server may declare one charset and send another. */
export function oauthErrorOf(answer: Pick<UpstreamExchange, "body" | "headers">): OAuthError | null {
  for (const text of [answerText(answer.body, answer.headers["content-type"]), bodyText(answer.body)]) {
    const value = parseJson(text);
    if (!isObject(value) || typeof value.error !== "string") continue;
    const description = typeof value.error_description === "string" ? value.error_description : null;
    return { error: value.error, description };
  }
  return null;
}

/** `"invalid_grant": "Code expired"`, as the server said it, for messages. */
export function quoteOAuthError({ error, description }: OAuthError): string {
  return description === null ? `"${error}"` : `"${error}": "${description.slice(0, 300)}"`;
}

/** Findings about a token request the OAuth server refused (4xx/5xx), read from its RFC 6749 error. */
export function oauthErrorFindings(
  request: CapturedRequest,
  upstream: UpstreamExchange,
  context: DiagnosisContext,
): Finding[] {
  const status = upstream.status;
  // An answer that broke off (or was cut at the size cap) is the transport finding's; its body cannot be judged.
  if (status === null || status < 400 || upstream.error || upstream.bodyCapped) return [];
  const oauthError = oauthErrorOf(upstream);
  const known = oauthError && knownErrorFinding(oauthError, status, request, context);
  if (known) return [known];

  const findings: Finding[] = [];
  if (status === 401) {
    findings.push(clientAuthRejected(request, status, oauthError));
  } else if (oauthError && status < 500 && status !== 404 && status !== 405) {
    findings.push({
      code: "OAUTH_ERROR",
      severity: "error",
      message: `The token URL refused the token request with ${status} and ${quoteOAuthError(oauthError)}.`,
      fix:
        "Look this error up in the OAuth server's documentation and logs. Alexa sends grant_type=" +
        "authorization_code with code and redirect_uri, or grant_type=refresh_token with refresh_token.",
    });
  }
  // Any other 4xx without an RFC 6749 error still stops linking; name it as the error it is.
  if (!oauthError && status < 500 && ![401, 403, 404, 405].includes(status)) {
    findings.push({
      code: "HTTP_CLIENT_ERROR",
      severity: "error",
      message: `The token URL refused the token request with ${status} and no OAuth error to say why.`,
      fix:
        "Find the request in the token endpoint's logs (or the proxy's in front of it) by its time; " +
        "compare what it expects with what Alexa sends (form-urlencoded POST, grant_type, code, " +
        "redirect_uri, client credentials as \"Your Authentication Scheme\" says).",
    });
  }
  // 403, 404 and 405 usually come from a WAF or web server in front; http-rules names those.
  if (!oauthError && status !== 403 && status !== 404 && status !== 405) {
    const text = bodyText(upstream.body);
    const kind =
      parseJson(text) === undefined ? describeNonJson(text) : 'it is JSON without a string "error" field';
    findings.push({
      code: "OAUTH_ERROR_NOT_JSON",
      severity: "warning",
      message: `The token URL answered ${status} with a body that is not an RFC 6749 error: ${kind}.`,
      fix:
        'Answer token errors as RFC 6749 §5.2 JSON ({"error": "…", "error_description": "…"}) with ' +
        "Content-Type: application/json, so that the cause shows up here and in the server's own logs.",
    });
  }
  return findings;
}

function knownErrorFinding(
  oauthError: OAuthError,
  status: number,
  request: CapturedRequest,
  context: DiagnosisContext,
): Finding | null {
  const said = quoteOAuthError(oauthError);
  const grantType = request.grantType === null ? "no grant_type" : `grant_type "${request.grantType}"`;
  switch (oauthError.error) {
    case "invalid_client":
      return clientAuthRejected(request, status, oauthError);
    case "invalid_grant":
      return invalidGrant(request, context, said);
    case "invalid_request":
      return {
        code: "OAUTH_INVALID_REQUEST",
        severity: "error",
        message: `The token URL says the request is malformed or misses a parameter (${said}).`,
        fix:
          "Compare what the server expects with what Alexa sends: a form-urlencoded POST with grant_type, " +
          "code and redirect_uri (or refresh_token), credentials as the console's \"Your Authentication " +
          'Scheme\" says. A server that wants client_id in the body needs "Credentials in request body".',
      };
    case "unsupported_grant_type":
      return {
        code: "OAUTH_UNSUPPORTED_GRANT_TYPE",
        severity: "error",
        message: `The token URL does not support the request's ${grantType} (${said}).`,
        fix:
          "Enable the authorization_code and refresh_token grants on the OAuth server: Alexa's " +
          '"Auth Code Grant" uses both.',
      };
    case "unauthorized_client":
      return {
        code: "OAUTH_UNAUTHORIZED_CLIENT",
        severity: "error",
        message: `The OAuth server does not let ${clientIdText(request)} use ${grantType} (${said}).`,
        fix:
          "Allow the authorization_code and refresh_token grants for this client in the OAuth server's " +
          "client settings.",
      };
    case "invalid_scope":
      return {
        code: "OAUTH_INVALID_SCOPE",
        severity: "error",
        message: `The token URL refused the scope (${said}).`,
        fix:
          "Make the Scope list in the Alexa console (Account Linking) match the scopes this client may " +
          "request on the OAuth server.",
      };
    default:
      return null;
  }
}

// What each scheme is called in the Alexa console, and what to try instead.
const SCHEMES: Record<ClientAuth, { readonly used: string; readonly instead: string }> = {
  basic: {
    used: 'the console\'s "HTTP Basic" scheme (client_id and secret in the Authorization header)',
    instead: 'set "Your Authentication Scheme" to "Credentials in request body"',
  },
  body: {
    used: 'the console\'s "Credentials in request body" scheme (client_id and client_secret form fields)',
    instead: 'set "Your Authentication Scheme" to "HTTP Basic"',
  },
  both: {
    used: "credentials in both the Authorization header and the body, which Alexa never sends",
    instead: 'send them one way only, as Alexa does ("HTTP Basic" or "Credentials in request body")',
  },
  none: {
    used: "no client credentials at all",
    instead: 'enter "Your Secret" and pick "Your Authentication Scheme" in the console',
  },
};

function clientAuthRejected(
  request: CapturedRequest,
  status: number,
  oauthError: OAuthError | null,
): Finding {
  const scheme = SCHEMES[request.clientAuth];
  const said = oauthError ? `${status}, ${quoteOAuthError(oauthError)}` : String(status);
  return {
    code: "CLIENT_AUTH_REJECTED",
    severity: "error",
    message:
      `The token URL rejected the client (${said}): the request used ${scheme.used}, ` +
      `for ${clientIdText(request)}.`,
    fix:
      "In the Alexa developer console (your skill > Account Linking), check that the client ID and " +
      "secret entered there match the client registered at the OAuth server. If they do, the server likely " +
      `expects the other scheme: ${scheme.instead}, or make the server accept this one.` +
      (request.clientAuth === "basic"
        ? " HTTP Basic form-urlencodes ID and secret before base64 (RFC 6749 §2.3.1); a server that does " +
          "not decode them rejects secrets with characters such as + / = %."
        : ""),
  };
}

function invalidGrant(request: CapturedRequest, context: DiagnosisContext, said: string): Finding {
  const probe = context.madeUpCode === true;
  const severity = probe ? "info" : "error";
  const expected = probe
    ? "Expected for a probe, which sends a made-up code: most servers check the client first, so the " +
      "client credentials were probably accepted. "
    : "";
  const nothingToFix = probe ? "Nothing to fix for a made-up value; for a real one: " : "";
  if (request.grantType === "refresh_token") {
    return {
      code: "OAUTH_INVALID_GRANT",
      severity,
      message:
        expected +
        `The token URL rejected the refresh token (${said}): it expired, was revoked or was already used. ` +
        "Alexa then cannot renew the access token, and the user has to link the skill again.",
      fix:
        nothingToFix +
        "Keep refresh tokens valid for as long as the link should last; if the server rotates them, return " +
        "the new refresh_token in every refresh answer. The server's logs say why this one was refused.",
    };
  }
  const region = alexaRegionOf(request.redirectUri);
  const redirect =
    request.redirectUri === null
      ? "this request carries no redirect_uri"
      : `this request's redirect_uri is ${request.redirectUri}` +
        (region ? ` (Alexa ${region.region})` : ", which is not one of Alexa's redirect URLs");
  return {
    code: "OAUTH_INVALID_GRANT",
    severity,
    message:
      expected +
      `The token URL rejected the authorization code (${said}). Codes are single use and short-lived, and ` +
      `the redirect_uri must be exactly the one the authorization request used; ${redirect}.`,
    fix:
      nothingToFix +
      "Link again from the Alexa app instead of replaying an old request. Make sure the OAuth server " +
      'allows exactly the "Alexa Redirect URLs" listed in the console (Account Linking), and that it ' +
      "compares this redirect_uri with the one of the authorization request.",
  };
}

function clientIdText(request: CapturedRequest): string {
  return request.clientId === null ? "no client_id" : `client_id "${request.clientId}"`;
}

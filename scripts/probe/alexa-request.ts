/**
 * The token request exactly as Alexa sends it (DESIGN §4, a real capture): a form-urlencoded
 * POST from Apache HttpClient on Java, with the client credentials the way the console's
 * "Your Authentication Scheme" says.
 */
import { randomBytes } from "node:crypto";
import { OutgoingTokenRequest } from "../../functions/token-url/upstream/capture-exchange";
import { ProbeOptions } from "./probe-options";

/** Obviously not a real code: a healthy server answers invalid_grant, which the probe reports
 * as info. The same value every run, so its fingerprint is recognisable in records. */
export const MADE_UP_CODE = "alexa-probe-made-up-code";

const ALEXA_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8";

/** What Alexa's client sends: Apache HttpClient 4.5 on a current JVM. */
const ALEXA_USER_AGENT = "Apache-HttpClient/4.5.14 (Java/17.0.15)";

export type AlexaRequestOptions = Pick<
  ProbeOptions,
  "clientId" | "clientSecret" | "auth" | "grant" | "code" | "redirectUri" | "refreshToken"
> & {
  /** PKCE (RFC 7636): sent with the authorization code, as Alexa does with PKCE enabled for the
   * skill; never with a refresh token. */
  readonly codeVerifier?: string;
};

/** A fresh RFC 7636 §4.1 code_verifier: 43 characters of base64url (32 random bytes), as Alexa's S256 flow uses. */
export function newCodeVerifier(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Body and headers of the token request. Without a secret the client is still identified the
 * way the scheme does it, with an empty secret (`Basic base64("id:")`, or `client_secret=`):
 * Alexa always sends one, so the probe keeps the scheme's shape and the server judges the same
 * request it would get from Alexa, minus the secret.
 */
export function alexaTokenRequest(options: AlexaRequestOptions): OutgoingTokenRequest {
  const fields: [string, string][] =
    options.grant === "refresh_token"
      ? [
          ["grant_type", "refresh_token"],
          ["refresh_token", options.refreshToken ?? ""],
        ]
      : [
          ["grant_type", "authorization_code"],
          ["code", options.code ?? MADE_UP_CODE],
          ["redirect_uri", options.redirectUri],
          ...(options.codeVerifier === undefined ? [] : ([["code_verifier", options.codeVerifier]] as [string, string][])),
        ];
  const secret = options.clientSecret ?? "";
  const headers: Record<string, string> = {
    "content-type": ALEXA_CONTENT_TYPE,
    accept: "application/json",
    "user-agent": ALEXA_USER_AGENT,
  };
  if (options.auth === "basic") headers.authorization = basicAuthorization(options.clientId, secret);
  else fields.push(["client_id", options.clientId], ["client_secret", secret]);
  return { body: Buffer.from(new URLSearchParams(fields).toString(), "utf8"), headers };
}

/** RFC 6749 §2.3.1: id and secret are each form-urlencoded, then joined by ":" and base64'd,
 * so a ":" or "%" in a secret cannot be misread. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, "utf8").toString("base64")}`;
}

/** application/x-www-form-urlencoded as Java's URLEncoder writes it (and the WHATWG URL
 * standard): space as "+", all but letters, digits and "*-._" percent-encoded as UTF-8. */
function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice("=".length);
}

import { TokenRequest } from "./event";
import { UpstreamExchange } from "./diagnosis/exchange";
import { Finding } from "./diagnosis/finding";
import { expiresInOverridden, withExpiresIn } from "./expires-in-override";
import { FunctionSettings } from "./settings";
import { oauthError, TokenResponse } from "./token-response";
import { captureExchange } from "./upstream/capture-exchange";

// Sent on exactly as Alexa sent them; everything else (Host, X-Forwarded-*, API Gateway's own
// headers) is not the client's and would not reach the server from Alexa either.
export const FORWARDED_HEADERS = ["content-type", "accept", "authorization", "user-agent"];

const TIMEOUT_CODES = new Set(["CONNECT_TIMEOUT", "TLS_HANDSHAKE_TIMEOUT", "RESPONSE_TIMEOUT"]);

/** Wrapper mode: Alexa's request goes to the real token URL and its answer comes back, changed
 * only when EXPIRES_IN_OVERRIDE asks for it (with a finding saying so). */
export async function forwardToTokenUrl(
  request: TokenRequest,
  settings: FunctionSettings & { tokenUrl: string },
): Promise<{ exchange: UpstreamExchange; response: TokenResponse; findings: Finding[] }> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    if (request.headers[name] !== undefined) headers[name] = request.headers[name];
  }
  const exchange = await captureExchange({ body: request.body, headers }, settings);
  const response = responseForAlexa(exchange);
  const seconds = settings.expiresInOverride;
  const overridden = seconds === undefined ? undefined : withExpiresIn(response, seconds);
  if (seconds === undefined || overridden === undefined) return { exchange, response, findings: [] };
  return { exchange, response: overridden.response, findings: [expiresInOverridden(overridden.original, seconds)] };
}

/**
 * Alexa gets exactly what the token URL answered (decompressed, since API Gateway re-encodes
 * nothing); when no complete answer came (or one too large to pass on whole), an RFC
 * 6749-shaped error: 504 for a timeout, else 502.
 */
export function responseForAlexa(exchange: UpstreamExchange): TokenResponse {
  if (exchange.status !== null && exchange.error === null && !exchange.bodyCapped) {
    return {
      statusCode: exchange.status,
      headers: {
        contentType: exchange.headers["content-type"],
        cacheControl: exchange.headers["cache-control"],
        pragma: exchange.headers.pragma,
        wwwAuthenticate: exchange.headers["www-authenticate"],
      },
      body: exchange.body.toString("utf8"),
    };
  }
  const code = exchange.error?.code ?? "UPSTREAM_ERROR";
  return TIMEOUT_CODES.has(code)
    ? oauthError(504, "temporarily_unavailable", `The token URL did not answer in time (${code}).`)
    : oauthError(502, "server_error", `The token URL gave no usable answer (${code}).`);
}

import { bodyText, isObject, parseJson } from "./answer-body";
import { DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { isLocalRuntimeUrl } from "./url-rules";

/**
 * CODE_NOT_VERIFIED: tokens for an authorization code the probe made up. A token endpoint must
 * redeem only codes its own authorization endpoint issued (RFC 6749 §4.1.3); one that answers
 * any code with tokens hands them to anyone who asks.
 */
export function codeCheckFindings(upstream: UpstreamExchange, context: DiagnosisContext): Finding[] {
  if (!context.madeUpCode) return [];
  const { status } = upstream;
  if (status === null || status < 200 || status >= 300 || upstream.error || upstream.bodyCapped) return [];
  const body = parseJson(bodyText(upstream.body));
  if (!isObject(body) || typeof body.access_token !== "string") return [];
  // npm start's dummy answers any code by design; Alexa could never call it anyway.
  const local = isLocalRuntimeUrl(upstream.url);
  return [
    {
      code: "CODE_NOT_VERIFIED",
      severity: local ? "info" : "error",
      message:
        "The token URL issued tokens for an authorization code it never issued (the probe made it up): either " +
        "it does not check codes, so anyone can get tokens, or it is a test stub left in place." +
        (local ? " It is a plain-http address on this machine (npm start's dummy token answers any code), so this is info." : ""),
      fix:
        "Make the token endpoint redeem only codes its authorization endpoint issued, once each, for the same " +
        "client and redirect_uri (RFC 6749 §4.1.3), and answer any other code with 400 invalid_grant. To " +
        "test a real code, pass it with --code.",
    },
  ];
}

import { codeCheckFindings } from "./code-check-rules";
import { deadlineFindings } from "./deadline-rules";
import { alexaWaitOf, CapturedRequest, DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { fingerprint } from "../fingerprint";
import { httpFindings } from "./http-rules";
import { lifetimeFindings } from "./lifetime-rules";
import { oauthErrorFindings } from "./oauth-error-rules";
import { requestFindings } from "./request-rules";
import { rotationFindings } from "./rotation-rules";
import { tlsFindings } from "./tls-rules";
import { tokenBodyFindings } from "./token-body-rules";
import { transportFindings } from "./transport-rules";
import { urlFindings } from "./url-rules";

/**
 * Every finding about one token exchange, in the order the exchange happens (request, URL,
 * connection, Alexa's deadline, certificate, status and OAuth error, token body, then what the
 * answer says about how long the link will last), so a report reads top down.
 * `upstream` is null when nothing was forwarded (dummy mode).
 */
export function diagnose(
  request: CapturedRequest,
  upstream: UpstreamExchange | null,
  context: DiagnosisContext,
): Finding[] {
  const findings = requestFindings(request.contentType, request.clientAuth);
  const deadline = deadlineFindings(upstream, alexaWaitOf(upstream, context), context);
  if (upstream === null) return [...findings, ...deadline];
  return [
    ...findings,
    ...urlFindings(upstream.url),
    ...transportFindings(upstream),
    ...deadline,
    ...tlsFindings(upstream, context),
    ...httpFindings(upstream),
    ...oauthErrorFindings(request, upstream, context),
    ...codeCheckFindings(upstream, context),
    ...tokenBodyFindings(request, upstream),
    ...lifetimeFindings(upstream, context),
    ...rotationFindings(request, upstream, context, fingerprint),
  ];
}

import { CapturedRequest, DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { httpFindings } from "./http-rules";
import { oauthErrorFindings } from "./oauth-error-rules";
import { requestFindings } from "./request-rules";
import { tlsFindings } from "./tls-rules";
import { tokenBodyFindings } from "./token-body-rules";
import { transportFindings } from "./transport-rules";
import { urlFindings } from "./url-rules";

/**
 * Every finding about one token exchange, in the order the exchange happens (request, URL,
 * connection and certificate, status and OAuth error, token body), so a report reads top down.
 * `upstream` is null when nothing was forwarded (dummy mode).
 */
export function diagnose(
  request: CapturedRequest,
  upstream: UpstreamExchange | null,
  context: DiagnosisContext,
): Finding[] {
  const findings = requestFindings(request.contentType, request.clientAuth);
  if (upstream === null) return findings;
  return [
    ...findings,
    ...urlFindings(upstream.url),
    ...transportFindings(upstream, context),
    ...tlsFindings(upstream, context),
    ...httpFindings(upstream),
    ...oauthErrorFindings(request, upstream, context),
    ...tokenBodyFindings(request, upstream),
  ];
}

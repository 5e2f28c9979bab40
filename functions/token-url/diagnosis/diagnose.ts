import { botChallengeFindings } from "./bot-challenge-rules";
import { codeCheckFindings } from "./code-check-rules";
import { deadlineFindings } from "./deadline-rules";
import { alexaWaitOf, CapturedRequest, DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { fingerprint } from "../fingerprint";
import { httpFindings } from "./http-rules";
import { lifetimeFindings } from "./lifetime-rules";
import { oauthErrorFindings } from "./oauth-error-rules";
import { pkceFindings } from "./pkce-rules";
import { requestFindings } from "./request-rules";
import { rotationFindings } from "./rotation-rules";
import { identifyExchange, ServerIdentity } from "./server-identification";
import { withServerKnowledge } from "./server-knowledge";
import { tlsFindings } from "./tls-rules";
import { tokenBodyFindings } from "./token-body-rules";
import { transportFindings } from "./transport-rules";
import { urlFindings } from "./url-rules";

/** What the engine makes of one token exchange. */
export interface Diagnosis {
  readonly findings: Finding[];
  /** Who answered, and what stands in front (server-identification.ts); null when nothing
   * was forwarded. */
  readonly server: ServerIdentity | null;
}

/** The findings alone, for callers that do not record who answered. */
export function diagnose(request: CapturedRequest, upstream: UpstreamExchange | null, context: DiagnosisContext): Finding[] {
  return diagnoseExchange(request, upstream, context).findings;
}

/**
 * Every finding about one token exchange, in the order the exchange happens (request, URL,
 * connection, Alexa's deadline, certificate, status and OAuth error, token body, then what the
 * answer says about how long the link will last), so a report reads top down; and the server
 * identified on the way, for the record.
 * `upstream` is null when nothing was forwarded (dummy mode).
 */
export function diagnoseExchange(
  request: CapturedRequest,
  upstream: UpstreamExchange | null,
  context: DiagnosisContext,
): Diagnosis {
  const findings = requestFindings(request.contentType, request.clientAuth);
  const deadline = deadlineFindings(upstream, alexaWaitOf(upstream, context), context);
  if (upstream === null) return { findings: [...findings, ...deadline], server: null };
  // A bot challenge is not the OAuth server's answer: its status and body say nothing about it.
  const challenge = botChallengeFindings(upstream);
  const answer =
    challenge.length > 0
      ? challenge
      : [
          ...httpFindings(upstream),
          ...pkceFindings(request, upstream),
          ...oauthErrorFindings(request, upstream, context),
          ...codeCheckFindings(upstream, context),
          ...tokenBodyFindings(request, upstream),
          ...lifetimeFindings(upstream, context),
          ...rotationFindings(request, upstream, context, fingerprint),
        ];
  const diagnosed = [
    ...findings,
    ...urlFindings(upstream.url),
    ...transportFindings(upstream),
    ...deadline,
    ...tlsFindings(upstream, context),
    ...answer,
  ];
  // Last, over every finding: the product's own settings in the fixes, and who answered.
  const server = identifyExchange(upstream, context.serverMetadata);
  return {
    findings: withServerKnowledge(diagnosed, server, { tokenUrl: upstream.url, redirectUri: request.redirectUri, madeUpCode: context.madeUpCode }),
    server,
  };
}

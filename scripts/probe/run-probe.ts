/**
 * One probe: Alexa's token request sent to a token URL over strict TLS, the answer diagnosed
 * by the same engine as the Lambda's, and the result as the same attempt record (mode
 * "probe"), so `logs` and `probe` read alike.
 */
import { randomUUID } from "node:crypto";
import { tokenLineage } from "../../functions/token-url/lineage";
import {
  AttemptRecord,
  attemptRecord,
  SecondRequest,
  summarizeDeadline,
  summarizeUpstream,
} from "../../functions/token-url/attempt-record";
import { readTokenRequest, summarizeRequest } from "../../functions/token-url/captured-request";
import {
  ClientAuthScheme,
  otherScheme,
  rejectsClient,
  SchemeTrial,
  schemeTrialFindings,
} from "../../functions/token-url/diagnosis/client-auth-scheme-rules";
import { diagnoseExchange } from "../../functions/token-url/diagnosis/diagnose";
import { ServerIdentity } from "../../functions/token-url/diagnosis/server-identification";
import { withServerKnowledge } from "../../functions/token-url/diagnosis/server-knowledge";
import { alexaWaitOf, DiagnosisContext, UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { TokenRequest } from "../../functions/token-url/event";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { issuedTokens } from "../../functions/token-url/issued-tokens";
import { scrubberFor } from "../../functions/token-url/redact";
import { Scrubber } from "../../functions/token-url/scrubber";
// The Lambda's defaults, so a probe and the deployed wrapper judge a token URL alike.
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SLOW_RESPONSE_MS } from "../../functions/token-url/settings";
import { captureExchange } from "../../functions/token-url/upstream/capture-exchange";
import { lookupServerMetadata, ServerMetadata } from "../../functions/token-url/upstream/server-metadata";
import { issuedTokenAnswer } from "../../functions/token-url/diagnosis/answer-body";
import { alexaTokenRequest, AlexaRequestOptions, newCodeVerifier } from "./alexa-request";
import { IssuedAnswer } from "./saved-tokens";
import { probeFindings } from "./probe-findings";
import { checkRotation } from "./rotation-check";
import { checkTls12, needsTls12Check, tls12Findings } from "./tls-version-check";

export type ProbeRunOptions = AlexaRequestOptions & {
  readonly tokenUrl: string;
  readonly timeoutMs: number;
  /** Try the other client-auth scheme once when the first is rejected. @default false */
  readonly schemeRetry?: boolean;
  /** With the refresh grant: after a refresh that rotated the token, present the old one once
   * more (the second and last request) to learn whether the server revoked it at once. No
   * scheme retry then, so the probe never sends more than two token requests. @default false */
  readonly checkRotation?: boolean;
  /** Send code_verifier with the code (Alexa with PKCE on): `codeVerifier`, else a fresh one. */
  readonly pkce?: boolean;
  /** --save-tokens: the file the caller writes `issued` to; the findings say so. */
  readonly saveTokens?: string;
};

export interface ProbeContext {
  /** Trust anchors replacing Node's default store (tests); unset: Node's store, which
   * includes NODE_EXTRA_CA_CERTS. */
  readonly trustedCa?: string[];
  /** The attempt's time, and the reference for certificate dates. @default new Date() */
  readonly now?: Date;
}

/** One request with one client-auth scheme, as sent and as answered. */
interface Trial extends SchemeTrial {
  readonly request: TokenRequest;
  readonly read: ReturnType<typeof readTokenRequest>;
  /** The request's secrets and the tokens its answer issued. */
  readonly scrubber: Scrubber;
  /** Who answered it (null only when nothing was forwarded, never here). */
  readonly server: ServerIdentity | null;
}

/**
 * Calls the token URL as Alexa would and returns the attempt record. Never throws for anything
 * the token URL does: every failure is a finding. The record's `response` is what the token URL
 * answered; `status` 0 (and `contentType` null) when no answer arrived, the upstream error says
 * why. When the client is rejected and `schemeRetry` is on, the same request goes once more
 * with the other scheme; the record keeps it as `schemeRetry`, and the findings say which
 * scheme the server accepts, if any.
 */
export async function runProbe(options: ProbeRunOptions, context: ProbeContext = {}): Promise<AttemptRecord> {
  return (await runProbeScrubbed(options, context)).record;
}

/** runProbe(), and the attempt's scrubber, for what the caller adds to the record before it
 * leaves (skill findings, the authorization check): it seals the result again with it. */
export async function runProbeScrubbed(
  options: ProbeRunOptions,
  context: ProbeContext = {},
): Promise<{ record: AttemptRecord; scrubber: Scrubber; issued: IssuedAnswer[] }> {
  const now = context.now ?? new Date();
  const connectTimeoutMs = Math.min(DEFAULT_CONNECT_TIMEOUT_MS, options.timeoutMs);
  const diagnosis: DiagnosisContext = {
    mode: "probe",
    now,
    slowResponseMs: DEFAULT_SLOW_RESPONSE_MS,
    madeUpCode: options.grant === "authorization_code" && options.code === undefined,
    probeOptions: { checkRotation: options.checkRotation === true, ...(options.saveTokens !== undefined && { saveTokensFile: options.saveTokens }) },
  };

  // One verifier for both schemes: the retry is the same request. ALEXA_CODE_VERIFIER (a real
  // code's) wins over a fresh one.
  const codeVerifier = options.pkce ? (options.codeVerifier ?? newCodeVerifier()) : undefined;
  const send = async (scheme: ClientAuthScheme, refreshToken = options.refreshToken) => {
    const outgoing = alexaTokenRequest({ ...options, auth: scheme, refreshToken, codeVerifier });
    // Read back from the bytes sent, as the Lambda reads Alexa's, so the record shows the same.
    // No source IP: it is this machine, not Alexa.
    const request: TokenRequest = { method: "POST", headers: outgoing.headers, query: {}, body: outgoing.body, receivedAt: now };
    const read = readTokenRequest(request);
    const exchange = await captureExchange(outgoing, {
      tokenUrl: options.tokenUrl,
      connectTimeoutMs,
      upstreamTimeoutMs: options.timeoutMs,
      tlsBypass: false, // Alexa never goes on past a bad certificate, so neither does the probe
      trustedCa: context.trustedCa,
    });
    return { scheme, request, read, exchange };
  };
  const judged = (sent: Awaited<ReturnType<typeof send>>, metadata: ServerMetadata | null): Trial => {
    const { findings, server } = diagnoseExchange(sent.read.captured, sent.exchange, { ...diagnosis, serverMetadata: metadata });
    const scrubber = scrubberFor(sent.read.credentials).with(issuedTokens(sent.exchange.body, sent.exchange.headers));
    return { ...sent, findings, server, scrubber };
  };

  // Only an exchange that can issue real tokens has a granted scope to judge against the
  // metadata; it runs beside the token request, so it adds nothing but its own excess.
  const [firstSent, serverMetadata] = await Promise.all([
    send(options.auth),
    issuesRealTokens(options) ? lookupServerMetadata(options.tokenUrl, { trustedCa: context.trustedCa }) : undefined,
  ]);
  const metadata = serverMetadata?.found ?? null;
  const first = judged(firstSent, metadata);
  const offer = needsTls12Check(first.exchange)
    ? await checkTls12(options.tokenUrl, { connectTimeoutMs, trustedCa: context.trustedCa })
    : null;
  const retry =
    options.schemeRetry && !options.checkRotation && rejectsClient(first.findings)
      ? judged(await send(otherScheme(options.auth)), metadata)
      : null;
  // The parser takes --check-rotation only with the refresh grant.
  const rotation = options.checkRotation
    ? await checkRotation(first, async () => judged(await send(options.auth, options.refreshToken), metadata), options.saveTokens)
    : null;
  const reuse = rotation?.reuse ?? null;
  const diagnosed = retry
    ? schemeTrialFindings(first, retry, {
        clientId: options.clientId,
        secretFingerprint: options.clientSecret === undefined ? null : fingerprint(options.clientSecret),
      })
    : first.findings;
  // Who answered: the first exchange tells, else the retry (the scheme may change the answer).
  const server = knownServer(first.server, retry?.server ?? null);
  // Again after the retry and the rotation check, whose findings the engine did not see.
  const findings = withServerKnowledge(
    probeFindings([...diagnosed, ...(rotation?.findings ?? [])], {
      handshake: tls12Findings(offer),
      clientSecretGiven: options.clientSecret !== undefined,
    }),
    server,
    { tokenUrl: options.tokenUrl, redirectUri: first.read.captured.redirectUri, madeUpCode: diagnosis.madeUpCode },
  );

  let scrubber = retry ? first.scrubber.with(retry.scrubber.secrets, retry.read.credentials.related) : first.scrubber;
  if (reuse) scrubber = scrubber.with(reuse.scrubber.secrets, reuse.read.credentials.related);
  const record = attemptRecord({
    attemptId: randomUUID(),
    time: now.toISOString(),
    mode: "probe",
    request: summarizeRequest(first.request, first.read),
    upstream: summarizeUpstream(first.exchange),
    response: answerOf(first.exchange),
    // The tokens came from the retry when there was one (the first was rejected).
    lineage: tokenLineage((retry ?? first).read.form.fields, {
      statusCode: (retry ?? first).exchange.status ?? 0,
      body: (retry ?? first).exchange.body.toString("utf8"),
    }, now),
    deadline: summarizeDeadline(alexaWaitOf(first.exchange, diagnosis), "probe"),
    ...(retry && { schemeRetry: secondRequest(retry) }),
    ...(reuse && { rotationCheck: secondRequest(reuse) }),
    ...(serverMetadata && { serverMetadata }),
    ...((server.server || server.front) && { server }),
    findings,
  }, scrubber);
  const issued = [
    ...issuedAnswers(retry ?? first, options.grant === "refresh_token" ? "refresh" : "code"),
    ...(reuse ? issuedAnswers(reuse, "refresh (the old refresh token again)") : []),
  ];
  return { record, scrubber, issued };
}

/** The answer of a trial that issued tokens, in clear, for --save-tokens only. */
function issuedAnswers(trial: Trial, request: string): IssuedAnswer[] {
  const answer = issuedTokenAnswer(trial.exchange);
  return answer ? [{ request, answer }] : [];
}

function knownServer(first: ServerIdentity | null, retry: ServerIdentity | null): ServerIdentity {
  return { server: first?.server ?? retry?.server ?? null, front: first?.front ?? retry?.front ?? null };
}

/** A request after the first (the scheme retry, the rotation check), for the record. */
function secondRequest(trial: Trial): SecondRequest {
  return { request: summarizeRequest(trial.request, trial.read), upstream: summarizeUpstream(trial.exchange), response: answerOf(trial.exchange) };
}

/** A real code (--code) or a refresh token: the answer is the user's tokens, not invalid_grant. */
function issuesRealTokens(options: ProbeRunOptions): boolean {
  return options.grant === "refresh_token" || options.code !== undefined;
}

function answerOf(exchange: UpstreamExchange): AttemptRecord["response"] {
  if (exchange.status === null) return { status: 0, contentType: null };
  return { status: exchange.status, contentType: exchange.headers["content-type"] ?? null };
}

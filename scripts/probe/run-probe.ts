/**
 * One probe: Alexa's token request sent to a token URL over strict TLS, the answer diagnosed
 * by the same engine as the Lambda's, and the result as the same attempt record (mode
 * "probe"), so `logs` and `probe` read alike.
 */
import { randomUUID } from "node:crypto";
import { AttemptRecord, attemptRecord, summarizeUpstream } from "../../functions/token-url/attempt-record";
import { readTokenRequest, summarizeRequest } from "../../functions/token-url/captured-request";
import { diagnose } from "../../functions/token-url/diagnosis/diagnose";
import { UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { TokenRequest } from "../../functions/token-url/event";
import { secretValues } from "../../functions/token-url/redact";
// The Lambda's defaults, so a probe and the deployed wrapper judge a token URL alike.
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SLOW_RESPONSE_MS } from "../../functions/token-url/settings";
import { captureExchange } from "../../functions/token-url/upstream/capture-exchange";
import { alexaTokenRequest, AlexaRequestOptions } from "./alexa-request";
import { probeFindings } from "./probe-findings";
import { checkTls12, needsTls12Check, tls12Findings } from "./tls-version-check";

export type ProbeRunOptions = AlexaRequestOptions & { readonly tokenUrl: string; readonly timeoutMs: number };

export interface ProbeContext {
  /** Trust anchors replacing Node's default store (tests); unset: Node's store, which
   * includes NODE_EXTRA_CA_CERTS. */
  readonly trustedCa?: string[];
  /** The attempt's time, and the reference for certificate dates. @default new Date() */
  readonly now?: Date;
}

/**
 * Calls the token URL once as Alexa would and returns the attempt record. Never throws for
 * anything the token URL does: every failure is a finding. The record's `response` is what
 * the token URL answered; `status` 0 (and `contentType` null) when no answer arrived, the
 * upstream error says why.
 */
export async function runProbe(options: ProbeRunOptions, context: ProbeContext = {}): Promise<AttemptRecord> {
  const now = context.now ?? new Date();
  const outgoing = alexaTokenRequest(options);
  // Read back from the bytes sent, as the Lambda reads Alexa's, so the record shows the same.
  // No source IP: it is this machine, not Alexa.
  const request: TokenRequest = { method: "POST", headers: outgoing.headers, query: {}, body: outgoing.body, receivedAt: now };
  const read = readTokenRequest(request);

  const connectTimeoutMs = Math.min(DEFAULT_CONNECT_TIMEOUT_MS, options.timeoutMs);
  const exchange = await captureExchange(outgoing, {
    tokenUrl: options.tokenUrl,
    connectTimeoutMs,
    upstreamTimeoutMs: options.timeoutMs,
    tlsBypass: false, // Alexa never goes on past a bad certificate, so neither does the probe
    trustedCa: context.trustedCa,
  });
  const offer = needsTls12Check(exchange)
    ? await checkTls12(options.tokenUrl, { connectTimeoutMs, trustedCa: context.trustedCa })
    : null;
  const diagnosed = diagnose(read.captured, exchange, { mode: "probe", now, slowResponseMs: DEFAULT_SLOW_RESPONSE_MS });
  const findings = probeFindings(diagnosed, {
    handshake: tls12Findings(offer),
    clientSecretGiven: options.clientSecret !== undefined,
  });

  return attemptRecord({
    attemptId: randomUUID(),
    time: now.toISOString(),
    mode: "probe",
    request: summarizeRequest(request, read),
    upstream: summarizeUpstream(exchange, secretValues(read.form.fields, outgoing.headers.authorization)),
    response: answerOf(exchange),
    findings,
  });
}

function answerOf(exchange: UpstreamExchange): AttemptRecord["response"] {
  if (exchange.status === null) return { status: 0, contentType: null };
  return { status: exchange.status, contentType: exchange.headers["content-type"] ?? null };
}

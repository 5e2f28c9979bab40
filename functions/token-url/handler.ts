import { AttemptRecord, attemptRecord, summarizeDeadline, summarizeResponse, summarizeUpstream } from "./attempt-record";
import { readTokenRequest, summarizeRequest } from "./captured-request";
import { diagnoseExchange } from "./diagnosis/diagnose";
import { AlexaWait, alexaWaitOf, UpstreamExchange } from "./diagnosis/exchange";
import { Finding } from "./diagnosis/finding";
import { DUMMY_RESPONSE, dummyTokenResponse } from "./dummy";
import { expiredAnswer } from "./debugger-expiry";
import { decodeEvent, TokenEvent } from "./event";
import { tokenLineage } from "./lineage";
import { forwardToTokenUrl } from "./proxy-mode";
import { issuedTokens } from "./issued-tokens";
import { safeJson } from "./record-exit";
import { scrubberFor } from "./redact";
import { serverMetadataFor } from "./server-metadata-cache";
import { ServerIdentity } from "./diagnosis/server-identification";
import { MetadataLookup } from "./upstream/server-metadata";
import { FunctionSettings, readSettings } from "./settings";
import { oauthError, TokenResponse } from "./token-response";

// Read once per cold start: a function's environment cannot change while it runs.
const SETTINGS = readSettings();

/** The Lambda entry point (non-proxy integration: the event comes from the request template). */
export async function handler(event: TokenEvent): Promise<TokenResponse> {
  return handleTokenRequest(event, SETTINGS, (record) => console.log(safeJson(record)));
}

/**
 * Answers one token request and logs exactly one attempt record. Never throws: whatever goes
 * wrong, Alexa still gets an RFC 6749-shaped answer and the developer still gets a record.
 */
export async function handleTokenRequest(
  event: TokenEvent,
  settings: FunctionSettings,
  log: (record: AttemptRecord) => void,
  now: Date = new Date(),
  // Replaceable so that a test can break the wrapper on purpose (npm run verify's fault tests).
  forward: typeof forwardToTokenUrl = forwardToTokenUrl,
): Promise<TokenResponse> {
  const started = performance.now();
  const request = decodeEvent(event, now);
  const read = readTokenRequest(request);
  const { captured } = read;
  const attemptId = request.requestId ?? crypto.randomUUID();
  // Alexa's clock started when API Gateway received the request (requestTimeEpoch), before
  // the Lambda ran; it stops with this answer. What is left after the measurement (the
  // diagnosis, one log line) takes well under a millisecond.
  const alexaWaitedMs = () => Math.max(0, Math.round(now.getTime() + (performance.now() - started) - request.receivedAt.getTime()));

  let response: TokenResponse;
  let exchange: UpstreamExchange | null = null;
  let wait: AlexaWait | null = null;
  let findings: Finding[];
  let serverMetadata: MetadataLookup | undefined;
  let server: ServerIdentity | null = null;
  // First, before either mode: an expired debugger forwards nothing, not a byte.
  const expired = expiredAnswer(settings.expiresAt, now);
  try {
    if (expired) {
      response = expired.response;
      findings = [expired.finding];
    } else {
      const proxy = settings.mode === "proxy" && settings.tokenUrl;
      let changes: Finding[] = [];
      // Started before the forward, read after it, never awaited (server-metadata-cache.ts).
      const metadata = proxy && settings.serverMetadataLookup ? serverMetadataFor(proxy, settings) : undefined;
      if (proxy) ({ exchange, response, findings: changes } = await forward(request, { ...settings, tokenUrl: proxy }));
      else response = dummyTokenResponse(settings.expiresInOverride);
      serverMetadata = metadata?.settled();
      const context = {
        mode: proxy ? ("proxy" as const) : ("dummy" as const),
        now,
        slowResponseMs: settings.slowResponseMs,
        alexaWaitedMs: alexaWaitedMs(),
        serverMetadata: serverMetadata?.found ?? null,
      };
      const diagnosis = diagnoseExchange(captured, exchange, context);
      server = diagnosis.server;
      wait = alexaWaitOf(exchange, context);
      findings = [...diagnosis.findings, ...changes];
      if (!proxy) findings.push(DUMMY_RESPONSE);
    }
  } catch (error) {
    response = oauthError(500, "server_error", "The token URL debugger failed; see its log.");
    findings = [
      {
        code: "DEBUGGER_ERROR",
        severity: "error",
        message: `The debugger itself failed: ${error instanceof Error ? error.message : String(error)}`,
        fix: "Report this with the attempt record; the request may not have been passed on.",
      },
    ];
  }

  // The attempt's secrets: the request's, and every token either answer issued (the token
  // URL's, or the dummy's, which Alexa stores like real ones).
  const scrubber = scrubberFor(read.credentials).with(
    exchange
      ? issuedTokens(exchange.body, exchange.headers)
      : issuedTokens(Buffer.from(response.body, "utf8"), { "content-type": response.headers.contentType ?? "" }),
  );
  log(
    attemptRecord({
      attemptId,
      time: request.receivedAt.toISOString(),
      mode: settings.mode,
      request: summarizeRequest(request, read),
      upstream: exchange && summarizeUpstream(exchange),
      response: summarizeResponse(response),
      lineage: tokenLineage(read.form.fields, response, now),
      deadline: summarizeDeadline(wait ?? alexaWaitOf(exchange, { alexaWaitedMs: alexaWaitedMs() }), settings.mode),
      ...(serverMetadata && { serverMetadata }),
      ...(server && (server.server || server.front) && { server }),
      findings,
    }, scrubber),
  );
  return { ...response, attemptId };
}

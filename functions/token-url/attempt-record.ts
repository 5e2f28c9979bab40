import { ClientAuth } from "./client-auth";
import { RegionStanding } from "./diagnosis/authorize-rules";
import { ALEXA_DEADLINE_MS } from "./diagnosis/deadline-rules";
import { AlexaWait, TlsFacts, UpstreamError, UpstreamExchange, UpstreamTimings } from "./diagnosis/exchange";
import { Finding, Verdict, verdictOf } from "./diagnosis/finding";
import { TokenLineage } from "./lineage";
import { fingerprint } from "./fingerprint";
import { answerText } from "./answer-text";
import { CutValue, sealRecord } from "./record-exit";
import { redactHeaders } from "./redact";
import { Scrubber } from "./scrubber";
import { TokenResponse } from "./token-response";
import { MetadataLookup } from "./upstream/server-metadata";
import { ServerIdentity } from "./diagnosis/server-identification";

/** One per token request (DESIGN §3.2); the logs CLI finds it by `type`. Secrets are redacted
 * before anything reaches this shape. */
export interface AttemptRecord {
  readonly type: "token-attempt";
  readonly version: 1;
  readonly attemptId: string;
  readonly time: string;
  readonly mode: "dummy" | "proxy" | "probe";
  readonly verdict: Verdict;
  readonly request: {
    readonly clientAuth: ClientAuth;
    readonly grantType: string | null;
    readonly contentType: string | null;
    readonly sourceIp: string | null;
    readonly fields: Record<string, string>;
    readonly duplicateFields: string[];
    readonly headers: Record<string, string>;
    /** The body bytes as the Lambda got them from the request template (`npm run verify`
     * compares it with what it sent). Absent from older records. */
    readonly bodyFingerprint?: string;
  };
  readonly upstream: UpstreamSummary | null;
  readonly response: ResponseSummary;
  /** The fingerprints that chain this attempt to the ones before and after it (what Alexa was
   * given); absent from records written before lineage was recorded. */
  readonly lineage?: TokenLineage;
  /** Absent from records written before Alexa's deadline was modelled. */
  readonly deadline?: DeadlineSummary;
  /** Probe only: the same request with the other client-auth scheme, sent because the server
   * rejected the client the first time. `request`, `upstream` and `response` stay the first
   * request's; the findings weigh both. */
  readonly schemeRetry?: SecondRequest;
  /** Probe only, with --check-rotation: the second request, presenting the refresh token the
   * first one redeemed, once more. `request`, `upstream` and `response` stay the first
   * request's; REFRESH_ROTATION_IMMEDIATE or REFRESH_ROTATION_TOLERANT says what it learned. */
  readonly rotationCheck?: SecondRequest;
  /** Probe only, with --authorize-url (or --skill-id --authorize) beside the token URL: the
   * authorization URI's checks. Their findings are in `findings` too, after the token URL's,
   * so the verdict covers both. */
  readonly authorization?: AuthorizationSection;
  /** The authorization server's metadata (RFC 8414 / OpenID discovery) as looked up from the
   * token URL: every URL asked, the document found (or null) and the time it took. Absent when
   * no lookup ran (a probe with a made-up code; the wrapper's first request while the lookup is
   * still under way) and from older records. */
  readonly serverMetadata?: MetadataLookup;
  /** The authorization server product and what stands in front of it, each with the evidence
   * that named it (server-identification.ts); absent when neither was clear, when nothing was
   * forwarded, and from older records. SERVER_IDENTIFIED says the same in words. */
  readonly server?: ServerIdentity;
  readonly findings: Finding[];
  /** What was cut to keep the record within one CloudWatch Logs event (record-exit.ts); absent
   * when nothing was. */
  readonly cut?: CutValue[];
}

/** A request the probe sent after the first (schemeRetry, rotationCheck), as sent and answered. */
export interface SecondRequest {
  readonly request: AttemptRecord["request"];
  readonly upstream: UpstreamSummary;
  readonly response: AttemptRecord["response"];
}

/** The authorization URI's checks (`probe --authorize-url`; docs/attempt-record.md). */
export interface AuthorizationSection {
  readonly url: string;
  readonly clientId: string;
  readonly scope: string | null;
  readonly vendorId: string;
  /** Of the first region's request: every request goes to the same server. */
  readonly tls: TlsFacts | null;
  readonly timings: UpstreamTimings;
  readonly regions: (RegionStanding & { readonly answer: AnswerSummary })[];
  readonly bogus: { readonly redirectUri: string; readonly answer: AnswerSummary };
}

/** One authorization answer as recorded: a fingerprint of the body, never the body (it may be
 * a login page with a CSRF token), and a Location with any code or token in it redacted. */
export interface AnswerSummary {
  readonly status: number | null;
  readonly location: string | null;
  readonly bodyBytes: number;
  readonly bodyFingerprint: string;
  readonly error: UpstreamError | null;
}

/** What the Lambda handed the response template. The headers and the body's fingerprint let
 * `npm run verify` tell a change by the template from one by the Lambda; they are absent from
 * older records. */
export interface ResponseSummary {
  readonly status: number;
  readonly contentType: string | null;
  readonly cacheControl?: string | null;
  readonly pragma?: string | null;
  readonly wwwAuthenticate?: string | null;
  readonly bodyFingerprint?: string;
}

/** Alexa's 4.5 s budget and who spent it. */
export interface DeadlineSummary {
  readonly limitMs: number;
  /** Wrapper and dummy: from API Gateway receiving the request to the Lambda's answer. Probe:
   * the exchange itself. */
  readonly waitedMs: number;
  /** The token URL's share; null in dummy mode. */
  readonly upstreamMs: number | null;
  /** API Gateway and the Lambda's own share (cold start included); null for the probe. */
  readonly debuggerMs: number | null;
}

export interface UpstreamSummary {
  readonly url: string;
  readonly status: number | null;
  readonly headers: Record<string, string>;
  /** As text (decoded by its declared charset), every secret and token fingerprinted, cut
   * after 16 KB (`cut` says so). */
  readonly body: string;
  /** Decoded bytes kept: the whole body, or up to the capture's 1 MiB cap. */
  readonly bodyBytes: number;
  /** Of the whole decoded body (as far as the capture read it), so a body the record cuts can
   * still be compared; absent from older records. */
  readonly bodyFingerprint?: string;
  /** The capture stopped reading at 1 MiB of decoded bytes (or 1 MiB on the wire); `cut` has
   * an entry `by: "capture"` with the sizes. */
  readonly bodyCapped: boolean;
  /** Bytes read off the wire (compressed when `bodyEncoding` is set); absent from older records. */
  readonly receivedBytes?: number;
  /** The Content-Encoding the body was decoded from, or null; absent from older records. */
  readonly bodyEncoding?: string | null;
  readonly timings: UpstreamTimings;
  readonly tls: TlsFacts | null;
  readonly error: UpstreamError | null;
}

export const ATTEMPT_RECORD_TYPE = "token-attempt";

/** The only maker of records: whatever a field holds, the record leaves scrubbed by the
 * attempt's `scrubber` and bounded (record-exit.ts), so a new field cannot forget it. */
export function attemptRecord(
  fields: Omit<AttemptRecord, "type" | "version" | "verdict">,
  scrubber: Scrubber,
): AttemptRecord {
  // Each finding in one key order, so every record reads the same way.
  const findings = fields.findings.map(({ code, severity, message, fix }) => ({ code, severity, message, fix }));
  const captureCuts = [
    captureCut("upstream.body", fields.upstream),
    captureCut("schemeRetry.upstream.body", fields.schemeRetry?.upstream ?? null),
    captureCut("rotationCheck.upstream.body", fields.rotationCheck?.upstream ?? null),
  ].filter((cut) => cut !== undefined);
  const record = { type: ATTEMPT_RECORD_TYPE, version: 1, verdict: verdictOf(findings), ...fields, findings };
  return sealRecord((captureCuts.length ? { ...record, cut: captureCuts } : record) as AttemptRecord, scrubber);
}

/** A body the capture stopped reading at its cap, in the record's `cut` list: `size` is what
 * was decoded (the whole is larger and was never read), `receivedBytes` what came off the wire
 * for it. */
function captureCut(path: string, upstream: UpstreamSummary | null): CutValue | undefined {
  if (!upstream?.bodyCapped) return undefined;
  return {
    path,
    size: upstream.bodyBytes,
    unit: "bytes",
    by: "capture",
    receivedBytes: upstream.receivedBytes ?? upstream.bodyBytes,
    encoding: upstream.bodyEncoding ?? null,
  };
}

export function summarizeDeadline(wait: AlexaWait, mode: AttemptRecord["mode"]): DeadlineSummary {
  const { waitedMs, upstreamMs, debuggerMs } = wait;
  return { limitMs: ALEXA_DEADLINE_MS, waitedMs, upstreamMs, debuggerMs: mode === "probe" ? null : debuggerMs };
}

export function summarizeResponse(response: TokenResponse): ResponseSummary {
  const { headers } = response;
  return {
    status: response.statusCode,
    contentType: headers.contentType ?? null,
    cacheControl: headers.cacheControl ?? null,
    pragma: headers.pragma ?? null,
    wwwAuthenticate: headers.wwwAuthenticate ?? null,
    bodyFingerprint: fingerprint(response.body),
  };
}

/** The upstream part of the record, before sealing (attemptRecord scrubs and bounds it). */
export function summarizeUpstream(exchange: UpstreamExchange): UpstreamSummary {
  const text = answerText(exchange.body, exchange.headers["content-type"]);
  return {
    url: exchange.url,
    status: exchange.status,
    headers: redactHeaders(exchange.headers),
    body: text,
    bodyBytes: exchange.body.length,
    bodyFingerprint: fingerprint(text),
    bodyCapped: exchange.bodyCapped,
    receivedBytes: exchange.receivedBytes,
    bodyEncoding: exchange.bodyEncoding ?? null,
    timings: exchange.timings,
    tls: exchange.tls,
    error: exchange.error,
  };
}

/**
 * What the diagnosis engine reads: facts captured about one token request and the token URL's
 * answer, with nothing Lambda-specific in them, so the Lambda, the probe and the logs report
 * share one engine. Rules derive findings from these facts; the capture never judges.
 */
import { ClientAuth } from "../client-auth";
import type { ServerMetadata } from "../upstream/server-metadata";

export interface CapturedRequest {
  /** As sent, e.g. "application/x-www-form-urlencoded;charset=UTF-8"; null when absent. */
  readonly contentType: string | null;
  readonly clientAuth: ClientAuth;
  readonly grantType: string | null;
  /** The redirect_uri field in clear (it is not a secret): it names Alexa's region. */
  readonly redirectUri: string | null;
  /** The client_id, from the Basic header or the body, in clear (not a secret). */
  readonly clientId: string | null;
  /** A refresh grant's refresh token, as its fingerprint (never the token): a new one in the
   * answer means the server rotates. Absent where a request was built without it. */
  readonly refreshTokenPresented?: string | null;
  /** The request carried a PKCE code_verifier (Alexa with PKCE enabled for the skill).
   * Unset in records' replays and tests that predate PKCE: taken as not sent. */
  readonly codeVerifierSent?: boolean;
}

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601. */
  readonly validFrom: string;
  readonly validTo: string;
  /** DNS names and IP addresses, e.g. ["DNS:auth.example.com", "IP Address:127.0.0.1"]. */
  readonly subjectAltNames: string[];
  readonly selfSigned: boolean;
  readonly fingerprint256: string;
  /** True for a certificate the client took from its own trust store to complete the chain
   * (Node adds the issuers of the last certificate the server sent from there); false or
   * absent: the server sent it. Absent from older records. */
  readonly fromTrustStore?: boolean;
}

export interface TlsFacts {
  /** Negotiated protocol, e.g. "TLSv1.3"; null when the handshake failed. */
  readonly protocol: string | null;
  readonly cipher: string | null;
  /** True only when the chain verified against the trust store and the names matched. */
  readonly authorized: boolean;
  /** Node's verification error code, e.g. "CERT_HAS_EXPIRED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
   * "ERR_TLS_CERT_ALTNAME_INVALID"; null when authorized. */
  readonly verifyError: string | null;
  /** The chain as the client built it, leaf first: what the server sent, then what the client
   * completed from its trust store (`fromTrustStore`). Empty when no handshake completed. */
  readonly chain: CertificateSummary[];
  /** True when verification failed and TLS_BYPASS let the request go on regardless. */
  readonly bypassed: boolean;
}

/** Durations of each phase in ms; null for a phase that did not happen (no DNS for an IP
 * address, no TLS for http, no first byte after a failure). */
export interface UpstreamTimings {
  readonly dnsMs: number | null;
  readonly connectMs: number | null;
  readonly tlsMs: number | null;
  /** From the request being written to the first byte of the answer: the server's think time. */
  readonly ttfbMs: number | null;
  /** From start to the end of the answer (or the failure). */
  readonly totalMs: number;
}

export interface UpstreamError {
  /** Node's error code ("ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ERR_SSL_…") or one of the
   * capture's own: "CONNECT_TIMEOUT", "TLS_HANDSHAKE_TIMEOUT", "RESPONSE_TIMEOUT",
   * "TLS_VERIFY_FAILED" (chain or name rejected: see tls.verifyError). */
  readonly code: string;
  readonly message: string;
}

export interface UpstreamExchange {
  readonly url: string;
  /** Null when no response head arrived. */
  readonly status: number | null;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  /** The body as Alexa's client would read it: decompressed when Content-Encoding says so. */
  readonly body: Buffer;
  /** Bytes received on the wire (before decompression). */
  readonly receivedBytes: number;
  /** The Content-Length header as a number; null when absent or invalid. */
  readonly declaredLength: number | null;
  /** True when the body was longer than the capture keeps (1 MiB, counted decoded, and on the
   * wire) and was cut there: `body` is what was decoded up to that point. */
  readonly bodyCapped: boolean;
  /** The Content-Encoding the body was decoded from ("gzip", "deflate", "br"); null (or absent)
   * when the body was taken as it came. */
  readonly bodyEncoding?: string | null;
  readonly timings: UpstreamTimings;
  /** Null for an http URL or when TCP never connected. */
  readonly tls: TlsFacts | null;
  /** Null when a complete answer arrived. A body cut short by the server has both a status
   * and an error (receivedBytes < declaredLength). */
  readonly error: UpstreamError | null;
}

export interface DiagnosisContext {
  readonly mode: "dummy" | "proxy" | "probe";
  /** The probe sent an authorization code it made up itself (no --code): OAUTH_INVALID_GRANT
   * is then the expected answer (info), and tokens for it are CODE_NOT_VERIFIED. */
  readonly madeUpCode?: boolean;
  /** Reference time for certificate expiry checks. */
  readonly now: Date;
  /** Above this wait (inside Alexa's 4.5 s deadline) a complete answer is SLOW_RESPONSE. */
  readonly slowResponseMs: number;
  /** What Alexa waited, from API Gateway receiving the request to the debugger's answer (the
   * wrapper and the dummy). Unset for the probe: it stands where Alexa stands, so its wait is
   * the exchange itself. */
  readonly alexaWaitedMs?: number;
  /** The authorization server's metadata (RFC 8414 / OpenID discovery) when a lookup found it
   * before the diagnosis; unset or null when none ran or none was found. The lifetime rules read
   * the offered scopes, server identification its issuer and endpoints. */
  readonly serverMetadata?: ServerMetadata | null;
  /** The probe's options that its advice depends on, so a finding never advises an option
   * that was passed; unset outside the probe. */
  readonly probeOptions?: ProbeOptionsGiven;
}

export interface ProbeOptionsGiven {
  /** --save-tokens: the file the probe writes what the server issued to. */
  readonly saveTokensFile?: string;
  /** --check-rotation: the old refresh token is presented once more after a rotation. */
  readonly checkRotation: boolean;
}

/** How long Alexa waited for its answer, and who spent it. */
export interface AlexaWait {
  readonly waitedMs: number;
  /** Null when nothing was forwarded (dummy mode). */
  readonly upstreamMs: number | null;
  /** The rest: API Gateway and the Lambda (0 for the probe; never negative, though the two
   * clocks behind it may disagree by a few ms). */
  readonly debuggerMs: number;
}

export function alexaWaitOf(upstream: UpstreamExchange | null, context: Pick<DiagnosisContext, "alexaWaitedMs">): AlexaWait {
  const upstreamMs = upstream?.timings.totalMs ?? null;
  const waitedMs = context.alexaWaitedMs ?? upstreamMs ?? 0;
  return { waitedMs, upstreamMs, debuggerMs: Math.max(0, waitedMs - (upstreamMs ?? 0)) };
}

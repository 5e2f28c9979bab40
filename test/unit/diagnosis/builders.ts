import {
  CapturedRequest,
  CertificateSummary,
  DiagnosisContext,
  TlsFacts,
  UpstreamExchange,
} from "../../../functions/token-url/diagnosis/exchange";
import { Finding } from "../../../functions/token-url/diagnosis/finding";

/** Healthy facts by default, so each test states only the fault it is about. */

export const NOW = new Date("2026-11-24T19:00:00.000Z");
export const TOKEN_URL = "https://auth.example.com/oauth/token";
export const NA_REDIRECT = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";

export function aRequest(overrides: Partial<CapturedRequest> = {}): CapturedRequest {
  return {
    contentType: "application/x-www-form-urlencoded;charset=UTF-8",
    clientAuth: "basic",
    grantType: "authorization_code",
    redirectUri: NA_REDIRECT,
    clientId: "alexa-skill",
    ...overrides,
  };
}

export function aContext(overrides: Partial<DiagnosisContext> = {}): DiagnosisContext {
  return { mode: "proxy", now: NOW, slowResponseMs: 3_000, ...overrides };
}

export function aCertificate(overrides: Partial<CertificateSummary> = {}): CertificateSummary {
  return {
    subject: "CN=auth.example.com",
    issuer: "C=US, O=Let's Encrypt, CN=R11",
    validFrom: "2026-10-01T00:00:00.000Z",
    validTo: "2026-12-30T00:00:00.000Z",
    subjectAltNames: ["DNS:auth.example.com"],
    selfSigned: false,
    fingerprint256: "AA:BB",
    ...overrides,
  };
}

export const INTERMEDIATE = aCertificate({
  subject: "C=US, O=Let's Encrypt, CN=R11",
  issuer: "C=US, O=Internet Security Research Group, CN=ISRG Root X1",
  validTo: "2027-03-12T23:59:59.000Z",
  subjectAltNames: [],
  fingerprint256: "CC:DD",
});

export function tlsFacts(overrides: Partial<TlsFacts> = {}): TlsFacts {
  return {
    protocol: "TLSv1.3",
    cipher: "TLS_AES_128_GCM_SHA256",
    authorized: true,
    verifyError: null,
    chain: [aCertificate(), INTERMEDIATE],
    bypassed: false,
    ...overrides,
  };
}

/** A certificate the handshake rejected, with the request sent anyway only when `bypassed`. */
export function rejectedTls(verifyError: string, chain: CertificateSummary[], bypassed = false): TlsFacts {
  return tlsFacts({ authorized: false, verifyError, chain, bypassed });
}

export function aTokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: "at-CANARY-4f2e",
    token_type: "Bearer",
    expires_in: 3600,
    refresh_token: "rt-CANARY-9b1c",
    ...overrides,
  };
}

export const JSON_HEADERS = {
  "content-type": "application/json;charset=UTF-8",
  "cache-control": "no-store",
  pragma: "no-cache",
};

/** A complete answer; receivedBytes and declaredLength follow the body unless overridden. */
export function anExchange(overrides: Partial<UpstreamExchange> = {}): UpstreamExchange {
  const body = overrides.body ?? Buffer.from(JSON.stringify(aTokenBody()));
  return {
    url: TOKEN_URL,
    status: 200,
    headers: JSON_HEADERS,
    body,
    receivedBytes: body.length,
    declaredLength: body.length,
    bodyCapped: false,
    timings: { dnsMs: 2, connectMs: 10, tlsMs: 20, ttfbMs: 40, totalMs: 75 },
    tls: tlsFacts(),
    error: null,
    ...overrides,
  };
}

/** A complete answer with the given status and body (JSON unless a string or Buffer). */
export function anAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = JSON_HEADERS,
): UpstreamExchange {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  return anExchange({ status, body: bytes, headers });
}

/** No answer at all: the exchange failed before a response head arrived. */
export function aFailure(
  code: string,
  message = code,
  overrides: Partial<UpstreamExchange> = {},
): UpstreamExchange {
  return anExchange({
    status: null,
    headers: {},
    body: Buffer.alloc(0),
    receivedBytes: 0,
    declaredLength: null,
    timings: { dnsMs: 2, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 3_002 },
    tls: null,
    error: { code, message },
    ...overrides,
  });
}

export const codesOf = (findings: readonly Finding[]) => findings.map((finding) => finding.code);

export const codesAndSeverities = (findings: readonly Finding[]) =>
  findings.map((finding) => `${finding.code}:${finding.severity}`);

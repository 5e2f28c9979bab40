/**
 * Does the token URL still offer TLS 1.2? Node negotiates TLS 1.3 when the server has it, so
 * the main exchange cannot tell a server that offers both from one that speaks only 1.3, and
 * the latter fails Alexa, whose Java client negotiates TLS 1.2. One extra handshake, capped at
 * TLS 1.2, tells them apart: no HTTP request, so nothing (no secret, no code) is sent.
 */
import { isIP } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { targetOf } from "../../functions/token-url/diagnosis/url-rules";

/** "offered": a TLS 1.2 handshake completed; "refused": the server would not complete one;
 * "unknown": the check could not reach the server (so it says nothing about TLS 1.2). */
export type Tls12Offer =
  | { readonly outcome: "offered" }
  | { readonly outcome: "refused" | "unknown"; readonly errorCode: string };

export interface Tls12CheckOptions {
  readonly connectTimeoutMs: number;
  /** As for captureExchange: replaces Node's default store (tests). */
  readonly trustedCa?: string[];
}

// Failures that say the server was not reached, not that it refused TLS 1.2.
const UNREACHED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "TIMEOUT",
]);

/** Worth checking only when the main handshake completed with TLS 1.3: a failed one has its
 * own finding, and one that settled on TLS 1.2 has answered the question. */
export function needsTls12Check(exchange: UpstreamExchange): boolean {
  return exchange.tls?.protocol === "TLSv1.3";
}

/** One handshake limited to TLS 1.2 with the token URL's host; never throws. The certificate
 * is not judged here (the main exchange did that), only whether the handshake completes. */
export function checkTls12(tokenUrl: string, options: Tls12CheckOptions): Promise<Tls12Offer> {
  const { hostname, port } = targetOf(tokenUrl);
  const host = hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolvePromise) => {
    const socket = tlsConnect({
      host,
      port,
      servername: isIP(host) ? undefined : host, // SNI carries names only
      minVersion: "TLSv1.2",
      maxVersion: "TLSv1.2",
      rejectUnauthorized: false,
      ca: options.trustedCa,
      ALPNProtocols: ["http/1.1"],
    });
    const settle = (offer: Tls12Offer) => {
      clearTimeout(timer);
      socket.destroy();
      resolvePromise(offer);
    };
    const timer = setTimeout(() => settle({ outcome: "unknown", errorCode: "TIMEOUT" }), options.connectTimeoutMs);
    socket.once("secureConnect", () => settle({ outcome: "offered" }));
    // `on`, not `once`: a second error after destroy() must not go unhandled.
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const errorCode = error.code ?? error.message;
      settle({ outcome: UNREACHED.has(errorCode) ? "unknown" : "refused", errorCode });
    });
  });
}

/** TLS12_NOT_OFFERED when the server completed TLS 1.3 but refused a TLS 1.2 handshake. */
export function tls12Findings(offer: Tls12Offer | null): Finding[] {
  if (offer === null || offer.outcome !== "refused") return [];
  return [
    {
      code: "TLS12_NOT_OFFERED",
      severity: "error",
      message:
        "The token URL speaks only TLS 1.3: it completed a TLS 1.3 handshake but refused one limited to " +
        `TLS 1.2 (${offer.errorCode}). Alexa's client negotiates TLS 1.2, so it cannot connect, though ` +
        "browsers and curl can.",
      fix:
        "Enable TLS 1.2 alongside TLS 1.3 on the server or load balancer, with modern ECDHE and AES-GCM " +
        "cipher suites (e.g. ECDHE-RSA-AES128-GCM-SHA256); on an AWS load balancer, pick a security policy " +
        "that includes TLS 1.2, such as ELBSecurityPolicy-TLS13-1-2-2021-06.",
    },
  ];
}

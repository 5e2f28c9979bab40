import { lookup } from "node:dns/promises";
import { IncomingMessage, request as httpRequest } from "node:http";
import { connect as netConnect, isIP, Socket } from "node:net";
import { connect as tlsConnect, TLSSocket } from "node:tls";
import { TlsFacts, UpstreamError, UpstreamExchange, UpstreamTimings } from "../diagnosis/exchange";
import { peerChainOf } from "./certificate-summary";
import { CappedBodyDecoder } from "./decode-body";
import { markTrustStoreCertificates, trustStoreFingerprints } from "./trust-store";

export interface OutgoingTokenRequest {
  /** GET for the authorization URI (a browser's visit, with an empty body). @default "POST" */
  readonly method?: "POST" | "GET";
  /** Alexa's body, byte for byte. */
  readonly body: Buffer;
  /** Lower-case names; only these are sent (plus Host, and Content-Length on a POST). */
  readonly headers: Record<string, string>;
}

export interface CaptureOptions {
  readonly tokenUrl: string;
  /** For each of TCP connect and TLS handshake. */
  readonly connectTimeoutMs: number;
  /** For the whole exchange, DNS to the last body byte. */
  readonly upstreamTimeoutMs: number;
  /** Send the request even when the certificate failed verification (flagged in the facts). */
  readonly tlsBypass: boolean;
  /** Trust anchors replacing Node's default store (which already includes
   * NODE_EXTRA_CA_CERTS); for tests and local servers with their own CA. */
  readonly trustedCa?: string[];
}

/** Enough to judge any token answer; a bigger body is cut here and flagged. Counted in decoded
 * bytes (and on the wire), so a compressed answer cannot inflate past it (decode-body.ts). */
export const MAX_BODY_BYTES = 1024 * 1024;

const HANDSHAKE_NOT_COMPLETED: TlsFacts = {
  protocol: null,
  cipher: null,
  authorized: false,
  verifyError: null,
  chain: [],
  bypassed: false,
};

/** What arrived of an answer: all of it, or as much as came before it broke off. */
interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Decoded as Alexa's client decodes it, up to the cap; as received when decoding failed. */
  readonly body: Buffer;
  readonly receivedBytes: number;
  readonly capped: boolean;
  readonly decodingError: Error | null;
  readonly encoding: string | null;
}

/** A failure with the capture's code; `partial` keeps an answer that broke off mid-body. */
class CaptureFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly partial?: RawResponse,
  ) {
    super(message);
  }
}

/**
 * POSTs the request to the token URL the way Alexa's client does (or GETs the authorization
 * URI as a browser would, following no redirect), over a fresh connection of
 * its own (DNS, TCP, TLS each timed), and records what happened. Never throws: a failure is
 * part of the facts. TLS is verified strictly: when the certificate fails, the request (with
 * its client secret and code) is not sent at all unless `tlsBypass` is on.
 */
export async function captureExchange(
  outgoing: OutgoingTokenRequest,
  options: CaptureOptions,
): Promise<UpstreamExchange> {
  const started = performance.now();
  const since = (mark: number) => Math.round(performance.now() - mark);
  const remaining = () => Math.max(0, options.upstreamTimeoutMs - (performance.now() - started));
  const timings: { -readonly [K in keyof UpstreamTimings]: UpstreamTimings[K] } = {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    ttfbMs: null,
    totalMs: 0,
  };
  const url = new URL(options.tokenUrl);
  const secure = url.protocol === "https:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (secure ? 443 : 80);

  let socket: Socket | undefined;
  let tls: TlsFacts | null = null;
  let response: RawResponse | undefined;
  let error: UpstreamError | null = null;
  try {
    let mark = performance.now();
    const address = isIP(host) ? host : await withTimeout(resolve(host), remaining(), "RESPONSE_TIMEOUT", "DNS lookup");
    if (!isIP(host)) timings.dnsMs = since(mark);

    mark = performance.now();
    socket = await connectTcp(address, port, Math.min(options.connectTimeoutMs, remaining()));
    timings.connectMs = since(mark);

    if (secure) {
      tls = HANDSHAKE_NOT_COMPLETED;
      mark = performance.now();
      const handshake = await handshakeTls(socket, host, options, Math.min(options.connectTimeoutMs, remaining()));
      timings.tlsMs = since(mark);
      socket = handshake.socket;
      tls = handshake.facts;
      if (!tls.authorized && !tls.bypassed) {
        throw new CaptureFailure("TLS_VERIFY_FAILED", `certificate rejected: ${tls.verifyError}; request not sent`);
      }
    }

    response = await exchangeHttp(socket, url, outgoing, remaining(), (ttfbMs) => (timings.ttfbMs = ttfbMs));
  } catch (caught) {
    error = toUpstreamError(caught);
    if (caught instanceof CaptureFailure) response = caught.partial;
  } finally {
    socket?.destroy(); // one connection per attempt: the next one must see the handshake again
  }

  if (response?.decodingError && !error && !response.capped) {
    error = { code: "CONTENT_DECODING_FAILED", message: response.decodingError.message };
  }
  timings.totalMs = since(started);
  const declared = Number(response?.headers["content-length"]);
  return {
    url: options.tokenUrl,
    status: response?.status ?? null,
    headers: response?.headers ?? {},
    body: response?.body ?? Buffer.alloc(0),
    receivedBytes: response?.receivedBytes ?? 0,
    declaredLength: response && Number.isInteger(declared) && declared >= 0 ? declared : null,
    bodyCapped: response?.capped ?? false,
    bodyEncoding: response?.encoding ?? null,
    timings,
    tls,
    error,
  };
}

/** IPv4 first, as Java (Alexa's client) prefers by default; Lambda has no IPv6 route out. */
async function resolve(host: string): Promise<string> {
  const addresses = await lookup(host, { all: true });
  return (addresses.find((address) => address.family === 4) ?? addresses[0]).address;
}

function connectTcp(address: string, port: number, timeoutMs: number): Promise<Socket> {
  const socket = netConnect({ host: address, port });
  return withTimeout(
    new Promise<Socket>((resolvePromise, reject) => {
      socket.once("connect", () => resolvePromise(socket));
      socket.once("error", reject);
    }),
    timeoutMs,
    "CONNECT_TIMEOUT",
    "TCP connect",
    () => socket.destroy(),
  );
}

/** Handshakes without letting Node reject the certificate, so the chain and the exact reason
 * can be recorded; the caller decides whether to go on. */
function handshakeTls(
  tcp: Socket,
  host: string,
  options: CaptureOptions,
  timeoutMs: number,
): Promise<{ socket: TLSSocket; facts: TlsFacts }> {
  const socket = tlsConnect({
    socket: tcp,
    host, // the name the certificate must cover
    servername: isIP(host) ? undefined : host, // SNI carries names only
    rejectUnauthorized: false,
    ca: options.trustedCa,
    ALPNProtocols: ["http/1.1"],
  });
  return withTimeout(
    new Promise((resolvePromise, reject) => {
      socket.once("secureConnect", () => {
        const authorized = socket.authorized;
        resolvePromise({
          socket,
          facts: {
            protocol: socket.getProtocol(),
            cipher: socket.getCipher()?.name ?? null,
            authorized,
            verifyError: authorized ? null : errorCode(socket.authorizationError),
            chain: markTrustStoreCertificates(peerChainOf(socket), trustStoreFingerprints(options.trustedCa)),
            bypassed: !authorized && options.tlsBypass,
          },
        });
      });
      socket.once("error", reject);
    }),
    timeoutMs,
    "TLS_HANDSHAKE_TIMEOUT",
    "TLS handshake",
    () => socket.destroy(),
  );
}

function exchangeHttp(
  socket: Socket,
  url: URL,
  outgoing: OutgoingTokenRequest,
  timeoutMs: number,
  onFirstByte: (ttfbMs: number) => void,
): Promise<RawResponse> {
  const method = outgoing.method ?? "POST";
  const length = method === "POST" ? { "content-length": String(outgoing.body.length) } : {};
  const headers = { ...outgoing.headers, host: url.host, ...length };
  // No agent: the request runs on this attempt's own socket and is never pooled.
  const request = httpRequest({
    createConnection: () => socket,
    method,
    path: `${url.pathname}${url.search}`,
    headers,
  });
  let incoming: IncomingMessage | undefined;
  let decoder: CappedBodyDecoder | undefined;
  const partial = (): RawResponse => ({
    status: incoming?.statusCode ?? 0,
    headers: flattenHeaders(incoming),
    body: decoder?.body() ?? Buffer.alloc(0),
    receivedBytes: decoder?.receivedBytes ?? 0,
    capped: decoder?.capped ?? false,
    decodingError: decoder?.decodingError ?? null,
    encoding: decoder?.encoding ?? null,
  });
  // A failure mid-body: decoding stops, what came so far is the body. (After the cap the
  // capture itself closed the socket; what that causes is no failure of the server's.)
  const broken = (caught: NodeJS.ErrnoException) => {
    decoder?.stop();
    return new CaptureFailure(caught.code ?? "ECONNRESET", caught.message, partial());
  };

  return withTimeout(
    new Promise((resolvePromise, reject) => {
      let written = performance.now();
      request.once("finish", () => (written = performance.now()));
      request.once("error", (caught: NodeJS.ErrnoException) => {
        if (!decoder?.capped) reject(incoming ? broken(caught) : caught);
      });
      request.once("response", (message: IncomingMessage) => {
        incoming = message;
        onFirstByte(Math.round(performance.now() - written));
        const complete = () => void decoder!.end().then(() => resolvePromise(partial()));
        decoder = new CappedBodyDecoder(message.headers["content-encoding"], MAX_BODY_BYTES, () => {
          message.destroy(); // the rest is not needed to judge the answer
          complete();
        });
        message.on("data", (chunk: Buffer) => decoder!.write(chunk));
        message.once("end", complete);
        message.once("error", (caught: NodeJS.ErrnoException) => {
          if (!decoder!.capped) reject(broken(caught));
        });
      });
      request.end(outgoing.body);
    }),
    timeoutMs,
    "RESPONSE_TIMEOUT",
    "the answer",
    () => (decoder?.stop(), request.destroy()),
    () => (incoming ? partial() : undefined),
  );
}

/** Rejects with a coded failure after `timeoutMs`, running `onTimeout` to free the socket;
 * `partial` supplies what arrived of an answer before the time ran out. */
function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  code: string,
  what: string,
  onTimeout: () => void = () => undefined,
  partial: () => RawResponse | undefined = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = `${what} did not complete within ${Math.round(timeoutMs)} ms`;
      const sofar = partial();
      onTimeout();
      reject(new CaptureFailure(code, message, sofar));
    }, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toUpstreamError(caught: unknown): UpstreamError {
  const error = caught as NodeJS.ErrnoException;
  return { code: error.code ?? "UPSTREAM_ERROR", message: error.message ?? String(caught) };
}

function errorCode(authorizationError: Error | string | null | undefined): string {
  if (!authorizationError) return "UNKNOWN";
  if (typeof authorizationError === "string") return authorizationError;
  return (authorizationError as NodeJS.ErrnoException).code ?? authorizationError.message;
}

function flattenHeaders(incoming: IncomingMessage | undefined): Record<string, string> {
  const flat: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(incoming?.headers ?? {})) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

import { request as httpRequest, IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { TokenRequest } from "./event";

/** What came back from the real token URL, or why nothing did. */
export interface UpstreamResult {
  readonly status: number | null;
  readonly headers: Record<string, string>;
  /** Decoded (decompressed) body, as Alexa's client would read it. */
  readonly body: Buffer;
  readonly totalMs: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface ForwardOptions {
  readonly tokenUrl: string;
  readonly connectTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

// Sent on exactly as Alexa sent them; everything else (Host, X-Forwarded-*, API Gateway's own
// headers) is not the client's and would not reach the server from Alexa either.
const FORWARDED_HEADERS = ["content-type", "accept", "authorization", "user-agent"];

/**
 * POSTs Alexa's exact body bytes to the token URL with strict TLS and a fresh connection
 * (agent: false), so the server sees the handshake and request Alexa's client would make.
 */
export function forwardToTokenUrl(request: TokenRequest, options: ForwardOptions): Promise<UpstreamResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(options.tokenUrl);
  const headers: Record<string, string> = { "content-length": String(request.body.length) };
  for (const name of FORWARDED_HEADERS) {
    if (request.headers[name] !== undefined) headers[name] = request.headers[name];
  }
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;

  return new Promise((resolve) => {
    const outgoing = send(url, { method: "POST", headers, agent: false, rejectUnauthorized: true });
    // Remembered because a body stream destroyed mid-read reports its own error, not ours.
    let abortedWith: NodeJS.ErrnoException | undefined;
    const abort = (code: string, message: string) => {
      abortedWith = Object.assign(new Error(message), { code });
      outgoing.destroy(abortedWith);
    };
    const connectTimer = setTimeout(
      () => abort("CONNECT_TIMEOUT", `no connection within ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    );
    // A deadline for the whole exchange, not an idle timeout: a server that trickles bytes
    // still fails Alexa.
    const deadline = setTimeout(
      () => abort("RESPONSE_TIMEOUT", `no complete answer within ${options.upstreamTimeoutMs} ms`),
      options.upstreamTimeoutMs,
    );
    const finish = (result: Omit<UpstreamResult, "totalMs">) => {
      clearTimeout(connectTimer);
      clearTimeout(deadline);
      resolve({ ...result, totalMs: elapsed() });
    };
    const fail = (raised: NodeJS.ErrnoException, fallbackCode: string) => {
      const error = abortedWith ?? raised;
      finish({ status: null, headers: {}, body: Buffer.alloc(0), error: { code: error.code ?? fallbackCode, message: error.message } });
    };

    outgoing.on("socket", (socket) => socket.once("connect", () => clearTimeout(connectTimer)));
    outgoing.on("error", (error) => fail(error, "UPSTREAM_ERROR"));
    outgoing.on("response", (incoming) => {
      readBody(incoming).then(
        (body) => finish({ status: incoming.statusCode ?? null, headers: flattenHeaders(incoming), body, error: null }),
        (error) => fail(error, "CONNECTION_RESET"),
      );
    });
    outgoing.end(request.body);
  });
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break; // the rest is not needed to judge the answer
    chunks.push(chunk);
  }
  return decompress(Buffer.concat(chunks), incoming.headers["content-encoding"]);
}

function decompress(raw: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
      return gunzipSync(raw);
    case "deflate":
      return inflateSync(raw);
    case "br":
      return brotliDecompressSync(raw);
    default:
      return raw;
  }
}

function flattenHeaders(incoming: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

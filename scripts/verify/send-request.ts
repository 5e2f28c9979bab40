import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { OutgoingTokenRequest } from "../../functions/token-url/upstream/capture-exchange";

/** An HTTP answer as it arrived: lower-case header names, the body's bytes untouched. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const TIMEOUT_MS = 15_000;

/** POSTs exactly these headers and bytes (plus Host and Content-Length), with strict TLS and
 * Node's trust store (NODE_EXTRA_CA_CERTS included); no decompression, no redirects. */
export function sendRequest(url: string, request: OutgoingTokenRequest): Promise<Answer> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      { method: "POST", headers: { ...request.headers, "content-length": String(request.body.length) }, timeout: TIMEOUT_MS },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => {
          const headers: Record<string, string> = Object.create(null);
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        incoming.on("error", reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer from ${target.origin} within ${TIMEOUT_MS / 1000} s`)));
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

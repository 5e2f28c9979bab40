/**
 * A pooled client, as Alexa's Apache HttpClient connects: a fixed number of kept-alive
 * connections, each reused for the next request as soon as its answer has arrived. A request
 * that fails (reset, hang-up, timeout) is reported as such, never thrown, so a run can count
 * them.
 */
import { Agent, request as httpRequest } from "node:http";
import { HostileRequest } from "./hostile-requests";

export interface Outcome {
  readonly id: number;
  /** Undefined when no answer arrived. */
  readonly status?: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The error code (ECONNRESET, EPIPE, ...) when the request failed. */
  readonly error?: string;
  readonly ms: number;
}

export interface PooledClient {
  send(request: HostileRequest): Promise<Outcome>;
  /** Sends every request, `concurrency` at a time, in order. */
  sendAll(requests: readonly HostileRequest[]): Promise<Outcome[]>;
  close(): void;
}

export function pooledClient(baseUrl: string, options: { concurrency: number; timeoutMs: number }): PooledClient {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const { hostname, port } = new URL(baseUrl);
  const send = (request: HostileRequest) =>
    new Promise<Outcome>((resolve) => {
      const started = performance.now();
      const headers: Record<string, string | number> = { ...request.headers, "X-Fuzz-Id": String(request.id) };
      if (request.framing === "content-length") headers["Content-Length"] = request.body.length;
      if (request.framing === "chunked") headers["Transfer-Encoding"] = "chunked";
      let settled = false;
      const settle = (outcome: Omit<Outcome, "id" | "ms">) => {
        if (settled) return;
        settled = true;
        resolve({ id: request.id, ms: performance.now() - started, ...outcome });
      };
      const outgoing = httpRequest({ hostname, port, path: request.path, method: request.method, headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () => settle({ status: incoming.statusCode, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") }));
        incoming.on("error", (error: NodeJS.ErrnoException) => settle({ headers: {}, body: "", error: error.code ?? error.message }));
      });
      outgoing.setTimeout(options.timeoutMs, () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
      outgoing.on("error", (error: NodeJS.ErrnoException) => settle({ headers: {}, body: "", error: error.code ?? error.message }));
      if (request.framing === "chunked" && request.body.length > 1) {
        // Two chunks, so a chunk boundary falls inside the body.
        const half = Math.floor(request.body.length / 2);
        outgoing.write(request.body.subarray(0, half));
        outgoing.end(request.body.subarray(half));
      } else {
        outgoing.end(request.body);
      }
    });
  return {
    send,
    sendAll: async (requests) => {
      const outcomes: Outcome[] = new Array(requests.length);
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const index = next++;
          outcomes[index] = await send(requests[index]);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      return outcomes;
    },
    close: () => agent.destroy(),
  };
}

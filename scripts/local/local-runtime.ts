/**
 * API Gateway → Lambda → API Gateway on 127.0.0.1, without AWS: the stack's own mapping
 * templates rendered by a real Velocity engine around the very handler the Lambda runs.
 */
import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { TokenEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { FunctionSettings } from "../../functions/token-url/settings";
import { REQUEST_CONTENT_TYPES, readTemplate } from "../../infra/templates";
import { STAGE_NAME, TOKEN_PATH } from "../../infra/api-routes";
import {
  GatewayError,
  gatewayErrorResponse,
  GatewayRequest,
  GatewayResponse,
  renderRequestTemplate,
  renderResponseTemplate,
  selectRequestTemplate,
} from "./api-gateway-templates";
import { RecordsFile } from "./records-file";

export interface LocalRuntimeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly settings: FunctionSettings;
  readonly recordsFile: string;
  /** Called once per recorded attempt (the CLI prints a summary line). */
  readonly onAttempt?: (record: AttemptRecord) => void;
  /** Called for requests API Gateway answers itself (403, 415, 413) without the Lambda. */
  readonly onRefused?: (status: number, reason: string) => void;
}

export interface LocalRuntime {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish and record, then flushes the file. */
  close(): Promise<void>;
}

// API Gateway's own limit on a request payload.
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const REQUEST_TEMPLATES = Object.fromEntries(REQUEST_CONTENT_TYPES.map((type) => [type, readTemplate("token-request")]));
const RESPONSE_TEMPLATE = readTemplate("token-response");
const ERROR_RESPONSE_TEMPLATE = readTemplate("token-error-response");

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const records = new RecordsFile(options.recordsFile);
  const inFlight = new Set<Promise<void>>();
  const server = createServer((incoming, outgoing) => {
    const handled = serve(incoming, outgoing, options, records).catch((error: Error) => {
      // A template that fails, or an event that is not JSON, is answered by API Gateway itself.
      const response = error instanceof GatewayError ? error.response : gatewayErrorResponse(500, "Internal server error");
      if (!outgoing.headersSent) send(outgoing, response);
      options.onRefused?.(response.status, error.message);
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${TOKEN_PATH}`,
    port,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      while (inFlight.size > 0) await Promise.all(inFlight);
      // Keep-alive connections of finished requests would otherwise hold close() open.
      server.closeIdleConnections();
      await closed;
      await records.close();
    },
  };
}

async function serve(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  options: LocalRuntimeOptions,
  records: RecordsFile,
): Promise<void> {
  const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
  // API Gateway answers an unknown route itself, with this (misleading) message.
  if (incoming.method !== "POST" || url.pathname !== `/${TOKEN_PATH}`) {
    options.onRefused?.(403, `${incoming.method} ${url.pathname} is not a route (only POST /${TOKEN_PATH})`);
    return send(outgoing, gatewayErrorResponse(403, "Missing Authentication Token"));
  }
  const body = await readBody(incoming);
  if (body === undefined) {
    options.onRefused?.(413, "request body over 10 MB");
    return send(outgoing, gatewayErrorResponse(413, "Request Too Long"));
  }
  const contentType = incoming.headers["content-type"];
  const selected = selectRequestTemplate(contentType, REQUEST_TEMPLATES, "WHEN_NO_TEMPLATES");
  if (selected.kind !== "template") {
    // API Gateway refuses it before the Lambda runs: in AWS, too, nothing is recorded.
    options.onRefused?.(415, `Content-Type ${contentType ?? "(none)"} has no mapping template`);
    return send(outgoing, gatewayErrorResponse(415, "Unsupported Media Type"));
  }

  const request: GatewayRequest = {
    method: "POST",
    resourcePath: `/${TOKEN_PATH}`,
    stage: STAGE_NAME,
    headers: headersAsSent(incoming.rawHeaders),
    query: Object.fromEntries(url.searchParams),
    body: body.toString("utf8"),
    sourceIp: incoming.socket.remoteAddress ?? "127.0.0.1",
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
  };
  const event = JSON.parse(renderRequestTemplate(selected.template, request)) as TokenEvent;
  let response: GatewayResponse;
  try {
    const result = await handleTokenRequest(event, options.settings, (record) => {
      records.append(record);
      options.onAttempt?.(record);
    });
    // The integration hands the response template the Lambda's result as JSON.
    response = renderResponseTemplate(RESPONSE_TEMPLATE, JSON.parse(JSON.stringify(result)), request, 200);
  } catch (error) {
    response = renderResponseTemplate(ERROR_RESPONSE_TEMPLATE, { errorMessage: (error as Error).message }, request, 502);
  }
  send(outgoing, response);
}

function readBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    incoming.on("end", () => resolve(size <= MAX_PAYLOAD_BYTES ? Buffer.concat(chunks) : undefined));
    incoming.on("error", reject);
  });
}

/** Header names in the case the client sent them, as API Gateway passes them to templates;
 * a repeated header keeps its last value, as $input.params().header does. */
function headersAsSent(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers[rawHeaders[i]] = rawHeaders[i + 1];
  return headers;
}

function send(outgoing: ServerResponse, response: GatewayResponse): void {
  outgoing.writeHead(response.status, response.headers);
  outgoing.end(response.body);
}

/**
 * API Gateway → Lambda → API Gateway on 127.0.0.1, without AWS: the stack's own mapping
 * templates rendered by a real Velocity engine around the very handler the Lambda runs.
 */
import { randomUUID } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo, Socket } from "node:net";
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
import { browserRefusal } from "./browser-guard";
import { closeConnectionsGently } from "./connection-close";
import { RecordsFile } from "./records-file";

export interface LocalRuntimeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly settings: FunctionSettings;
  readonly recordsFile: string;
  /** Host names besides 127.0.0.1 / localhost / [::1] that requests may name (a tunnel's);
   * "*" accepts any. @default [] */
  readonly allowedHosts?: readonly string[];
  /** Called once per recorded attempt (the CLI prints a summary line). */
  readonly onAttempt?: (record: AttemptRecord) => void;
  /** Called for requests API Gateway answers itself (403, 413, 415, or 400 for bytes that are
   * not HTTP) without the Lambda, and for requests a browser page sent (403, see
   * browser-guard.ts). `reason` may quote what the client sent: escape it before printing. */
  readonly onRefused?: (status: number, reason: string) => void;
  /** Replaces the stack's template text, or the handler: fault injection in tests of verify. */
  readonly faults?: {
    readonly templates?: Partial<Record<"token-request" | "token-response", string>>;
    readonly handler?: typeof handleTokenRequest;
  };
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
  const answering = new Map<Socket, number>();
  const closeAfterAnswer = new WeakSet<Socket>();
  let closing = false;
  let port = options.port;
  const server = createServer((incoming, outgoing) => {
    const socket = incoming.socket;
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    outgoing.once("close", () => {
      const left = (answering.get(socket) ?? 1) - 1;
      if (left > 0) answering.set(socket, left);
      else answering.delete(socket);
    });
    const handled = serve(incoming, options, records, port)
      .catch((error: Error): Answer | undefined => {
        if (!incoming.complete) return undefined; // the client went away mid-body: nobody to answer
        // A template that fails, or an event that is not JSON, is answered by API Gateway itself.
        const response = error instanceof GatewayError ? error.response : gatewayErrorResponse(500, "Internal server error");
        options.onRefused?.(response.status, error.message);
        return { response };
      })
      .then((answer) => {
        if (!answer || outgoing.headersSent || outgoing.destroyed) return;
        // Keep-alive is promised only where the next request is sure to start where this one ended.
        const close = answer.close || closing || closeAfterAnswer.has(socket) || !declaresLength(incoming);
        send(outgoing, answer.response, close);
      });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  closeConnectionsGently(
    server,
    (socket) => answering.has(socket),
    (socket) => closeAfterAnswer.add(socket),
    (status, reason) => options.onRefused?.(status, reason),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const shutDown = async () => {
    closing = true; // answers still to come tell their clients not to send another request
    const stopped = new Promise((resolve) => server.close(resolve));
    while (inFlight.size > 0) await Promise.all(inFlight);
    // Keep-alive connections of finished requests would otherwise hold close() open.
    server.closeIdleConnections();
    await stopped;
    await records.close();
  };
  return {
    url: `http://127.0.0.1:${port}/${TOKEN_PATH}`,
    port,
    close: () => (closed ??= shutDown()),
  };
}

/** What to answer; `close` when the connection cannot carry another request afterwards. */
interface Answer {
  readonly response: GatewayResponse;
  readonly close?: boolean;
}

async function serve(incoming: IncomingMessage, options: LocalRuntimeOptions, records: RecordsFile, port: number): Promise<Answer> {
  // As API Gateway's $context.requestTimeEpoch: when the request arrived, before its body was
  // read. Alexa's 4.5 s run from about here.
  const receivedAt = Date.now();
  const refuse = (status: number, message: string, reason: string, close = false): Answer => {
    options.onRefused?.(status, reason);
    return { response: gatewayErrorResponse(status, message), close };
  };
  // The whole body is read before any answer, refusals included: an answer sent while the
  // client is still writing, followed by a close, would reset it.
  const body = await readBody(incoming);
  if (body === undefined) {
    // The rest is not read: the connection cannot carry another request.
    return refuse(413, "Request Too Long", "request body over 10 MB", true);
  }
  // Before anything else looks at it: a page's request is neither forwarded nor recorded
  // (a record would be one more copy of whatever the page put in it).
  const fromBrowser = browserRefusal(incoming.headers, { port, allowedHosts: options.allowedHosts ?? [] });
  if (fromBrowser !== undefined) return refuse(403, "Forbidden", `refused, nothing forwarded: ${fromBrowser}`);
  const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
  // API Gateway answers an unknown route itself, with this (misleading) message.
  if (incoming.method !== "POST" || url.pathname !== `/${TOKEN_PATH}`) {
    return refuse(403, "Missing Authentication Token", `${incoming.method} ${url.pathname} is not a route (only POST /${TOKEN_PATH})`);
  }
  const contentType = incoming.headers["content-type"];
  const brokenTemplate = options.faults?.templates?.["token-request"];
  const requestTemplates = brokenTemplate ? Object.fromEntries(REQUEST_CONTENT_TYPES.map((type) => [type, brokenTemplate])) : REQUEST_TEMPLATES;
  const selected = selectRequestTemplate(contentType, requestTemplates, "WHEN_NO_TEMPLATES");
  if (selected.kind !== "template") {
    // API Gateway refuses it before the Lambda runs: in AWS, too, nothing is recorded.
    return refuse(415, "Unsupported Media Type", `Content-Type ${contentType ?? "(none)"} has no mapping template`);
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
    requestTimeEpoch: receivedAt,
  };
  const event = JSON.parse(renderRequestTemplate(selected.template, request)) as TokenEvent;
  try {
    const handler = options.faults?.handler ?? handleTokenRequest;
    const result = await handler(event, options.settings, (record) => {
      records.append(record);
      options.onAttempt?.(record);
    });
    // The template reads the result as JSON text, as the integration hands it over.
    const responseTemplate = options.faults?.templates?.["token-response"] ?? RESPONSE_TEMPLATE;
    return { response: renderResponseTemplate(responseTemplate, result, request, 200) };
  } catch (error) {
    return { response: renderResponseTemplate(ERROR_RESPONSE_TEMPLATE, { errorMessage: (error as Error).message }, request, 502) };
  }
}

/** The body, or undefined as soon as it is known to exceed API Gateway's limit. */
function readBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(incoming.headers["content-length"]) > MAX_PAYLOAD_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
      else resolve(undefined); // what follows is dropped as it arrives
    });
    incoming.on("end", () => resolve(size <= MAX_PAYLOAD_BYTES ? Buffer.concat(chunks) : undefined));
    incoming.on("error", reject);
  });
}

/** Whether the request said where its body ends. Without Content-Length or Transfer-Encoding
 * it has none (RFC 9112 §6.3), but some clients (Node's own, for DELETE, GET or OPTIONS) send
 * one anyway, whose bytes would be read as the next request: such a connection is closed. */
function declaresLength(incoming: IncomingMessage): boolean {
  return incoming.headers["content-length"] !== undefined || incoming.headers["transfer-encoding"] !== undefined;
}

/** Header names in the case the client sent them, as API Gateway passes them to templates;
 * a repeated header keeps its last value, as $input.params().header does. */
function headersAsSent(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers[rawHeaders[i]] = rawHeaders[i + 1];
  return headers;
}

function send(outgoing: ServerResponse, response: GatewayResponse, close: boolean): void {
  // A declared length, as API Gateway sends, rather than Node's chunked default after writeHead.
  const headers = { ...response.headers, "Content-Length": String(Buffer.byteLength(response.body)) };
  outgoing.writeHead(response.status, close ? { ...headers, Connection: "close" } : headers);
  outgoing.end(response.body);
}

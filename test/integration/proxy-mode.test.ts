/**
 * Proxy mode against real HTTP servers on 127.0.0.1. (Certificate faults need HTTPS servers
 * with generated certificates; they belong to the wrapper's own suite.)
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { FunctionSettings } from "../../functions/token-url/settings";
import { alexaEvent, basicAuth } from "../support/events";

const SECRET = "CANARY-secret-41f2";
const CODE = "CANARY-code-a9c0";
const ACCESS = "CANARY-access-token-03be";
const REFRESH = "CANARY-refresh-token-88d1";
const BODY = `grant_type=authorization_code&code=${CODE}&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2X`;

interface Upstream {
  url: string;
  received: { headers: IncomingMessage["headers"]; body: string }[];
  close(): Promise<void>;
}

async function startUpstream(answer: (response: ServerResponse) => void): Promise<Upstream> {
  const received: Upstream["received"] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      answer(response);
    });
  });
  server.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function callThrough(tokenUrl: string, overrides: Partial<FunctionSettings> = {}) {
  const records: AttemptRecord[] = [];
  const settings: FunctionSettings = {
    mode: "proxy",
    tokenUrl,
    upstreamTimeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    tlsBypass: false,
    ...overrides,
  };
  const event = alexaEvent({ body: BODY, headers: { Authorization: basicAuth("alexa-skill", SECRET), Accept: "application/json" } });
  const response = await handleTokenRequest(event, settings, (record) => records.push(record));
  expect(records).toHaveLength(1);
  const logged = JSON.stringify(records[0]);
  for (const canary of [SECRET, CODE, ACCESS, REFRESH]) expect(logged).not.toContain(canary);
  return { response, record: records[0] };
}

describe("proxy mode", () => {
  let upstream: Upstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  test("GIVEN a gzip token answer THEN Alexa gets it unchanged and decoded, the request arrives byte for byte", async () => {
    const tokenBody = JSON.stringify({ access_token: ACCESS, token_type: "bearer", expires_in: 3600, refresh_token: REFRESH });
    upstream = await startUpstream((response) => {
      response.writeHead(200, {
        "Content-Type": "application/json;charset=UTF-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "Content-Encoding": "gzip",
      });
      response.end(gzipSync(tokenBody));
    });
    const { response, record } = await callThrough(upstream.url);

    expect(response).toEqual({
      statusCode: 200,
      headers: {
        contentType: "application/json;charset=UTF-8",
        cacheControl: "no-store",
        pragma: "no-cache",
        wwwAuthenticate: undefined,
      },
      body: tokenBody,
    });
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0].body).toBe(BODY);
    expect(upstream.received[0].headers).toMatchObject({
      authorization: basicAuth("alexa-skill", SECRET),
      "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
      accept: "application/json",
    });
    expect(record.upstream).toMatchObject({ url: upstream.url, status: 200, error: null });
    expect(JSON.parse(record.upstream!.body)).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(record.findings).toEqual([]);
    expect(record.verdict).toBe("pass");
  });

  test("GIVEN a 401 invalid_client THEN Alexa gets the 401 with its WWW-Authenticate", async () => {
    const errorBody = JSON.stringify({ error: "invalid_client" });
    upstream = await startUpstream((response) => {
      response.writeHead(401, { "Content-Type": "application/json", "WWW-Authenticate": 'Basic realm="oauth"' });
      response.end(errorBody);
    });
    const { response, record } = await callThrough(upstream.url);
    expect(response).toMatchObject({
      statusCode: 401,
      headers: { contentType: "application/json", wwwAuthenticate: 'Basic realm="oauth"' },
      body: errorBody,
    });
    expect(record.upstream?.status).toBe(401);
  });

  test("GIVEN a closed port THEN a 502 OAuth error and CONNECTION_REFUSED", async () => {
    const closed = await startUpstream(() => undefined);
    await closed.close();
    const { response, record } = await callThrough(closed.url);
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(response.body)).toMatchObject({ error: "server_error" });
    expect(record.upstream?.error?.code).toBe("ECONNREFUSED");
    expect(record.findings.map((finding) => finding.code)).toEqual(["CONNECTION_REFUSED"]);
    expect(record.verdict).toBe("fail");
  });

  test("GIVEN a server that never answers THEN RESPONSE_TIMEOUT after the upstream timeout", async () => {
    upstream = await startUpstream(() => undefined);
    const started = Date.now();
    const { response, record } = await callThrough(upstream.url, { upstreamTimeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(response.statusCode).toBe(502);
    expect(record.findings.map((finding) => finding.code)).toEqual(["RESPONSE_TIMEOUT"]);
  });
});

describe("proxy mode, slow bodies", () => {
  test("GIVEN a server that sends headers then trickles the body past the deadline THEN RESPONSE_TIMEOUT", async () => {
    let timer: NodeJS.Timeout | undefined;
    const upstream = await startUpstream((response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.write("{");
      timer = setInterval(() => response.write(" "), 50);
    });
    try {
      const { response, record } = await callThrough(upstream.url, { upstreamTimeoutMs: 400 });
      expect(response.statusCode).toBe(502);
      expect(record.findings.map((finding) => finding.code)).toEqual(["RESPONSE_TIMEOUT"]);
    } finally {
      clearInterval(timer);
      await upstream.close();
    }
  });
});

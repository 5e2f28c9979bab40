/**
 * Real servers on 127.0.0.1 that reproduce what can go wrong at a token URL's transport layer:
 * certificate faults, an old protocol, a port that speaks plain HTTP, a silent peer, a refused
 * port and (best effort) a connect that never completes. Each binds port 0 on 127.0.0.1 only,
 * and close() tears down open connections too, so a test never waits on a lingering socket.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createServer as createHttpServer, IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { AddressInfo, createServer as createTcpServer, Server, Socket } from "node:net";
import { SecureVersion } from "node:tls";
import { testPki } from "./pki";

/** A running test server. */
export interface TestServer {
  /** https://127.0.0.1:PORT/oauth/token — always https: it is what a token URL would point at. */
  url: string;
  port: number;
  /** Destroys open connections, then stops listening (or kills the helper process). */
  close(): Promise<void>;
}

/** A request handler, as for node:http. */
export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** TLS settings for {@link startHttpsServer}. */
export interface HttpsServerOptions {
  /** The server's private key (PEM). */
  key: string;
  /** What the server sends: a leaf's `chain` when configured correctly, its `cert` alone to omit the intermediate. */
  cert: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
}

const HOST = "127.0.0.1";

const tokenUrl = (port: number) => `https://${HOST}:${port}/oauth/token`;

/** Listens on a free port on 127.0.0.1 and wraps the server as a {@link TestServer}. */
async function serve(server: Server): Promise<TestServer> {
  // Track raw TCP sockets: server.close() alone waits for keep-alive and stalled connections.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: tokenUrl(port),
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTPS server sending the given key and certificate(s). */
export function startHttpsServer(options: HttpsServerOptions, handler: Handler): Promise<TestServer> {
  return serve(createHttpsServer(options, handler));
}

/**
 * An HTTPS server (with the `valid` certificate) that speaks only TLS 1.0 and 1.1. Node 20's
 * OpenSSL 3 refuses those versions at the default security level (they need SHA-1 in the
 * handshake), hence SECLEVEL=0. A client with default settings (minVersion TLSv1.2) then fails
 * the handshake with ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: the server finds no common version
 * and sends a protocol_version alert.
 */
export function startTls11OnlyServer(handler: Handler): Promise<TestServer> {
  const { key, chain } = testPki().valid;
  return startHttpsServer({ key, cert: chain, minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" }, handler);
}

/** How {@link startBrokenAnswerServer} breaks off its answer. */
export type BrokenAnswer = "reset" | "stall";

/**
 * An HTTPS token URL (valid, fully chained certificate) that starts a correct answer, status,
 * headers with a Content-Length and half of the body, then breaks off: "reset" resets the TCP
 * connection (RST, not a clean close), "stall" sends nothing more and keeps it open.
 */
export async function startBrokenAnswerServer(fault: BrokenAnswer): Promise<TestServer> {
  const { key, chain } = testPki().valid;
  const body = JSON.stringify({ access_token: "half-an-answer", token_type: "Bearer", expires_in: 3600 });
  // The TCP sockets under the TLS ones, by client port: only the TCP socket can be reset.
  const tcpSockets = new Map<number, Socket>();
  const server = createHttpsServer({ key, cert: chain }, (request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Content-Length": String(body.length) });
      response.write(body.slice(0, body.length / 2));
      if (fault === "reset") setTimeout(() => tcpSockets.get(request.socket.remotePort ?? 0)?.resetAndDestroy(), 20);
    });
  });
  server.on("connection", (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    tcpSockets.set(port, socket);
    socket.on("close", () => tcpSockets.delete(port));
  });
  return serve(server);
}

/** Accepts TCP connections and never sends a byte: a TLS client waits forever for the ServerHello. */
export function startSilentTcpServer(): Promise<TestServer> {
  return serve(createTcpServer(() => undefined));
}

/**
 * A plain HTTP server. A TLS client reads its "HTTP/1.1 400" answer to the ClientHello as a TLS
 * record and fails with ERR_SSL_WRONG_VERSION_NUMBER.
 */
export function startPlainHttpServer(handler: Handler): Promise<TestServer> {
  return serve(createHttpServer(handler));
}

/**
 * A port on 127.0.0.1 with nothing listening (bound, then released), so connecting gets
 * ECONNREFUSED. Another process could take the port in between; on a test machine it is
 * unlikely enough.
 */
export async function refusedPort(): Promise<{ url: string; port: number }> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: tokenUrl(port), port };
}

/**
 * Python, because a Node server always accepts. listen(0) leaves room for one queued connection
 * on Linux; the script fills it with its own connections (until one no longer completes), so the
 * kernel drops every further SYN and a client's connect hangs in SYN retransmits. It prints
 * "PORT" and exits when its stdin closes, so it dies with the test process even on a crash.
 */
const UNACCEPTING_SERVER_PY = `
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
port = server.getsockname()[1]
fillers = []
while True:
    filler = socket.socket()
    filler.settimeout(0.2)
    fillers.append(filler)
    try:
        filler.connect(("127.0.0.1", port))
    except OSError:
        break
print(port, flush=True)
sys.stdin.read()
`;

function portFromChild(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`python3 exited early (${code}): ${output}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.match(/^(\d+)\n/);
      if (line) resolve(Number(line[1]));
    });
  });
}

/**
 * A port on 127.0.0.1 whose accept queue is full, so a client's TCP connect never completes:
 * the CONNECT_TIMEOUT case (a firewall dropping packets looks the same to the client). Needs
 * python3 and Linux's listen-backlog behaviour; verified to hang a Node net.connect for > 3 s.
 */
export async function startUnacceptingServer(): Promise<TestServer> {
  const child = spawn("python3", ["-c", UNACCEPTING_SERVER_PY], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let port: number;
  try {
    port = await portFromChild(child);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    url: tokenUrl(port),
    port,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill();
      }
      await exited;
    },
  };
}

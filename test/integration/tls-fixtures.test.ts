/**
 * Proves the TLS fixtures fault the way they claim, with a plain Node client: the exact error
 * code each fault produces is what the diagnosis classifies on, so it is pinned here.
 */
import { X509Certificate } from "node:crypto";
import { request } from "node:https";
import { connect as tcpConnect } from "node:net";
import { connect, ConnectionOptions, DetailedPeerCertificate } from "node:tls";
import { LeafCertificate, testPki, trustStore } from "../support/pki";
import {
  Handler,
  refusedPort,
  startHttpsServer,
  startPlainHttpServer,
  startSilentTcpServer,
  startTls11OnlyServer,
  startUnacceptingServer,
  TestServer,
} from "../support/tls-servers";

const HOST = "127.0.0.1";
const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_ANSWER = JSON.stringify({ access_token: "fixture-access-token", token_type: "bearer", expires_in: 3600 });

const answerToken: Handler = (_request, response) => {
  response.writeHead(200, { "Content-Type": "application/json" });
  response.end(TOKEN_ANSWER);
};

let running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((server) => server.close()));
  running = [];
});

async function track(started: Promise<TestServer>): Promise<TestServer> {
  const server = await started;
  running.push(server);
  return server;
}

/** Serves a leaf the right way (leaf + intermediate) or, with leafOnly, without the intermediate. */
const serving = (leaf: LeafCertificate, leafOnly = false) =>
  track(startHttpsServer({ key: leaf.key, cert: leafOnly ? leaf.cert : leaf.chain }, answerToken));

/** A client that verifies: resolves to the error code it fails with, or "OK" after a full handshake. */
function verdict(port: number, options: ConnectionOptions = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, ca: trustStore(), rejectUnauthorized: true, ...options });
    socket.once("secureConnect", () => {
      socket.destroy();
      resolve("OK");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? error.message);
    });
  });
}

interface Handshake {
  authorized: boolean;
  authorizationError: string | undefined;
  protocol: string | null;
  /** SHA-256 fingerprints from the leaf upwards, as Node reconstructs the chain. */
  chain: string[];
  validTo: Date;
}

/** Follows issuerCertificate links; Node makes a root its own issuer, which ends the walk. */
function chainOf(leaf: DetailedPeerCertificate): string[] {
  const chain = [leaf.fingerprint256];
  let current = leaf;
  while (current.issuerCertificate && current.issuerCertificate.fingerprint256 !== current.fingerprint256) {
    current = current.issuerCertificate;
    chain.push(current.fingerprint256);
  }
  return chain;
}

/** A client that does not verify, so the handshake completes and the verdict can be read off the socket. */
function inspect(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, ca: trustStore(), rejectUnauthorized: false, ...options });
    socket.once("secureConnect", () => {
      const peer = socket.getPeerCertificate(true);
      resolve({
        authorized: socket.authorized,
        // Typed as Error, but Node sets the OpenSSL / checkServerIdentity code string (null when authorized).
        authorizationError: socket.authorizationError == null ? undefined : String(socket.authorizationError),
        protocol: socket.getProtocol(),
        chain: chainOf(peer),
        validTo: new Date(peer.valid_to),
      });
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

/** A POST the way a token client makes it, with the test trust store. */
function postToken(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", ca: trustStore(), agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.once("error", reject);
    outgoing.end("grant_type=authorization_code&code=fixture");
  });
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/** The PEM blocks of a bundle, in order. */
const pemBlocks = (bundle: string): string[] => bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\r?\n?/g) ?? [];

describe("test PKI", () => {
  test("GIVEN the test PKI THEN every certificate has a distinct positive serial and leaves are for serverAuth", () => {
    const pki = testPki();
    const leaves = [pki.valid, pki.expired, pki.notYetValid, pki.expiringSoon, pki.wrongHost, pki.selfSigned, pki.untrustedRoot];
    const certificates = [pki.rootCaPem, pki.intermediateCaPem, ...leaves.map((leaf) => leaf.cert)].map((pem) => new X509Certificate(pem));
    const serials = certificates.map((certificate) => certificate.serialNumber);
    expect(new Set(serials).size).toBe(serials.length);
    for (const serial of serials) expect(serial).toMatch(/^0?1[0-9A-F]+$/);
    for (const leaf of leaves) expect(new X509Certificate(leaf.cert).keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(new X509Certificate(pki.intermediateCaPem).checkIssued(new X509Certificate(pki.rootCaPem))).toBe(true);
    expect(trustStore()).toContain(pki.rootCaPem);
  });
});

describe("certificate fixtures", () => {
  test("GIVEN the valid leaf with its intermediate THEN the client is authorized over TLSv1.3 with chain leaf → intermediate → root", async () => {
    const pki = testPki();
    const server = await serving(pki.valid);
    expect(await verdict(server.port)).toBe("OK");
    expect(await verdict(server.port, { servername: "localhost" })).toBe("OK");
    const handshake = await inspect(server.port);
    expect(handshake).toMatchObject({ authorized: true, authorizationError: undefined, protocol: "TLSv1.3" });
    expect(handshake.chain).toEqual([fingerprint(pki.valid.cert), fingerprint(pki.intermediateCaPem), fingerprint(pki.rootCaPem)]);
  });

  test("GIVEN the valid leaf WHEN a token client POSTs over https THEN the handler's answer arrives", async () => {
    const server = await serving(testPki().valid);
    expect(await postToken(server.url)).toEqual({ status: 200, body: TOKEN_ANSWER });
  });

  test("GIVEN the valid leaf sent WITHOUT its intermediate THEN UNABLE_TO_VERIFY_LEAF_SIGNATURE", async () => {
    const pki = testPki();
    const server = await serving(pki.valid, true);
    expect(await verdict(server.port)).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    const handshake = await inspect(server.port);
    expect(handshake).toMatchObject({ authorized: false, authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    expect(handshake.chain).toEqual([fingerprint(pki.valid.cert)]);
  });

  test.each([
    ["expired", "CERT_HAS_EXPIRED"],
    ["notYetValid", "CERT_NOT_YET_VALID"],
    ["selfSigned", "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ["untrustedRoot", "SELF_SIGNED_CERT_IN_CHAIN"],
    ["wrongHost", "ERR_TLS_CERT_ALTNAME_INVALID"],
  ] as const)("GIVEN the %s certificate THEN the client fails with %s", async (name, code) => {
    const server = await serving(testPki()[name]);
    expect(await verdict(server.port)).toBe(code);
    expect(await inspect(server.port)).toMatchObject({ authorized: false, authorizationError: code });
  });

  test("GIVEN the expired certificate WHEN a token client POSTs over https THEN the request fails with CERT_HAS_EXPIRED", async () => {
    const server = await serving(testPki().expired);
    await expect(postToken(server.url)).rejects.toMatchObject({ code: "CERT_HAS_EXPIRED" });
  });

  test("GIVEN the untrusted chain without its root THEN UNABLE_TO_GET_ISSUER_CERT_LOCALLY, and with it the whole chain is sent", async () => {
    const { untrustedRoot } = testPki();
    const blocks = pemBlocks(untrustedRoot.chain);
    expect(blocks).toHaveLength(3);
    const [leaf, intermediate, root] = blocks;
    const withRoot = await serving(untrustedRoot);
    expect((await inspect(withRoot.port)).chain).toEqual([leaf, intermediate, root].map(fingerprint));
    const withoutRoot = await track(startHttpsServer({ key: untrustedRoot.key, cert: leaf + intermediate }, answerToken));
    expect(await verdict(withoutRoot.port)).toBe("UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  });

  test("GIVEN the wrongHost certificate WHEN the client asks for auth.example.com THEN it is authorized (only the name is wrong)", async () => {
    const server = await serving(testPki().wrongHost);
    expect(await verdict(server.port, { servername: "auth.example.com" })).toBe("OK");
    expect(await verdict(server.port, { servername: "localhost" })).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  test("GIVEN the expiringSoon certificate THEN the client is authorized and the certificate ends in 5 days", async () => {
    const server = await serving(testPki().expiringSoon);
    expect(await verdict(server.port)).toBe("OK");
    const handshake = await inspect(server.port);
    expect(handshake.authorized).toBe(true);
    const daysLeft = (handshake.validTo.getTime() - Date.now()) / DAY_MS;
    expect(daysLeft).toBeGreaterThan(4.9);
    expect(daysLeft).toBeLessThanOrEqual(5);
  });
});

describe("transport fixtures", () => {
  test("GIVEN a TLS 1.1-only server THEN a default client fails with ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", async () => {
    const server = await track(startTls11OnlyServer(answerToken));
    expect(await verdict(server.port)).toBe("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
  });

  test("GIVEN a TLS 1.1-only server WHEN the client allows TLS 1.0+ at SECLEVEL=0 THEN it negotiates TLSv1.1", async () => {
    const server = await track(startTls11OnlyServer(answerToken));
    const handshake = await inspect(server.port, { minVersion: "TLSv1", ciphers: "DEFAULT@SECLEVEL=0" });
    expect(handshake).toMatchObject({ authorized: true, protocol: "TLSv1.1" });
  });

  test("GIVEN a plain HTTP server THEN a TLS client fails with ERR_SSL_WRONG_VERSION_NUMBER", async () => {
    const server = await track(startPlainHttpServer(answerToken));
    expect(await verdict(server.port)).toBe("ERR_SSL_WRONG_VERSION_NUMBER");
  });

  test("GIVEN nothing listens on the port THEN ECONNREFUSED", async () => {
    const { port, url } = await refusedPort();
    expect(url).toBe(`https://127.0.0.1:${port}/oauth/token`);
    expect(await verdict(port)).toBe("ECONNREFUSED");
  });

  test("GIVEN a silent TCP server THEN TCP connects but no handshake completes, AND close() still returns with the client attached", async () => {
    const server = await startSilentTcpServer();
    const socket = connect({ host: HOST, port: server.port, ca: trustStore() });
    const events: string[] = [];
    socket.once("connect", () => events.push("tcp"));
    socket.once("secureConnect", () => events.push("tls"));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", (error: NodeJS.ErrnoException) => events.push(error.code ?? "error"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events).toEqual(["tcp"]);
    // The client is still waiting for the ServerHello; close() must not wait for it.
    await server.close();
    await closed;
    expect(events).toEqual(["tcp", "ECONNRESET"]);
  });

  test("GIVEN an unaccepting server THEN a TCP connect is still pending after 2 s, AND close() kills the helper", async () => {
    const server = await startUnacceptingServer();
    const socket = tcpConnect({ host: HOST, port: server.port });
    const events: string[] = [];
    socket.once("connect", () => events.push("connect"));
    socket.on("error", (error: NodeJS.ErrnoException) => events.push(error.code ?? "error"));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(events).toEqual([]);
    expect(socket.pending).toBe(true);
    socket.destroy();
    await server.close();
    expect(await verdict(server.port)).toBe("ECONNREFUSED");
  });
});

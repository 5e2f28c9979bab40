/**
 * The wrapper remembers a peer's summarized chain for a few minutes (certificate-summary.ts:
 * Node's detailed chain costs more than the rest of its own work), keyed by the leaf and the
 * verification's outcome. Real TLS servers with one leaf: the chain read once per outcome, and
 * a fix that adds the missing intermediate seen at once.
 */
import { connect, TLSSocket } from "node:tls";
import { peerChainOf } from "../../functions/token-url/upstream/certificate-summary";
import { testPki, trustStore } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";

/** The chain as peerChainOf gives it on a handshake (read in secureConnect, as the capture does),
 * and how often it asked Node for the detailed chain. */
function chainThrough(server: TestServer, now: number): Promise<{ subjects: string[]; detailedReads: number; authorized: boolean }> {
  const url = new URL(server.url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: trustStore(), rejectUnauthorized: false });
    let detailedReads = 0;
    const detailed = socket.getPeerCertificate.bind(socket);
    socket.getPeerCertificate = ((full?: boolean) => ((detailedReads += full ? 1 : 0), detailed(full as true))) as TLSSocket["getPeerCertificate"];
    socket.once("secureConnect", () => {
      detailedReads = 0; // Node's own host name check reads it once during the handshake
      const subjects = peerChainOf(socket, now).map((certificate) => certificate.subject);
      resolvePromise({ subjects, detailedReads, authorized: socket.authorized });
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

test("GIVEN one leaf served without, then with, its intermediate THEN each chain is read once, the fix is seen at once, and a remembered chain is read again after its time", async () => {
  const { key, cert, chain } = testPki().valid;
  const answer = (_request: unknown, response: import("node:http").ServerResponse) => response.end("{}");
  const leafOnly = await startHttpsServer({ key, cert }, answer);
  const complete = await startHttpsServer({ key, cert: chain }, answer);
  try {
    const now = Date.now();
    const first = await chainThrough(leafOnly, now);
    expect(first).toMatchObject({ authorized: false, detailedReads: 1 });
    expect(first.subjects).toHaveLength(1);
    expect(await chainThrough(leafOnly, now + 1_000)).toMatchObject({ subjects: first.subjects, detailedReads: 0 });

    // Same leaf, intermediate added: the verification's outcome changes, so the chain is read anew.
    const fixed = await chainThrough(complete, now + 2_000);
    expect(fixed).toMatchObject({ authorized: true, detailedReads: 1 });
    expect(fixed.subjects).toHaveLength(3);
    expect(fixed.subjects[1]).toContain("Intermediate CA");

    // Past the memory's five minutes, read again.
    expect((await chainThrough(complete, now + 2_000 + 5 * 60_000 + 1)).detailedReads).toBe(1);
  } finally {
    await leafOnly.close();
    await complete.close();
  }
});

/**
 * The TLS section tells what the server sent from what the client completed from its trust
 * store: real HTTPS servers on 127.0.0.1 sending leaf + intermediate, leaf + intermediate +
 * root, and the leaf alone, against a trust store holding the test root.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { parseProbeOptions, ProbeOptions } from "../../scripts/probe/probe-options";
import { runProbe } from "../../scripts/probe/run-probe";
import { buildAttemptReport } from "../../scripts/report/report-model";
import { testPki, trustStore } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";

function options(url: string): ProbeOptions {
  const parsed = parseProbeOptions([url, "--client-id", "alexa-skill"], {});
  if (parsed === "help") throw new Error("unexpected --help");
  return parsed;
}

const chainRow = (record: AttemptRecord) =>
  buildAttemptReport(record).sections.find((section) => section.title === "TLS")!.rows.find((row) => row.label === "chain")!.values.map((value) => value.text);

describe("TLS chain provenance", () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));
  const probeServing = async (cert: string) => {
    const server = await startHttpsServer({ key: testPki().valid.key, cert }, (request, response) => {
      request.resume();
      request.on("end", () => {
        response.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
        response.end('{"error":"invalid_grant"}');
      });
    });
    servers.push(server);
    return runProbe(options(server.url), { trustedCa: trustStore() });
  };
  const leaf = () => testPki().valid.chain.split(/(?<=-----END CERTIFICATE-----\n?)/)[0];

  test("GIVEN a server that sends leaf and intermediate THEN 3 certificates: 2 sent, the root completed from the trust store", async () => {
    const record = await probeServing(testPki().valid.chain);
    expect(record.upstream?.tls?.chain.map((certificate) => certificate.fromTrustStore)).toEqual([false, false, true]);
    expect(chainRow(record)).toEqual([
      "3 certificates, leaf first",
      "sent by the server: 2 (#1, #2)",
      "completed from this machine's trust store: #3 (not sent by the server)",
    ]);
  });

  test("GIVEN a server that sends only its leaf THEN 1 certificate, sent; nothing completed (Alexa's client fails here too)", async () => {
    const record = await probeServing(leaf());
    expect(record.findings.map((finding) => finding.code)).toContain("TLS_INCOMPLETE_CHAIN");
    expect(chainRow(record)).toEqual(["1 certificate, leaf first", "sent by the server: 1 (#1)"]);
  });
});

/**
 * Faults mid-flight behind the local runtime in proxy mode, 16 Alexa requests at a time over
 * keep-alive: a real HTTPS token URL that resets half-way through its body, one that answers
 * and then stalls, and a port that accepts TCP and never speaks TLS. Every Alexa request still
 * gets an RFC 6749-shaped error within Alexa's 4.5 s, and every one is recorded once, naming
 * the fault.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRuntime } from "../../scripts/local/local-runtime";
import { readRecords, recordCountsById } from "../support/attempt-records";
import { alexaRequest } from "../support/hostile-requests";
import { pooledClient } from "../support/keep-alive-client";
import { testPki } from "../support/pki";
import { testSettings } from "../support/settings";
import { startBrokenAnswerServer, startSilentTcpServer, TestServer } from "../support/tls-servers";

const REQUESTS = 48;
const CONCURRENCY = 16;
const ALEXA_DEADLINE_MS = 4_500;
const RFC6749_ERRORS = ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "server_error", "temporarily_unavailable"];

// The fault, its upstream, Alexa's status, the record's upstream error and its finding (a reset
// after half the declared body is diagnosed as the truncation it causes).
const FAULTS: [string, () => Promise<TestServer>, number, string, string][] = [
  ["resets the connection half-way through its body", () => startBrokenAnswerServer("reset"), 502, "ECONNRESET", "BODY_TRUNCATED"],
  ["answers, then stalls half-way through its body", () => startBrokenAnswerServer("stall"), 504, "RESPONSE_TIMEOUT", "RESPONSE_TIMEOUT"],
  ["accepts TCP and never speaks TLS", startSilentTcpServer, 504, "TLS_HANDSHAKE_TIMEOUT", "TLS_HANDSHAKE_TIMEOUT"],
];

describe(`local runtime in proxy mode, ${CONCURRENCY} Alexa requests at a time, when the token URL fails mid-flight`, () => {
  test.each(FAULTS)("GIVEN a token URL that %s THEN every request gets an RFC 6749 error in time, and a record", async (_fault, startUpstream, status, upstreamError, finding) => {
    const upstream = await startUpstream();
    const dir = mkdtempSync(join(tmpdir(), "faults-"));
    const file = join(dir, "attempts.jsonl");
    const settings = testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: [testPki().rootCaPem], upstreamTimeoutMs: 1_500, connectTimeoutMs: 1_000 });
    const runtime = await startLocalRuntime({ port: 0, settings, recordsFile: file });
    const client = pooledClient(runtime.url, { concurrency: CONCURRENCY, timeoutMs: 10_000 });
    try {
      const requests = Array.from({ length: REQUESTS }, (_, index) => alexaRequest(index + 1));
      const outcomes = await client.sendAll(requests);
      client.close();
      await runtime.close();

      expect(outcomes.filter((outcome) => outcome.error).map((outcome) => `#${outcome.id} ${outcome.error}`)).toEqual([]);
      for (const outcome of outcomes) {
        expect({ status: outcome.status, contentType: outcome.headers["content-type"] }).toEqual({ status, contentType: expect.stringMatching(/^application\/json/) });
        const answer = JSON.parse(outcome.body);
        expect(RFC6749_ERRORS).toContain(answer.error);
        expect(typeof answer.error_description).toBe("string");
      }
      expect(Math.max(...outcomes.map((outcome) => outcome.ms))).toBeLessThan(ALEXA_DEADLINE_MS);

      const records = readRecords(file);
      expect([...recordCountsById(records).entries()].sort(([a], [b]) => a - b)).toEqual(requests.map((request) => [request.id, 1]));
      for (const record of records) {
        expect(record.upstream?.error?.code).toBe(upstreamError);
        expect(record.findings.map(({ code }) => code)).toContain(finding);
      }
    } finally {
      client.close();
      await runtime.close();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Shutdown under load, as a user stops `npm start`: the runtime runs as a real child process
 * (scripts/start.ts) in proxy mode in front of a real HTTPS token URL that holds its answers;
 * SIGTERM arrives while 16 Alexa requests are in flight. Each is still answered and recorded,
 * then the process exits 0.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readRecords, recordCountsById } from "../support/attempt-records";
import { alexaRequest, CANARIES } from "../support/hostile-requests";
import { PooledClient, pooledClient } from "../support/keep-alive-client";
import { testPki } from "../support/pki";
import { answerWith } from "../support/token-answers";
import { startHttpsServer } from "../support/tls-servers";
import { commandLine } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");
const IN_FLIGHT = 16;

/** Resolves once nothing listens on the port any more: the runtime has begun to shut down. */
async function stopsListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolvePromise) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolvePromise(false);
      });
      socket.once("error", () => resolvePromise(true));
    });
    if (refused) return;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
  }
  throw new Error(`port ${port} still listens ${timeoutMs} ms after SIGTERM`);
}

test(`GIVEN ${IN_FLIGHT} requests in flight in npm start WHEN SIGTERM arrives THEN each is answered and recorded, then it exits 0`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "shutdown-"));
  const caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);
  const recordsFile = join(dir, "attempts.jsonl");

  // The token URL holds every answer until the test lets go, so all 16 are surely in flight.
  const held: (() => void)[] = [];
  let allArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolvePromise) => (allArrived = resolvePromise));
  const answer = answerWith({ access_token: "held-token", token_type: "Bearer", expires_in: 3600, refresh_token: "held-refresh" });
  const { key, chain } = testPki().valid;
  const upstream = await startHttpsServer({ key, cert: chain }, (request, response) => {
    // Only token requests are held and counted: npm start also looks up the server's metadata
    // (GETs), which, held and counted, let SIGTERM go out before all 16 POSTs had arrived.
    if (request.method !== "POST") {
      response.writeHead(404).end();
      return;
    }
    held.push(() => answer(request, response));
    if (held.length === IN_FLIGHT) allArrived();
  });

  const child = spawn(process.execPath, [...commandLine("start")], {
    cwd: PROJECT_DIR,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PORT: "0", TOKEN_URL: upstream.url, NODE_EXTRA_CA_CERTS: caFile, LOCAL_RECORDS_FILE: recordsFile,
      // The answers are held until the port is seen closed, which a busy machine (other test
      // files beside this one) can stretch past the default upstream timeout: this test is
      // about shutdown, not about that timeout.
      UPSTREAM_TIMEOUT_MS: "20000",
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolvePromise) => child.on("close", resolvePromise));
  let pool: PooledClient | undefined;
  try {
    const url = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not come up: ${output}`)), 20_000);
      child.stdout.on("data", () => {
        const found = /on (http:\/\/127\.0\.0\.1:\d+\/token)/.exec(output)?.[1];
        if (found) {
          clearTimeout(timer);
          resolvePromise(found);
        }
      });
    });
    pool = pooledClient(url, { concurrency: IN_FLIGHT, timeoutMs: 20_000 });
    const requests = Array.from({ length: IN_FLIGHT }, (_, index) => alexaRequest(index + 1));
    const outcomes = pool.sendAll(requests);
    await arrived;

    child.kill("SIGTERM");
    await stopsListening(Number(new URL(url).port), 10_000);
    for (const release of held) release();

    const answered = await outcomes;
    expect(answered.map((outcome) => outcome.error ?? outcome.status)).toEqual(Array(IN_FLIGHT).fill(200));
    for (const outcome of answered) expect(JSON.parse(outcome.body)).toMatchObject({ access_token: "held-token" });
    expect(await exited).toBe(0);
    expect([...recordCountsById(readRecords(recordsFile)).entries()].sort(([a], [b]) => a - b)).toEqual(requests.map((request) => [request.id, 1]));
    for (const canary of Object.values(CANARIES)) expect(output).not.toContain(canary);
  } finally {
    pool?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

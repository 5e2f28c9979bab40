/**
 * Soak: 20,000 Alexa requests through `npm start` (a child process, as a user runs it) in proxy
 * mode, each paired with the same request made directly to the same token URL, interleaved in
 * this run. Prints the runtime's resident memory before and after, and the p50/p99 latency it
 * adds over the direct path. Plain HTTP upstream, a fresh connection per request both ways (as the wrapper makes
 * one per attempt): the question is the runtime's own cost, not 40,000 handshakes (the wrapper
 * benchmark times those).
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request as httpRequest, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { alexaRequest } from "../../test/support/hostile-requests";
import { median, percentile, verdict } from "./stats";

const PROJECT_DIR = resolve(__dirname, "../..");
const REQUESTS = 20_000;
const WARM_UP = 2_000; // until the heap has grown to its working size: growth after that is what a leak would show
const ROUNDS = 4;
const TOKEN = JSON.stringify({ access_token: "2YotnFZFEjr1zCsicMWpAA", token_type: "Bearer", expires_in: 3600, refresh_token: "tGzv3JOkF0XG5Qx2TlKWIA" });

function answer(_request: unknown, response: ServerResponse): void {
  response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" });
  response.end(TOKEN);
}

/** One POST of Alexa's request; resolves with its time in ms once the whole answer is in. */
function timedPost(url: string, agent: Agent | false): Promise<number> {
  const { headers, body } = alexaRequest(0);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = httpRequest(url, { method: "POST", agent, headers: { ...headers, "Content-Length": body.length } }, (incoming) => {
      if (incoming.statusCode !== 200) reject(new Error(`${url} answered ${incoming.statusCode}`));
      incoming.resume();
      incoming.on("end", () => resolve(performance.now() - started));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** `npm start` as a user runs it, in proxy mode in front of `tokenUrl`; resolves once it listens. */
async function startNpmStart(tokenUrl: string, recordsFile: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const env = { ...process.env, PORT: "0", TOKEN_URL: tokenUrl, LOCAL_RECORDS_FILE: recordsFile };
  const child = spawn(process.execPath, ["scripts/launch.js", "start"], { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.once("close", (code) => reject(new Error(`npm start exited ${code}: ${output}`)));
    // Read on, so the one summary line per attempt never blocks the runtime on a full pipe.
    child.stdout?.on("data", (chunk: Buffer) => {
      if (output.length > 10_000) return;
      output += chunk.toString("utf8");
      const found = /on (http:\/\/127\.0\.0\.1:\d+\/token)/.exec(output)?.[1];
      if (found) resolve(found);
    });
  });
  return { child, url, exited };
}

/** The resident memory of a process, from Linux's /proc. */
function residentMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

export async function benchSoak(): Promise<void> {
  const upstream = createServer(answer);
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const tokenUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/token`;
  const dir = mkdtempSync(join(tmpdir(), "bench-soak-"));
  const recordsFile = join(dir, "records.jsonl");
  const runtime = await startNpmStart(tokenUrl, recordsFile);
  const pid = runtime.child.pid ?? 0;
  // Alexa keeps its connections to API Gateway alive; the token URL gets a fresh one each time.
  const alexa = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < WARM_UP; i += 1) await Promise.all([timedPost(tokenUrl, false), timedPost(runtime.url, alexa)]);
    const rssBefore = residentMb(pid);
    const rounds: { direct: number[]; local: number[] }[] = [];
    const rssByRound: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const direct: number[] = [];
      const local: number[] = [];
      for (let i = 0; i < REQUESTS / ROUNDS; i += 1) {
        direct.push(await timedPost(tokenUrl, false));
        local.push(await timedPost(runtime.url, alexa));
      }
      rounds.push({ direct, local });
      rssByRound.push(residentMb(pid));
    }
    const rssAfter = rssByRound[rssByRound.length - 1];
    alexa.destroy();
    runtime.child.kill("SIGTERM");
    const code = await runtime.exited;
    const recorded = readFileSync(recordsFile, "utf8").split("\n").filter(Boolean).length - WARM_UP;
    if (code !== 0 || recorded !== REQUESTS) throw new Error(`npm start exited ${code} with ${recorded} of ${REQUESTS} attempts recorded`);

    const added = (p: number) => rounds.map(({ direct, local }) => percentile(local, p) - percentile(direct, p));
    const all = { direct: rounds.flatMap((r) => r.direct), local: rounds.flatMap((r) => r.local) };
    const list = (values: number[]) => values.map((value) => value.toFixed(2)).join(" / ");
    const growth = rssAfter - rssBefore;
    const p99Added = median(added(99));
    console.log(`npm start soak (proxy mode, ${REQUESTS.toLocaleString("en-US")} requests, each paired with a direct one, ${ROUNDS} rounds)`);
    console.log(`  attempts recorded                   ${recorded}`);
    console.log(`  resident memory at start / end      ${rssBefore.toFixed(1)} / ${rssAfter.toFixed(1)} MB (the npm start process, start after ${WARM_UP.toLocaleString("en-US")} warm-up requests)`);
    console.log(`  resident memory after each round    ${rssByRound.map((value) => value.toFixed(1)).join(" / ")} MB`);
    console.log(`  resident memory growth              ${growth.toFixed(1)} MB   target <= 20 MB: ${verdict(growth <= 20)}`);
    console.log(`  direct, median / p99                ${median(all.direct).toFixed(2)} / ${percentile(all.direct, 99).toFixed(2)} ms`);
    console.log(`  through npm start, median / p99     ${median(all.local).toFixed(2)} / ${percentile(all.local, 99).toFixed(2)} ms`);
    console.log(`  p50 added per round                 ${list(added(50))} ms`);
    console.log(`  p50 added (median of rounds)        ${median(added(50)).toFixed(2)} ms`);
    console.log(`  p99 added per round                 ${list(added(99))} ms`);
    console.log(`  p99 added (median of rounds)        ${p99Added.toFixed(2)} ms   target <= 5 ms: ${verdict(p99Added <= 5)}`);
  } finally {
    alexa.destroy();
    if (runtime.child.exitCode === null && runtime.child.signalCode === null) runtime.child.kill("SIGKILL");
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

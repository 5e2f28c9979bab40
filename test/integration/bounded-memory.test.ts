/**
 * Bounded memory and bounded records, measured on the real CLIs as child processes:
 * - a 200 MiB gzip bomb (about 200 KB on the wire) served by a real local HTTPS token URL keeps
 *   the probe's peak RSS under 256 MB, and the same bomb behind `npm start` in proxy mode (the
 *   Lambda's handler, as the local runtime runs it) too, with the attempt still recorded;
 * - a 9 MB request to `npm start` is answered, recorded once in a line under 256 KB, and
 *   `npm run logs -- --local --json` reads it.
 * Peak RSS is the kernel's figure for the child (GNU time's "Maximum resident set size", from
 * wait4), not anything the child reports about itself.
 */
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { MAX_BODY_BYTES } from "../../functions/token-url/upstream/capture-exchange";
import { E2E_REQUIRED } from "../e2e/support/tools";
import { basicAuth } from "../support/events";
import { PROJECT_DIR, runNodeScript, scriptEnv } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";

const GNU_TIME = "/usr/bin/time";
const MAX_RSS_KB = 256 * 1024;
const BOMB_MIB = 200;
// CloudWatch Logs' limit for one event.
const CLOUDWATCH_EVENT_BYTES = 256 * 1024;
const SECRET = "CANARY-bomb-secret-4Rt9";
const CODE = "CANARY-bomb-code-Wq72";
const ALEXA_FORM = `grant_type=authorization_code&code=${CODE}&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2X`;

/** 200 MiB of one byte, gzipped as it is made: the test process never holds the 200 MiB. */
async function gzipBomb(mebibytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on("data", (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => gzip.once("end", resolve));
  const mebibyte = Buffer.alloc(1024 * 1024, "{");
  for (let i = 0; i < mebibytes; i += 1) {
    if (!gzip.write(mebibyte)) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await ended;
  return Buffer.concat(parts);
}

interface Measured {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly maxRssKb: number;
}

/** GNU time's report for the child it ran. */
function maxRssOf(report: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  if (!match) throw new Error(`no maximum RSS in GNU time's report:\n${report}`);
  return Number(match[1]);
}

function measuredSpawn(command: string[], env: NodeJS.ProcessEnv, reportFile: string): ChildProcess {
  // In its own process group: a signal to the group reaches node, and GNU time ignores SIGINT
  // while it waits, so it still writes its report when node exits.
  return spawn(GNU_TIME, ["-v", "-o", reportFile, ...command], { cwd: PROJECT_DIR, env, detached: true });
}

/** Runs a command to completion under GNU time. */
function measured(command: string[], env: NodeJS.ProcessEnv, reportFile: string): Promise<Measured> {
  const child = measuredSpawn(command, env, reportFile);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr, maxRssKb: maxRssOf(readFileSync(reportFile, "utf8")) })),
  );
}

/** POSTs a body to the local runtime as Alexa would. */
function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        "user-agent": "Apache-HttpClient/UNAVAILABLE (Java/17.0.12)",
        authorization: basicAuth("alexa-skill", SECRET),
        ...headers,
      },
    });
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** `npm start` (scripts/start.ts, as the npm script runs it), under GNU time when `reportFile`
 * is set; resolves once it listens. */
async function startLocal(env: NodeJS.ProcessEnv, reportFile?: string) {
  const command = [process.execPath, "--import", "tsx", "scripts/start.ts"];
  const child = reportFile ? measuredSpawn(command, env, reportFile) : spawn(command[0], command.slice(1), { cwd: PROJECT_DIR, env, detached: true });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const found = /on (http:\/\/127\.0\.0\.1:\d+\/token)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return {
    url,
    output: () => output,
    /** Ctrl-C, as a user stops it: in-flight requests finish and the records file is flushed. */
    stop: async () => {
      process.kill(-child.pid!, "SIGINT");
      return exited;
    },
    kill: () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

const recordsIn = (file: string): AttemptRecord[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

const codesOf = (record: AttemptRecord) => record.findings.map((finding) => finding.code);

const haveGnuTime = existsSync(GNU_TIME);
if (!haveGnuTime && E2E_REQUIRED) throw new Error(`${GNU_TIME} (GNU time) is required in CI to measure a child's peak RSS`);
if (!haveGnuTime) console.warn(`Skipping the peak-RSS tests: ${GNU_TIME} (GNU time) is not installed.`);
const describeWithTime = haveGnuTime ? describe : describe.skip;

describeWithTime("a 200 MiB gzip bomb from the token URL", () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "bounded-memory-"));
  const caFile = join(dir, "test-root.pem");
  let bomb: Buffer;
  let server: TestServer;
  // Token requests only: in proxy mode the metadata lookup's GETs get the bomb too.
  let tokenRequests = 0;
  const env = (extra: NodeJS.ProcessEnv = {}) => scriptEnv({ NODE_EXTRA_CA_CERTS: caFile, PORT: "0", ...extra });

  beforeAll(async () => {
    writeFileSync(caFile, testPki().rootCaPem);
    bomb = await gzipBomb(BOMB_MIB);
    server = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request, response) => {
      if (request.method === "POST") tokenRequests += 1;
      request.resume();
      response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Content-Encoding": "gzip", "Cache-Control": "no-store" });
      response.end(bomb);
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("GIVEN the measurement THEN it sees a child that does use 300 MB (so it can fail)", async () => {
    const hog = await measured([process.execPath, "-e", "const b = Buffer.alloc(300e6, 1); console.log(b[299e6])"], env(), join(dir, "hog.time"));
    expect(hog.code).toBe(0);
    expect(hog.maxRssKb).toBeGreaterThan(MAX_RSS_KB);
  });

  test("GIVEN the probe THEN its peak RSS stays under 256 MB and it names the answer BODY_TOO_LARGE, decoded size and all", async () => {
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES / 4); // the old cap on wire bytes would never have caught it
    const probe = await measured(
      [process.execPath, "--import", "tsx", "scripts/probe.ts", server.url, "--json", "--client-id", "alexa-skill"],
      env({ ALEXA_CLIENT_SECRET: SECRET }),
      join(dir, "probe.time"),
    );
    expect(probe.stderr).not.toMatch(/heap out of memory|FATAL/);
    expect(probe.code).toBe(1);
    expect(probe.maxRssKb).toBeLessThan(MAX_RSS_KB);
    const record: AttemptRecord = JSON.parse(probe.stdout);
    expect(codesOf(record)).toContain("BODY_TOO_LARGE");
    // The first MiB of a bomb is no token answer, but it is not judged as one either.
    expect(codesOf(record)).not.toContain("BODY_NOT_JSON");
    expect(record.findings.find((finding) => finding.code === "BODY_TOO_LARGE")?.message).toMatch(/once decoded \(gzip: the capture stopped after 1048576 decoded bytes from \d+ bytes received/);
    expect(record.upstream).toMatchObject({ status: 200, bodyCapped: true, bodyBytes: MAX_BODY_BYTES, bodyEncoding: "gzip" });
    expect(record.upstream!.receivedBytes).toBeLessThanOrEqual(bomb.length);
    expect(record.cut).toContainEqual({ path: "upstream.body", size: MAX_BODY_BYTES, unit: "bytes", by: "capture", receivedBytes: record.upstream!.receivedBytes, encoding: "gzip" });
    expect(probe.stdout).not.toContain(SECRET);
    console.log(`probe against a ${BOMB_MIB} MiB gzip bomb (${bomb.length} bytes on the wire): peak RSS ${(probe.maxRssKb / 1024).toFixed(0)} MB`);
  });

  test("GIVEN npm start in proxy mode in front of it THEN peak RSS stays under 256 MB, Alexa gets a 502, and the attempt is recorded", async () => {
    const recordsFile = join(dir, "proxy.jsonl");
    const reportFile = join(dir, "start.time");
    const local = await startLocal(env({ TOKEN_URL: server.url, LOCAL_RECORDS_FILE: recordsFile }), reportFile);
    try {
      const before = tokenRequests;
      const answers = [];
      // Three in a row: what one attempt keeps must be freed before the next.
      for (let i = 0; i < 3; i += 1) answers.push(await post(local.url, ALEXA_FORM));
      expect(tokenRequests - before).toBe(3);
      for (const answer of answers) {
        expect(answer.status).toBe(502);
        expect(JSON.parse(answer.body)).toMatchObject({ error: "server_error" });
      }
    } catch (error) {
      local.kill();
      throw error;
    }
    expect(await local.stop()).toBe(0);
    const maxRssKb = maxRssOf(readFileSync(reportFile, "utf8"));
    expect(maxRssKb).toBeLessThan(MAX_RSS_KB);
    console.log(`npm start (proxy) through 3 attempts against the bomb: peak RSS ${(maxRssKb / 1024).toFixed(0)} MB`);

    const records = recordsIn(recordsFile);
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record).toMatchObject({ mode: "proxy", verdict: "fail", response: { status: 502 } });
      expect(codesOf(record)).toContain("BODY_TOO_LARGE");
      expect(record.cut).toContainEqual(expect.objectContaining({ path: "upstream.body", by: "capture", size: MAX_BODY_BYTES, encoding: "gzip" }));
    }
    const text = readFileSync(recordsFile, "utf8");
    for (const canary of [SECRET, CODE]) expect(text).not.toContain(canary);
    for (const line of text.trim().split("\n")) expect(Buffer.byteLength(line)).toBeLessThan(CLOUDWATCH_EVENT_BYTES);

    const logs = await runNodeScript("scripts/logs.ts", ["--local", "--json"], env({ LOCAL_RECORDS_FILE: recordsFile }));
    expect(logs.code).toBe(1);
    const logged: AttemptRecord = JSON.parse(logs.stdout);
    expect(logged.attemptId).toBe(records[2].attemptId);
    // Read back and sealed again, it still says what the capture cut, once.
    expect(logged.cut?.filter((entry) => entry.by === "capture")).toHaveLength(1);
  });
});

describe("a 9 MB request to npm start", () => {
  jest.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "big-request-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("GIVEN dummy mode THEN it is answered, recorded once in a line under 256 KB, and logs --local --json reads it", async () => {
    const recordsFile = join(dir, "records.jsonl");
    const env = scriptEnv({ PORT: "0", LOCAL_RECORDS_FILE: recordsFile });
    const local = await startLocal(env);
    // Alexa's form with a 9 MB field: under API Gateway's 10 MB payload limit. (In AWS the
    // request template's base64 of it, ~12 MB, is over Lambda's 6 MB synchronous invoke limit
    // (Lambda API reference, Invoke), so API Gateway would answer without the Lambda; the local
    // runtime does not model that limit, and runs the handler, which is what bounds the record.)
    const body = `${ALEXA_FORM}&padding=${"p".repeat(9 * 1000 * 1000)}`;
    let answer;
    try {
      answer = await post(local.url, body);
    } catch (error) {
      local.kill();
      throw error;
    }
    expect(await local.stop()).toBe(0);
    expect(answer.status).toBe(200); // the dummy's token answer, as the Lambda gives it
    expect(JSON.parse(answer.body)).toMatchObject({ token_type: "Bearer" });

    const lines = readFileSync(recordsFile, "utf8").split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0])).toBeLessThan(CLOUDWATCH_EVENT_BYTES);
    const record: AttemptRecord = JSON.parse(lines[0]);
    expect(record.mode).toBe("dummy");
    expect(record.cut).toContainEqual(
      expect.objectContaining({ path: "request.fields.padding", size: 9 * 1000 * 1000, unit: "characters", fingerprint: expect.stringMatching(/^\[redacted len=9000000 hmac=[0-9a-f]{12}\]$/) }),
    );
    expect(lines[0]).not.toContain(CODE);

    const logs = await runNodeScript("scripts/logs.ts", ["--local", "--json"], env);
    expect(logs.code).toBe(0);
    const logged: AttemptRecord = JSON.parse(logs.stdout);
    expect(logged.attemptId).toBe(record.attemptId);
    // Read back, the cut is the same cut: not clipped again, the whole value's size kept.
    expect(logged.cut).toEqual(record.cut);
    expect(logged.request.fields.padding).toBe(record.request.fields.padding);
  });
});

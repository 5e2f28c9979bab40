/**
 * `npm run verify -- --local` end to end (Node start-up included) against the local runtime in
 * dummy mode, beside bare `node -e 0`; and how many record queries one run makes (the same
 * lookup serves CloudWatch, where each query is one FilterLogEvents page sequence).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { testSettings } from "../../test/support/settings";
import { startLocalRuntime } from "../local/local-runtime";
import { LocalFileSource } from "../logs/local-source";
import { LogSource } from "../logs/log-source";
import { runVerify } from "../verify/run-verify";
import { median, verdict } from "./stats";

const PROJECT_DIR = resolve(__dirname, "../..");
const RUNS = 7;

export async function benchVerify(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-verify-"));
  const recordsFile = join(dir, "records.jsonl");
  const runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile });
  const env = { ...process.env, LOCAL_RECORDS_FILE: recordsFile };
  // Asynchronous on purpose: the runtime runs in this process and must keep answering.
  const wallMs = (args: string[]) =>
    new Promise<number>((resolvePromise, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => (code === 0 ? resolvePromise(performance.now() - started) : reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`))));
    });
  const times = async (args: string[]) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) samples.push(await wallMs(args));
    return samples;
  };
  try {
    const verify = ["scripts/launch.js", "verify", "--local", "--token-url", runtime.url];
    await wallMs(verify); // build the commands once (scripts/launch.js), as a first run does
    const verifyMs = median(await times(verify));
    const nodeMs = median(await times(["-e", "0"]));
    let queries = 0;
    const file = new LocalFileSource(recordsFile);
    const counted: LogSource = { query: (query) => ((queries += 1), file.query(query)) };
    const report = await runVerify({ tokenUrl: runtime.url, source: counted, waitMs: 5_000 });
    console.log(`npm run verify -- --local against the local runtime (dummy mode, ${RUNS} runs)`);
    console.log(`  wall time, median                   ${verifyMs.toFixed(0)} ms   target < 3000 ms: ${verdict(verifyMs < 3000)}`);
    console.log(`  bare node -e 0 (baseline)           ${nodeMs.toFixed(0)} ms   ratio ${(verifyMs / nodeMs).toFixed(1)}x`);
    console.log(`  record queries for ${report.requests} requests       ${queries}        target 1: ${verdict(queries === 1 && report.verdict === "faithful")}`);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `probe --authorize-url` sends its requests at once (here four: the three regions' redirect
 * URLs and a made-up one): its wall time should be Node's start-up plus about one request, not
 * four. Measured against a local HTTPS authorization
 * endpoint that takes DELAY_MS per answer, with the baselines (the same CLI's start-up with
 * --help, and one request alone) measured in this run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { captureExchange } from "../../functions/token-url/upstream/capture-exchange";
import { testPki, trustStore } from "../../test/support/pki";
import { startHttpsServer } from "../../test/support/tls-servers";
import { median, verdict } from "./stats";

const PROJECT_DIR = resolve(__dirname, "../..");
// Long enough that four requests in a row would stand out from start-up noise.
const DELAY_MS = 400;

export async function benchAuthorize(): Promise<void> {
  const server = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (_request, response) => {
    setTimeout(() => response.writeHead(302, { Location: "/login" }).end(), DELAY_MS);
  });
  const authorizeUrl = `https://127.0.0.1:${server.port}/oauth/authorize`;
  const dir = mkdtempSync(join(tmpdir(), "bench-authorize-"));
  const caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);
  // Asynchronous on purpose: the server runs in this process and must keep answering.
  const run = (args: string[]) =>
    new Promise<number>((resolvePromise, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, ["scripts/launch.js", "probe", ...args], {
        cwd: PROJECT_DIR,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => (code === 0 ? resolvePromise(performance.now() - started) : reject(new Error(`probe exited ${code}: ${stderr}`))));
    });
  const single = async () => {
    const started = performance.now();
    await captureExchange(
      { method: "GET", body: Buffer.alloc(0), headers: {} },
      { tokenUrl: `${authorizeUrl}?response_type=code`, connectTimeoutMs: 3_000, upstreamTimeoutMs: 10_000, tlsBypass: false, trustedCa: trustStore() },
    );
    return performance.now() - started;
  };
  const samples = async (count: number, measure: () => Promise<number>) => {
    const values: number[] = [];
    for (let i = 0; i < count; i += 1) values.push(await measure());
    return median(values);
  };
  try {
    const check = ["--authorize-url", authorizeUrl, "--json"];
    await run(check); // build the commands once (scripts/launch.js), as a first run does
    const checkMs = await samples(5, () => run(check));
    const startupMs = await samples(5, () => run(["--help"]));
    const singleMs = await samples(5, single);
    const budget = startupMs + singleMs * 1.5;
    console.log(`probe --authorize-url against a local HTTPS authorization URI answering in ${DELAY_MS} ms (5 runs each)`);
    console.log(`  one request alone, median               ${singleMs.toFixed(0)} ms`);
    console.log(`  CLI start-up (probe --help), median     ${startupMs.toFixed(0)} ms`);
    console.log(`  --authorize-url (4 requests), median    ${checkMs.toFixed(0)} ms   target <= start-up + 1.5 x one request (${budget.toFixed(0)} ms): ${verdict(checkMs <= budget)}`);
    console.log(`  the same four one after another would be about ${(startupMs + 4 * singleMs).toFixed(0)} ms`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

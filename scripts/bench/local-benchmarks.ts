/**
 * Without AWS: what the local runtime's template rendering adds to a request, and the wall time
 * of `npm run probe` (Node start-up included) against a healthy local token URL; each against
 * a baseline measured in the same run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { decodeEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { readTemplate } from "../../infra/templates";
import { alexaEvent, basicAuth } from "../../test/support/events";
import { testPki } from "../../test/support/pki";
import { testSettings } from "../../test/support/settings";
import { startHttpsServer } from "../../test/support/tls-servers";
import { GatewayRequest, renderRequestTemplate, renderResponseTemplate } from "../local/api-gateway-templates";
import { startLocalRuntime } from "../local/local-runtime";
import { median, verdict } from "./stats";

const PROJECT_DIR = resolve(__dirname, "../..");
const BODY = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2X";

async function timed(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function benchLocalRuntime(): Promise<void> {
  const settings = testSettings();
  const request: GatewayRequest = {
    method: "POST",
    resourcePath: "/token",
    stage: "debug",
    headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", Authorization: basicAuth("skill", "secret") },
    query: {},
    body: BODY,
    sourceIp: "127.0.0.1",
    requestId: "bench",
    requestTimeEpoch: Date.now(),
  };
  const requestTemplate = readTemplate("token-request");
  const responseTemplate = readTemplate("token-response");
  const event = alexaEvent({ body: BODY, headers: { Authorization: basicAuth("skill", "secret") } });
  const ignore = (_record: AttemptRecord) => undefined;
  const direct = () => handleTokenRequest(event, settings, ignore);
  const withTemplates = async () => {
    const rendered = JSON.parse(renderRequestTemplate(requestTemplate, request));
    decodeEvent(rendered, new Date());
    const result = await handleTokenRequest(rendered, settings, ignore);
    renderResponseTemplate(responseTemplate, JSON.parse(JSON.stringify(result)), request, 200);
  };
  const dir = mkdtempSync(join(tmpdir(), "bench-local-"));
  const runtime = await startLocalRuntime({ port: 0, settings, recordsFile: join(dir, "records.jsonl") });
  const overHttp = () =>
    fetch(runtime.url, { method: "POST", body: BODY, headers: request.headers }).then((response) => response.text());
  try {
    for (let i = 0; i < 200; i += 1) await Promise.all([direct(), withTemplates(), overHttp()]); // warm-up
    const samples = { direct: [] as number[], templates: [] as number[], http: [] as number[] };
    for (let i = 0; i < 1_000; i += 1) {
      samples.direct.push(await timed(direct));
      samples.templates.push(await timed(withTemplates));
      samples.http.push(await timed(overHttp));
    }
    const added = median(samples.templates) - median(samples.direct);
    console.log("local runtime (dummy mode, 1,000 interleaved requests)");
    console.log(`  handler called directly, median     ${median(samples.direct).toFixed(3)} ms`);
    console.log(`  with both templates, median         ${median(samples.templates).toFixed(3)} ms`);
    console.log(`  template rendering adds (median)    ${added.toFixed(3)} ms   target <= 2 ms: ${verdict(added <= 2)}`);
    console.log(`  whole local HTTP request, median    ${median(samples.http).toFixed(3)} ms`);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A token URL that checks client and code the healthy way: the probe's made-up code gets
 * invalid_grant. With `basicRejected`, it takes client credentials from the body only, so the
 * probe's first (HTTP Basic) request is rejected and the scheme retry runs. */
function oauthLikeUpstream(basicRejected: boolean) {
  const served = { requests: 0 };
  const server = startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request, response) => {
    served.requests += 1;
    request.resume();
    request.on("end", () => {
      const rejected = basicRejected && request.headers.authorization !== undefined;
      response.writeHead(rejected ? 401 : 400, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store" });
      response.end(JSON.stringify({ error: rejected ? "invalid_client" : "invalid_grant" }));
    });
  });
  return { served, server };
}

export async function benchProbe(): Promise<void> {
  const healthy = oauthLikeUpstream(false);
  const bodyOnly = oauthLikeUpstream(true);
  const [upstream, mismatched] = await Promise.all([healthy.server, bodyOnly.server]);
  const dir = mkdtempSync(join(tmpdir(), "bench-probe-"));
  const caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, ALEXA_CLIENT_SECRET: "bench-secret" };
  // Asynchronous on purpose: the upstream runs in this process and must keep answering.
  const run = (args: string[], exitCode = 0) =>
    new Promise<number>((resolvePromise, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => {
        if (code === exitCode) resolvePromise(performance.now() - started);
        else reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`));
      });
    });
  const times = async (count: number, args: string[], exitCode = 0) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i += 1) samples.push(await run(args, exitCode));
    return samples;
  };
  try {
    const probe = (url: string) => ["scripts/launch.js", "probe", url, "--json"];
    await run(probe(upstream.url)); // build the commands once (scripts/launch.js), as a first run does
    healthy.served.requests = 0;
    const probeMs = median(await times(7, probe(upstream.url)));
    const healthyRequests = healthy.served.requests / 7;
    // Exit 1: CLIENT_AUTH_SCHEME_MISMATCH, the finding the retry exists for.
    const retryMs = median(await times(7, probe(mismatched.url), 1));
    const retryRequests = bodyOnly.served.requests / 7;
    const nodeMs = median(await times(7, ["-e", "0"]));
    console.log("npm run probe against local HTTPS token URLs (7 runs each)");
    console.log(`  healthy: wall time, median          ${probeMs.toFixed(0)} ms   target < 1000 ms: ${verdict(probeMs < 1000)}`);
    console.log(`  healthy: token requests per probe   ${healthyRequests}        target 1 (no retry): ${verdict(healthyRequests === 1)}`);
    console.log(`  Basic rejected: wall time, median   ${retryMs.toFixed(0)} ms   +${(retryMs - probeMs).toFixed(0)} ms for the scheme retry`);
    console.log(`  Basic rejected: requests per probe  ${retryRequests}        target 2 (one retry): ${verdict(retryRequests === 2)}`);
    console.log(`  bare node start-up (baseline)       ${nodeMs.toFixed(0)} ms   ratio ${(probeMs / nodeMs).toFixed(1)}x`);
  } finally {
    await Promise.all([upstream.close(), mismatched.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

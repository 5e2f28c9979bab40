/**
 * The messages a new user meets, exact enough to catch a regression, from the npm scripts run
 * as child processes with stdout a pipe: what `npm start` says about its config and each
 * attempt, what `logs --local` says before anything was recorded, what the probe says about a
 * URL without a scheme, and a long value that survives the pipe whole.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Background, runScript, scriptEnv, startScript } from "../support/npm-scripts";

const READY = /on (http:\/\/127\.0\.0\.1:\d+\/token)/;

/** A correct plain-http token URL on 127.0.0.1. */
async function tokenUrl(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" });
      response.end(JSON.stringify({ access_token: "at-1", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-1" }));
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, server };
}

describe("messages that say what to do", () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "cli-messages-"));
  let upstream: { url: string; server: Server };
  const started: Background[] = [];
  beforeAll(async () => (upstream = await tokenUrl()));
  afterEach(() => {
    for (const background of started.splice(0)) background.kill();
  });
  afterAll(() => new Promise((resolvePromise) => upstream.server.close(resolvePromise)));

  async function stop(background: Background): Promise<void> {
    process.kill(background.child.pid!, "SIGTERM");
    await background.exited;
  }

  test("GIVEN MODE=dummy and a TOKEN_URL WHEN npm start THEN one line says TOKEN_URL is ignored", async () => {
    const env = scriptEnv({ PORT: "0", MODE: "dummy", TOKEN_URL: "https://auth.example.com/token", LOCAL_RECORDS_FILE: join(dir, "dummy.jsonl") });
    const npmStart = await startScript(["start"], env, READY);
    started.push(npmStart);
    await stop(npmStart);
    expect(npmStart.stderr()).toBe(
      "TOKEN_URL is ignored in dummy mode (MODE=dummy answers every request itself); unset MODE to wrap it.\n",
    );
    expect(npmStart.stdout()).toContain("Token URL debugger (dummy mode) on http://127.0.0.1:");
  });

  test("GIVEN a plain-http token URL on 127.0.0.1 and no ALLOW_HTTP_TOKEN_URL WHEN npm start forwards to it THEN it runs, reports NOT_HTTPS as info, and the attempt's line reads without a legend", async () => {
    const env = scriptEnv({ PORT: "0", TOKEN_URL: upstream.url, LOCAL_RECORDS_FILE: join(dir, "loopback.jsonl") });
    const npmStart = await startScript(["start"], env, READY);
    started.push(npmStart);
    const response = await fetch(npmStart.match[1], {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: "grant_type=authorization_code&code=c-1&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA",
    });
    expect(response.status).toBe(200);
    const logs = await runScript("logs", ["--local", "--json"], env);
    const record = JSON.parse(logs.stdout);
    expect(record.findings).toEqual([expect.objectContaining({ code: "NOT_HTTPS", severity: "info" })]);
    await stop(npmStart);
    expect(npmStart.stdout()).toContain(`\n✓ PASS proxy authorization_code → 200 NOT_HTTPS (attempt ${record.attemptId})\n`);
    expect(npmStart.stderr()).toBe("");
  });

  test("GIVEN no records file WHEN npm run logs -- --local THEN it names the file and says npm start writes it", async () => {
    const missing = join(dir, "never-written.jsonl");
    const result = await runScript("logs", ["--local"], scriptEnv({ LOCAL_RECORDS_FILE: missing }));
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 3,
      stderr:
        `No records file at ${missing}: npm start writes it, one line per request it answers. ` +
        "Run npm start, send it a request (npm run probe -- http://127.0.0.1:8787/token), then rerun.\n",
    });
  });

  test("GIVEN a token URL without its scheme WHEN npm run probe THEN it suggests the https URL", async () => {
    const result = await runScript("probe", ["auth.example.com/token"], scriptEnv());
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("auth.example.com/token is not a URL; did you mean https://auth.example.com/token?");
  });

  test("GIVEN stdout is a pipe WHEN the probe reports a 150-character redirect URI THEN the URI stays on one line", async () => {
    const redirectUri = `https://layla.amazon.com/api/skill/link/M2${"Q".repeat(108)}`;
    expect(redirectUri).toHaveLength(150);
    const result = await runScript("probe", [upstream.url, "--redirect-uri", redirectUri], scriptEnv());
    const lines = result.stdout.split("\n");
    expect(lines).toContain(`  redirect_uri   ${redirectUri}`);
    expect(lines.filter((line) => line.includes(redirectUri))).toHaveLength(2); // its row and the fields row
    expect(lines.some((line) => line.includes(redirectUri.slice(0, 60)) && !line.includes(redirectUri))).toBe(false);
  });
});

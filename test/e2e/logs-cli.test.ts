/**
 * `npm run logs` as a user runs it (a child process), against a real CloudWatch Logs API
 * (moto_server), with events written exactly as Lambda writes them in both log formats.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { LogGroupFixture } from "../support/cloudwatch-fixture";
import { alexaEvent, basicAuth } from "../support/events";
import { testSettings } from "../support/settings";
import { refusedPort } from "../support/tls-servers";
import { MotoServer } from "./support/moto";
import { describeWhenAvailable, findMotoServer } from "./support/tools";
import { commandLine } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");
const STACK = "logs-e2e";
const GROUP = `/aws/lambda/${STACK}-token-url`;
const SECRET = "CANARY-logs-secret-6Tq1";
const MINUTE = 60_000;

/** A record as the handler really writes it, logged under the given API Gateway request id. */
async function realRecord(attemptId: string, failing: boolean): Promise<AttemptRecord> {
  const records: AttemptRecord[] = [];
  const settings = failing ? testSettings({ mode: "proxy", tokenUrl: (await refusedPort()).url }) : testSettings();
  await handleTokenRequest(
    alexaEvent({ body: "grant_type=authorization_code&code=CANARY-code-x", headers: { Authorization: basicAuth("alexa-skill", SECRET) }, requestId: attemptId }),
    settings,
    (record) => records.push(record),
  );
  return records[0];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runLogs(args: string[], env: Record<string, string>, cwd = PROJECT_DIR): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [join(PROJECT_DIR, "scripts/launch.js"), "logs", ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describeWhenAvailable("npm run logs against CloudWatch Logs in moto_server", findMotoServer(), (motoServer) => {
  jest.setTimeout(60_000);
  let moto: MotoServer;
  let fixture: LogGroupFixture;
  let env: Record<string, string>;
  const now = Date.now();

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true", // never reach for an instance metadata service
      STACK_NAME: STACK,
    };
    fixture = new LogGroupFixture(moto.endpoint, GROUP);
    await fixture.createGroup();
    // The newest attempt sits in the stream created first and written first; an older one in
    // the stream written last: "last written stream" must not decide what is latest.
    const newestStream = "2026/11/25/[$LATEST]aaaa1111";
    const olderStream = "2026/11/25/[$LATEST]bbbb2222";
    const oldestStream = "2026/11/24/[$LATEST]cccc3333";
    for (const stream of [newestStream, olderStream, oldestStream]) await fixture.createStream(stream);
    await fixture.putInvocation(newestStream, {
      requestId: "lambda-req-newest",
      time: new Date(now - 4 * MINUTE),
      record: await realRecord("newest-attempt", true),
      format: "json",
      coldStartMs: 250.5,
      extraLines: ["(node:8) Warning: something unrelated"],
    });
    await fixture.putInvocation(oldestStream, {
      requestId: "lambda-req-oldest",
      time: new Date(now - 3 * 60 * MINUTE),
      record: await realRecord("oldest-attempt", false),
      format: "text",
    });
    await fixture.putInvocation(olderStream, {
      requestId: "lambda-req-older",
      time: new Date(now - 40 * MINUTE),
      record: await realRecord("older-attempt", false),
      format: "text",
    });
  });

  afterAll(async () => {
    fixture?.destroy();
    moto?.stop();
  });

  test("GIVEN attempts in both log formats THEN the newest is reported in full, with its Lambda REPORT, exit 1 for a failed one", async () => {
    const run = await runLogs([], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("newest-attempt");
    expect(run.stdout).toContain("CONNECTION_REFUSED");
    expect(run.stdout).toMatch(/cold start/i);
    expect(run.stdout).not.toContain("older-attempt");
    expect(run.stdout).not.toMatch(/\u001b\[/); // not a terminal: no colors
    expect(run.stdout).not.toContain(SECRET);
  });

  /** A folder a stack was deployed from: the local state cdktf leaves there, with its expiry. */
  function deployedFolder(expiresAt: Date): string {
    const dir = mkdtempSync(join(tmpdir(), "logs-expiry-"));
    const value = (text: string) => ({ value: text, type: "string" });
    const outputs = { token_url: value("https://x.example/debug/token"), expires_at: value(expiresAt.toISOString().replace(/\.\d+Z$/, "Z")) };
    writeFileSync(join(dir, `terraform.${STACK}.tfstate`), JSON.stringify({ version: 4, outputs, resources: [] }));
    return dir;
  }

  test("GIVEN a deployed stack with a day left THEN the header says when it expires", async () => {
    const run = await runLogs([], env, deployedFolder(new Date(now + 24 * 60 * MINUTE)));
    expect(run.stdout.split("\n")[0]).toMatch(/^Debugger expires \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 2[34] h \d+ min\)\.$/);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("newest-attempt");
  });

  test("GIVEN less than an hour left, or past THEN the header warns, and --json warns on stderr only", async () => {
    const soon = await runLogs([], env, deployedFolder(new Date(now + 30 * MINUTE)));
    expect(soon.stdout.split("\n")[0]).toMatch(/^⚠ The debugger expires .+ UTC, in (29|30) min: npm run deploy -- --extend to keep it, or unlink and destroy it\.$/);
    const expired = await runLogs([], env, deployedFolder(new Date(now - MINUTE)));
    expect(expired.stdout.split("\n")[0]).toMatch(/^✗ The debugger expired at .+ UTC: it answers 503 and forwards nothing\./);
    expect(expired.code).toBe(1); // the report itself still follows
    expect(expired.stdout).toContain("newest-attempt");

    const json = await runLogs(["--json"], env, deployedFolder(new Date(now - MINUTE)));
    expect(json.stderr).toMatch(/^✗ The debugger expired at /);
    expect(JSON.parse(json.stdout).type).toBe("token-attempt");
  });

  test("GIVEN --json --limit 3 THEN the records only, newest first, one per line", async () => {
    const run = await runLogs(["--json", "--limit", "3"], env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).attemptId)).toEqual(["newest-attempt", "older-attempt", "oldest-attempt"]);
    expect(run.stdout).not.toContain(SECRET);
  });

  test("GIVEN --limit 2 THEN one line per attempt, then the newest in full", async () => {
    const run = await runLogs(["--limit", "2"], env);
    const [summary, full] = run.stdout.split("\n\n");
    expect(summary.split("\n")).toHaveLength(2);
    expect(summary.split("\n")[0]).toContain("CONNECTION_REFUSED");
    expect(full).toContain("newest-attempt");
  });

  test("GIVEN --limit 2 --html THEN the page lists both and has the newest in full, with its Lambda REPORT; stdout is unchanged", async () => {
    const page = join(mkdtempSync(join(tmpdir(), "logs-html-")), "report.html");
    const plain = await runLogs(["--limit", "2"], env);
    const run = await runLogs(["--limit", "2", "--html", page], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toBe(`HTML report: ${page}\n`);
    const html = readFileSync(page, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('id="listed"');
    expect(html).toContain("older-attempt");
    expect(html).toContain("attempt newest-attempt");
    expect(html).toContain('data-code="CONNECTION_REFUSED"');
    expect(html).toContain("cold start");
    expect(html).not.toContain(SECRET);
  });

  test("GIVEN --html with --follow or without a file name THEN exit 2 before reading anything", async () => {
    expect((await runLogs(["--follow", "--html", "x.html"], env)).stderr).toContain("--html writes one report");
    expect((await runLogs(["--html", "dir/"], env)).code).toBe(2);
  });

  test("GIVEN --request-id of an older attempt THEN that one, exit 0 for a pass", async () => {
    const run = await runLogs(["--request-id", "older-attempt"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("older-attempt");
    expect(run.stdout).toContain("DUMMY_RESPONSE");
  });

  test("GIVEN a window with no attempt THEN exit 3 and what to try", async () => {
    const run = await runLogs(["--since", "1m", "--wait", "0"], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`No linking attempt found in ${GROUP} (us-east-1) within the last 1m`);
    expect(run.stderr).toContain("Link the skill again in the Alexa app");
  });

  test("GIVEN a stack that is not deployed THEN exit 2 naming the log group and region", async () => {
    const run = await runLogs([], { ...env, STACK_NAME: "not-deployed" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Log group /aws/lambda/not-deployed-token-url not found in us-east-1: not deployed yet");
  });

  test("GIVEN no AWS credentials THEN exit 2 saying how to set them", async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...withoutKeys } = env;
    const run = await runLogs([], {
      ...withoutKeys,
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("No AWS credentials found");
  });

  test("GIVEN a bad option THEN exit 2 with the usage", async () => {
    const run = await runLogs(["--since", "forever"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--since must look like");
    expect(run.stderr).toContain("Usage: npm run logs");
  });

  test("GIVEN --follow THEN a new attempt appears as it lands, and SIGINT ends it cleanly", async () => {
    const child = spawn(process.execPath, [...commandLine("logs"), "--follow", "--json"], { cwd: PROJECT_DIR, env });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolvePromise) => child.on("close", resolvePromise));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 30_000;
      while (!stdout.includes(text)) {
        if (Date.now() > deadline) throw new Error(`"${text}" did not appear; got: ${stdout}`);
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
      }
    };
    try {
      await waitFor("newest-attempt");
      await fixture.putInvocation("2026/11/25/[$LATEST]aaaa1111", {
        requestId: "lambda-req-followed",
        time: new Date(),
        record: await realRecord("followed-attempt", false),
        format: "text",
      });
      await waitFor("followed-attempt");
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(stdout.trimEnd().split("\n").map((line) => JSON.parse(line).attemptId)).toEqual(["newest-attempt", "followed-attempt"]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("GIVEN --local THEN the local runtime's file is read instead of CloudWatch", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "local-records-")), "attempts.jsonl");
    const first = { ...(await realRecord("local-first", false)), time: new Date(now - 10 * MINUTE).toISOString() };
    const second = { ...(await realRecord("local-second", true)), time: new Date(now - 2 * MINUTE).toISOString() };
    writeFileSync(file, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    const localEnv = { ...env, LOCAL_RECORDS_FILE: file, AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
    const run = await runLogs(["--local", "--json", "--limit", "5"], localEnv);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).attemptId)).toEqual(["local-second", "local-first"]);
    const page = join(mkdtempSync(join(tmpdir(), "local-html-")), "local.html");
    const html = await runLogs(["--local", "--html", page], localEnv);
    expect(html.code).toBe(1);
    expect(html.stderr).toBe(`HTML report: ${page}\n`);
    expect(readFileSync(page, "utf8")).toContain("attempt local-second");
    expect(readFileSync(page, "utf8")).not.toContain(SECRET);
    const missing = await runLogs(["--local", "--wait", "0"], { ...localEnv, LOCAL_RECORDS_FILE: `${file}.missing` });
    expect(missing.code).toBe(3);
  });
});

/**
 * `npm run logs -- --local` on a records file with lines it cannot read (the reproduced line:
 * a record missing its fields; a line that is not JSON; a record cut short): each is skipped
 * and counted on stderr, the readable records are shown, and the command never crashes. The
 * CLI runs as a child process, in every output form; and against CloudWatch Logs (moto_server,
 * DESIGN §5), where a record can arrive cut short or written by something else.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MotoServer } from "../e2e/support/moto";
import { describeWhenAvailable, findMotoServer } from "../e2e/support/tools";
import { LogGroupFixture } from "../support/cloudwatch-fixture";
import { consoleLine, sampleAttemptRecord } from "../support/lambda-log-events";
import { runNodeScript, scriptEnv } from "../support/npm-scripts";
import { fixture } from "../unit/report/fixtures";

describe("logs --local skips unreadable lines with a count", () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "logs-unreadable-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const now = () => new Date().toISOString();
  const logs = (file: string, args: string[]) => runNodeScript("scripts/logs.ts", ["--local", ...args], scriptEnv({ LOCAL_RECORDS_FILE: file }));

  test("GIVEN only a record missing its fields THEN no crash: one line counted, no attempt (exit 3)", async () => {
    const file = join(dir, "only-broken.jsonl");
    writeFileSync(file, `${JSON.stringify({ type: "token-attempt", time: now() })}\n`);
    for (const args of [[], ["--json"], ["--timeline"]]) {
      const run = await logs(file, args);
      expect(run.stderr).not.toMatch(/Cannot read properties/);
      expect(run.stderr).toContain("1 line could not be read");
      expect(run.stdout).toBe("");
      expect(run.code).toBe(3);
    }
  });

  test("GIVEN a good record among four unreadable lines THEN it is shown in every form and the four are counted once", async () => {
    const file = join(dir, "mixed.jsonl");
    const good = { ...fixture("proxy-pass"), attemptId: "good-one", time: now() };
    writeFileSync(
      file,
      [
        "this line is not JSON",
        JSON.stringify({ type: "token-attempt", time: now() }),
        JSON.stringify(good),
        JSON.stringify(good).slice(0, 80), // cut short
        JSON.stringify({ time: now(), note: "JSON with a time, but not an attempt record" }),
        "",
        "", // blank lines are not records and not errors
      ].join("\n"),
    );
    const text = await logs(file, []);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("PASS");
    expect(text.stderr).toContain("4 lines could not be read");
    expect(text.stderr.match(/could not be read/g)).toHaveLength(1);

    const json = await logs(file, ["--json", "--limit", "5"]);
    expect(json.code).toBe(0);
    const records = json.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(records.map((record) => record.attemptId)).toEqual(["good-one"]);
    expect(json.stderr).toContain("4 lines could not be read");

    const page = join(dir, "page.html");
    const html = await logs(file, ["--html", page]);
    expect(html.code).toBe(0);
    expect(readFileSync(page, "utf8")).toContain("<html");
    expect(html.stderr).toContain("4 lines could not be read");

    const timeline = await logs(file, ["--timeline"]);
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toMatch(/Link 1/i);
    expect(timeline.stderr).toContain("4 lines could not be read");
  });

  test("GIVEN the last line still being written (no newline yet) THEN it is not counted", async () => {
    const file = join(dir, "torn.jsonl");
    const good = { ...fixture("proxy-pass"), time: now() };
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(good).slice(0, 50)}`);
    const run = await logs(file, ["--json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("could not be read");
  });
});

describeWhenAvailable("logs (CloudWatch Logs in moto_server) skips unreadable records with a count", findMotoServer(), (motoServer) => {
  jest.setTimeout(60_000);
  const GROUP = "/aws/lambda/unreadable-lines-token-url";
  let moto: MotoServer;
  let group: LogGroupFixture;

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    group = new LogGroupFixture(moto.endpoint, GROUP);
    await group.createGroup();
    const stream = "2026/12/07/[$LATEST]abcd0001";
    await group.createStream(stream);
    const now = Date.now();
    await group.putInvocation(stream, { requestId: "lambda-good", time: new Date(now - 60_000), record: sampleAttemptRecord({ attemptId: "good-cw" }), format: "text" });
    const broken = JSON.stringify({ type: "token-attempt", time: new Date(now - 30_000).toISOString() });
    const cut = JSON.stringify(sampleAttemptRecord({ attemptId: "cut-cw" })).slice(0, 120);
    await group.putEvents(stream, [
      { timestamp: now - 30_000, message: consoleLine("text", "lambda-broken", new Date(now - 30_000), "INFO", broken) },
      { timestamp: now - 20_000, message: consoleLine("json", "lambda-cut", new Date(now - 20_000), "INFO", cut) },
    ]);
  });
  afterAll(() => {
    group?.destroy();
    moto?.stop();
  });

  test("GIVEN a readable record and two that are not THEN the readable one is shown and two lines are counted", async () => {
    const env = scriptEnv({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const run = await runNodeScript("scripts/logs.ts", ["--log-group", GROUP, "--json", "--limit", "5"], env);
    expect(run.stderr).not.toMatch(/Cannot read properties/);
    expect(run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).attemptId)).toEqual(["good-cw"]);
    expect(run.stderr).toContain("2 lines could not be read");
    expect(run.code).toBe(0);
  });
});

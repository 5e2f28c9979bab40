/**
 * `npm run verify` reading its records from CloudWatch Logs (moto_server). Moto cannot run
 * API Gateway → Lambda, so verify's requests go through the local runtime (the stack's own
 * templates around the real handler), and each record the handler logs is put into moto's log
 * group as Lambda writes it, alternating the text and the JSON log format, before the answer
 * goes back: the records are in CloudWatch when verify looks, as they would be a few seconds
 * after a real request.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { LocalRuntime, startLocalRuntime } from "../../scripts/local/local-runtime";
import { CloudWatchSource } from "../../scripts/logs/cloudwatch-source";
import { LogQuery, LogSource } from "../../scripts/logs/log-source";
import { runVerify } from "../../scripts/verify/run-verify";
import { LogGroupFixture, logsClientFor } from "../support/cloudwatch-fixture";
import { runScript, scriptEnv } from "../support/npm-scripts";
import { testSettings } from "../support/settings";
import { MotoServer } from "./support/moto";
import { describeWhenAvailable, findMotoServer } from "./support/tools";

const GROUP = "/aws/lambda/verify-e2e-token-url";
const STREAM = "2026/12/01/[$LATEST]0123456789abcdef";
const CANARY_SECRET = "verify-e2e-SECRET:+c4n4ry";

describeWhenAvailable("npm run verify against CloudWatch Logs in moto_server", findMotoServer(), (motoServer) => {
  jest.setTimeout(90_000);
  let moto: MotoServer;
  let fixture: LogGroupFixture;
  let runtime: LocalRuntime;
  let dir: string;
  let invocations = 0;
  // Requests whose record never reaches CloudWatch (a test of exit 3).
  let dropRecords = false;

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    fixture = new LogGroupFixture(moto.endpoint, GROUP);
    await fixture.createGroup();
    await fixture.createStream(STREAM);
    dir = mkdtempSync(join(tmpdir(), "verify-e2e-"));
    // The real handler; what it logs goes into moto as the Lambda runtime would write it.
    const loggingToMoto: typeof handleTokenRequest = async (event, settings, log, now) => {
      let logged: AttemptRecord | undefined;
      const result = await handleTokenRequest(event, settings, (record) => ((logged = record), log(record)), now);
      invocations += 1;
      if (logged && !dropRecords) {
        await fixture.putInvocation(STREAM, {
          requestId: `lambda-${invocations}`,
          time: new Date(),
          record: logged,
          format: invocations % 2 === 0 ? "json" : "text",
        });
      }
      return result;
    };
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: join(dir, "unused.jsonl"), faults: { handler: loggingToMoto } });
  });

  afterAll(async () => {
    await runtime?.close();
    fixture?.destroy();
    moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const awsEnv = () =>
    scriptEnv({
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      ALEXA_CLIENT_SECRET: CANARY_SECRET,
    });

  test("GIVEN records in both log formats THEN FAITHFUL, exit 0, no canary secret in clear", async () => {
    const run = await runScript("verify", ["--token-url", runtime.url, "--log-group", GROUP, "--client-id", "alexa-skill"], awsEnv());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toContain("FAITHFUL");
    expect(run.stdout).toContain("dummy mode · 6 requests");
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY_SECRET);
  });

  test("GIVEN six requests THEN one FilterLogEvents page sequence finds all six records", async () => {
    const cloudwatch = new CloudWatchSource(logsClientFor(moto.endpoint), GROUP);
    const queries: LogQuery[] = [];
    const counted: LogSource = { query: (query) => (queries.push(query), cloudwatch.query(query)) };
    const report = await runVerify({ tokenUrl: runtime.url, source: counted, waitMs: 10_000 });
    expect(report.verdict).toBe("faithful");
    expect(report.requests).toBe(6);
    expect(queries).toHaveLength(1);
    // A page sequence is as many calls as pages; these six records fit in one.
    expect(cloudwatch.calls).toBe(1);
  });

  test("GIVEN records that never arrive THEN exit 3 after --wait, naming the requests", async () => {
    dropRecords = true;
    try {
      const run = await runScript("verify", ["--token-url", runtime.url, "--log-group", GROUP, "--wait", "2"], awsEnv());
      expect(run.code).toBe(3);
      expect(run.stdout).toContain("UNKNOWN");
      expect(run.stdout).toMatch(/DEPLOY_PATH_RECORDS_NOT_FOUND: No attempt record found in time for 6 request\(s\)/);
    } finally {
      dropRecords = false;
    }
  });

  test("GIVEN a log group that does not exist THEN exit 2 naming it", async () => {
    const run = await runScript("verify", ["--token-url", runtime.url, "--log-group", "/aws/lambda/not-there"], awsEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Log group /aws/lambda/not-there not found in us-east-1");
  });
});

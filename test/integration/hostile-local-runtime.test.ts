/**
 * The hostile token URL of test/support/hostile-upstream.ts behind `npm start` in proxy mode, as
 * a user runs it: npm start (a child process, TOKEN_URL to the hostile server over real HTTPS,
 * its test CA through NODE_EXTRA_CA_CERTS), Alexa-shaped requests carrying canaries as the
 * client secret (HTTP Basic, and in the body), the code and the refresh token; then
 * `npm run logs -- --local` in text, --json, --html and --timeline (text, --json, --html).
 * No canary, issued tokens included, may be readable in any listed encoding in any stdout or
 * stderr, the records file or a page.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { Background, runScript, ScriptRun, scriptEnv, startScript } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { postForm } from "../support/post-form";
import {
  basicAuthorization,
  expectNothingReadable,
  HOSTILE_CLIENT_ID,
  HOSTILE_CODE,
  HOSTILE_REFRESH,
  HOSTILE_SECRET,
  HOSTILE_SHAPES,
  HostileServer,
  ISSUED_ACCESS,
  ISSUED_REFRESH,
  readableCanaries,
  startHostileServer,
} from "../support/hostile-upstream";

const REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
const SHAPE_NAMES = Object.keys(HOSTILE_SHAPES);

/** What Alexa sends for each shape: the code grant with HTTP Basic, the refresh grant with
 * "Credentials in request body". */
const ALEXA_REQUESTS: { body: string; headers: Record<string, string> }[] = [
  {
    body: new URLSearchParams({ grant_type: "authorization_code", code: HOSTILE_CODE, redirect_uri: REDIRECT_URI }).toString(),
    headers: { Authorization: basicAuthorization(HOSTILE_CLIENT_ID, HOSTILE_SECRET) },
  },
  {
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: HOSTILE_REFRESH, client_id: HOSTILE_CLIENT_ID, client_secret: HOSTILE_SECRET }).toString(),
    headers: {},
  },
];

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  return results;
}

describe("no canary readable through npm start (proxy) and logs --local against a hostile token URL", () => {
  jest.setTimeout(240_000);
  let dir: string;
  let upstream: HostileServer;
  let runtime: Background | undefined;
  let recordsFile: string;
  let logsEnv: NodeJS.ProcessEnv;
  const answers: number[] = [];
  // What npm start handed back to "Alexa": the upstream's answers, passed through as a relay does.
  const relayed: Buffer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hostile-local-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    recordsFile = join(dir, "records", "attempts.jsonl");
    upstream = await startHostileServer();
    logsEnv = scriptEnv({ LOCAL_RECORDS_FILE: recordsFile });
    const started = await startScript(
      ["start"],
      scriptEnv({ PORT: "0", TOKEN_URL: upstream.url, LOCAL_RECORDS_FILE: recordsFile, NODE_EXTRA_CA_CERTS: join(dir, "root.pem") }),
      /on (http:\/\/127\.0\.0\.1:\d+\/token)/,
    );
    runtime = started;
    for (const name of SHAPE_NAMES) {
      upstream.shape = HOSTILE_SHAPES[name];
      for (const { body, headers } of ALEXA_REQUESTS) {
        const answer = await postForm(started.match[1], body, headers);
        answers.push(answer.status);
        relayed.push(Buffer.from(JSON.stringify(answer.headers)), answer.body);
      }
    }
    process.kill(started.child.pid!, "SIGTERM"); // Ctrl-C: the records are all written before it exits
    await started.exited;
  });
  afterAll(async () => {
    runtime?.kill();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logs = (args: string[]): Promise<ScriptRun> => runScript("logs", ["--local", ...args], logsEnv);
  const expectClean = (run: ScriptRun) => {
    expectNothingReadable(run.stdout);
    expectNothingReadable(run.stderr);
  };

  test("GIVEN every shape THEN every request reached the hostile server and was recorded once; npm start's lines and the records file hold no canary", () => {
    expect(upstream.received).toBe(SHAPE_NAMES.length * ALEXA_REQUESTS.length);
    expect(answers).toHaveLength(SHAPE_NAMES.length * ALEXA_REQUESTS.length);
    expect(answers.every((status) => status > 0)).toBe(true);
    const bytes = readFileSync(recordsFile);
    expect(bytes.toString("utf8").trimEnd().split("\n")).toHaveLength(SHAPE_NAMES.length * ALEXA_REQUESTS.length);
    expectNothingReadable(bytes);
    expectNothingReadable(runtime!.stdout());
    expectNothingReadable(runtime!.stderr());
    expect(runtime!.stdout()).toMatch(/proxy mode, forwarding to https:\/\/127\.0\.0\.1/);
    // The control: the very answers Alexa got hold the canaries, and the search finds them there.
    const passedThrough = readableCanaries(Buffer.concat(relayed)).join("\n");
    for (const canary of [ISSUED_ACCESS, ISSUED_REFRESH, HOSTILE_REFRESH, HOSTILE_CODE]) expect(passedThrough).toContain(canary);
  });

  test("GIVEN logs --local --json THEN every record, each with its secrets as fingerprints and none readable", async () => {
    const run = await logs(["--json", "--limit", "100"]);
    expectClean(run);
    expect(run.code).toBe(1); // the newest is a failure
    const records: AttemptRecord[] = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(records).toHaveLength(SHAPE_NAMES.length * ALEXA_REQUESTS.length);
    for (const record of records) {
      expect(record.mode).toBe("proxy");
      const secretField = record.request.fields.code ?? record.request.fields.refresh_token;
      expect(secretField).toMatch(/^\[redacted/);
    }
    expect(run.stderr).not.toContain("could not be read");
  });

  test("GIVEN logs --local for each attempt, in text and as a page THEN no canary in any", async () => {
    const ids = readFileSync(recordsFile, "utf8").trimEnd().split("\n").map((line) => (JSON.parse(line) as AttemptRecord).attemptId);
    await inBatches(ids, 4, async (id) => {
      const page = join(dir, `attempt-${id}.html`);
      const run = await logs(["--request-id", id, "--html", page]);
      expectClean(run);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(id);
      expectNothingReadable(readFileSync(page));
    });
    expect(readdirSync(dir).filter((file) => file.startsWith("attempt-"))).toHaveLength(ids.length);
  });

  test("GIVEN logs --local --limit 100 in text THEN every summary line and the newest in full hold no canary", async () => {
    const page = join(dir, "latest.html");
    const run = await logs(["--limit", "100", "--html", page]);
    expectClean(run);
    expect(run.stdout.split("\n").filter((line) => /proxy (authorization_code|refresh_token)/.test(line))).toHaveLength(
      SHAPE_NAMES.length * ALEXA_REQUESTS.length,
    );
    expectNothingReadable(readFileSync(page));
  });

  test("GIVEN logs --local --timeline in text, --json and --html THEN no canary", async () => {
    const page = join(dir, "timeline.html");
    const [text, json, html] = await Promise.all([logs(["--timeline"]), logs(["--timeline", "--json"]), logs(["--timeline", "--html", page])]);
    for (const run of [text, json, html]) {
      expectClean(run);
      expect(run.stdout).not.toBe("");
    }
    for (const line of json.stdout.trimEnd().split("\n")) expect(JSON.parse(line).type).toBe("link-chain");
    expectNothingReadable(readFileSync(page));
  });
});

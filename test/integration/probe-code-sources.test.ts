/**
 * Where the probe takes a real authorization code from: ALEXA_CODE, --code-stdin, or --code
 * (which still works, with a warning like --client-secret's: ps, shell history and npm's echo
 * show a command line). Against a real OAuth server (@node-oauth/oauth2-server) that redeems
 * only the codes it issued: a 200 with tokens proves the code arrived; a made-up code gets
 * invalid_grant. The probe runs as a child process; the code is never printed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { PROJECT_DIR, scriptEnv } from "../support/npm-scripts";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki } from "../support/pki";

const CLIENT_ID = "my-skill";
const SECRET = "CANARY-code-sources-secret-Qe41";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function probe(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/probe.ts", ...args], { cwd: PROJECT_DIR, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

describe("probe: a real authorization code from ALEXA_CODE, --code-stdin or --code", () => {
  jest.setTimeout(60_000);
  let dir: string;
  let upstream: OAuthUpstream;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "probe-code-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    upstream = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    env = scriptEnv({ NODE_EXTRA_CA_CERTS: join(dir, "root.pem"), ALEXA_CLIENT_SECRET: SECRET });
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const flags = () => [upstream.url, "--client-id", CLIENT_ID, "--redirect-uri", ALEXA_REDIRECT_URI];

  function expectRedeemed(run: Run, code: string): AttemptRecord {
    expect(run.stdout + run.stderr).not.toContain(code);
    const record: AttemptRecord = JSON.parse(run.stdout);
    expect(record.upstream?.status).toBe(200); // the server redeemed it: the code arrived
    expect(record.request.fields.code).toBe(fingerprint(code));
    expect(record.findings.map((finding) => finding.code)).not.toContain("OAUTH_INVALID_GRANT");
    return record;
  }

  test("GIVEN --code as an argument THEN it is redeemed, with one warning naming ALEXA_CODE and --code-stdin that does not repeat it", async () => {
    const code = upstream.issueCode();
    const run = await probe([...flags(), "--code", code, "--json"], env);
    expectRedeemed(run, code);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "warning: --code puts the value on the command line, where ps, your shell history and npm's echo of the script line show it; set ALEXA_CODE or use --code-stdin instead.",
    ]);
  });

  test("GIVEN ALEXA_CODE THEN it is redeemed, no warning", async () => {
    const code = upstream.issueCode();
    const run = await probe([...flags(), "--json"], { ...env, ALEXA_CODE: code });
    expectRedeemed(run, code);
    expect(run.stderr).toBe("");
  });

  test("GIVEN --code-stdin THEN the piped code (one trailing newline dropped) is redeemed, no warning, and its fingerprint is shown", async () => {
    const code = upstream.issueCode();
    expectRedeemed(await probe([...flags(), "--code-stdin", "--json"], env, `${code}\n`), code);
    const another = upstream.issueCode();
    const text = await probe([...flags(), "--code-stdin"], env, `${another}\n`);
    expect(text.stderr).toBe("");
    expect(text.stdout).toContain(`code fingerprint: ${fingerprint(another)}`);
    expect(text.stdout).not.toContain(another);
  });

  test("GIVEN no code anywhere THEN the made-up one gets invalid_grant (the control: 200 above means the code arrived)", async () => {
    const run = await probe([...flags(), "--json"], env);
    const record: AttemptRecord = JSON.parse(run.stdout);
    expect(record.upstream?.status).toBe(400);
    expect(record.findings.map((finding) => finding.code)).toContain("OAUTH_INVALID_GRANT");
  });

  test.each([
    [["--code-stdin", "--code", "c"], "--code and --code-stdin both give the authorization code"],
    [["--code-stdin", "--client-secret-stdin"], "Standard input can carry one secret"],
    [["--grant", "refresh_token", "--code-stdin"], "--code-stdin goes with --grant authorization_code"],
  ])("GIVEN %j THEN a usage error, exit 2: %s", async (args, message) => {
    const run = await probe([...flags(), ...args], { ...env, ALEXA_REFRESH_TOKEN: "r" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  test("GIVEN --code-stdin and empty standard input THEN a usage error, exit 2", async () => {
    const run = await probe([...flags(), "--code-stdin"], env, "");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--code-stdin: standard input held no code");
  });
});

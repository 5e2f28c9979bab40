/**
 * README's probe command lines, verbatim, as a user runs them in a shell: through npm, with a
 * canary secret where README says the user puts theirs (ALEXA_CLIENT_SECRET, as README's
 * `read -rs` line sets it, and files piped to --client-secret-stdin / --refresh-token-stdin).
 * Only the example token URL is swapped for a real OAuth server on 127.0.0.1. The canaries
 * must appear nowhere in stdout or stderr, and `--json` stdout must be one JSON document.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki } from "../support/pki";

const PROJECT_DIR = resolve(__dirname, "../..");
const README_TOKEN_URL = "https://auth.example.com/oauth2/token";
const SECRET = "CANARY-readme-secret-Gw52";
const STDIN_SECRET = "CANARY-readme-stdin-secret-Ko18";
const REFRESH = "CANARY-readme-refresh-Tb33";
const CANARIES = [SECRET, STDIN_SECRET, REFRESH];

/** Every line of README's sh blocks that runs the probe against the example token URL. */
function readmeProbeLines(): string[] {
  const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
  return blocks
    .flatMap((block) => block.split("\n"))
    .filter((line) => /^npm run (-s )?probe -- /.test(line) && (line.includes(README_TOKEN_URL) || line.includes("--help")));
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function shell(line: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn("bash", ["-c", line], { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe("README's probe command lines, verbatim", () => {
  jest.setTimeout(120_000);
  const home = mkdtempSync(join(tmpdir(), "readme-home-"));
  let upstream: OAuthUpstream;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    writeFileSync(join(home, "test-root.pem"), testPki().rootCaPem);
    writeFileSync(join(home, ".alexa-client-secret"), `${STDIN_SECRET}\n`);
    writeFileSync(join(home, ".alexa-refresh-token"), `${REFRESH}\n`);
    upstream = await startOAuthServer({
      clientId: "my-skill",
      clientSecret: SECRET,
      tls: { key: testPki().valid.key, cert: testPki().valid.chain },
    });
    env = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, // the test run's fingerprint key (test/setup.ts)
      NODE_EXTRA_CA_CERTS: join(home, "test-root.pem"),
      ALEXA_CLIENT_SECRET: SECRET, // as README's `read -rs ALEXA_CLIENT_SECRET && export …` line leaves it
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("README has the probe lines this suite runs, none with a secret as an argument", () => {
    const lines = readmeProbeLines();
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.some((line) => line.includes("--json"))).toBe(true);
    expect(lines.some((line) => line.includes("--client-secret-stdin"))).toBe(true);
    expect(lines.some((line) => line.includes("--refresh-token-stdin"))).toBe(true);
    for (const line of lines) expect(line).not.toMatch(/--(client-secret|refresh-token) /);
  });

  test.each(readmeProbeLines())("%s", async (line) => {
    const run = await shell(line.replace(README_TOKEN_URL, upstream.url), env);
    for (const canary of CANARIES) {
      expect(run.stdout).not.toContain(canary);
      expect(run.stderr).not.toContain(canary);
    }
    // No npm banner, no warning, nothing; a refresh probe says once, before it sends, that it spends the token.
    if (line.includes("--grant refresh_token")) expect(run.stderr).toMatch(/^note: this probe spends the refresh token[^\n]*\n$/);
    else expect(run.stderr).toBe("");
    if (line.includes("--help")) return expect(run.stdout).toContain("Usage: npm run probe");

    if (line.includes("--json")) {
      const record: AttemptRecord = JSON.parse(run.stdout); // the whole of stdout: one document
      expect(record).toMatchObject({ type: "token-attempt", mode: "probe" });
      expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
      return;
    }
    // The secret the probe used, by its fingerprint: the environment's, or the one piped in.
    const secret = line.includes("--client-secret-stdin") ? STDIN_SECRET : SECRET;
    expect(run.stdout).toContain(`client secret fingerprint: ${fingerprint(secret)}`);
    if (line.includes("--refresh-token-stdin")) expect(run.stdout).toContain(`refresh token fingerprint: ${fingerprint(REFRESH)}`);
    if (!line.includes("-stdin")) expect(run.code).toBe(0); // the right secret: invalid_grant for the made-up code, info
  });

  test("GIVEN --client-secret as an argument THEN it still works, with one warning on stderr that does not repeat it", async () => {
    const run = await shell(`npm run -s probe -- ${upstream.url} --client-id my-skill --client-secret ${SECRET}`, {
      ...env,
      ALEXA_CLIENT_SECRET: undefined,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`client secret fingerprint: ${fingerprint(SECRET)}`);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "warning: --client-secret puts the value on the command line, where ps, your shell history and npm's echo of the script line show it; set ALEXA_CLIENT_SECRET or use --client-secret-stdin instead.",
    ]);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});

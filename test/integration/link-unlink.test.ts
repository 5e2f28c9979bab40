/**
 * `npm run link` and `npm run unlink` as a user runs them: child processes, in a folder of
 * their own holding the deployed stack's Terraform state, against an EMULATOR of Login with
 * Amazon and the Skill Management API (test/support/amazon-emulator.ts). Amazon's services
 * cannot run here, so the emulator is built from their documented contract: ETag/If-Match and
 * 412, PUT replacing the whole configuration, no secret in a GET, wrapped and unwrapped GET
 * bodies, 401/403/404. No secret, refresh token or access token may appear in any output or
 * any file the commands write.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { AmazonEmulator, Settings } from "../support/amazon-emulator";
import { refusedPort } from "../support/tls-servers";

const PROJECT_DIR = resolve(__dirname, "../..");

const SECRET = "CANARY-skill-secret-Qx81";
const OLD_SECRET = "CANARY-old-skill-secret-Lm27";
const LWA = {
  clientId: "amzn1.application-oa2-client.ask-cli",
  clientSecret: "CANARY-lwa-confirmation-Vb40",
  refreshToken: "Atzr|CANARY-ask-refresh-Pn93",
};
const STATIC_ACCESS_TOKEN = "Atza|CANARY-static-access-Kd52";

const DEBUG_URL = "https://abc123defg.execute-api.us-east-1.amazonaws.com/debug/token";
const REAL_TOKEN_URL = "https://auth.example.com/oauth2/token";

/** Every field SMAPI documents, and one it may add tomorrow: none may be dropped. */
function skillSettings(change: Settings = {}): Settings {
  return {
    type: "AUTH_CODE",
    authorizationUrl: "https://auth.example.com/oauth2/authorize",
    domains: ["auth.example.com"],
    clientId: "alexa-skill",
    scopes: ["profile", "offline_access"],
    accessTokenUrl: REAL_TOKEN_URL,
    clientSecret: OLD_SECRET,
    accessTokenScheme: "HTTP_BASIC",
    defaultTokenExpirationInSeconds: 3600,
    reciprocalAccessTokenUrl: "https://auth.example.com/reciprocal",
    redirectUrls: ["https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA"],
    authorizationUrlsByPlatform: [{ platformType: "iOS", platformAuthorizationUrl: "https://auth.example.com/ios" }],
    skipOnEnablement: "true",
    voiceForwardAccountLinking: "ENABLED",
    futureField: { nested: [1, 2, 3] },
    ...change,
  };
}

const withoutSecret = ({ clientSecret: _secret, ...rest }: Settings) => rest;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("npm run link / unlink against an emulator of LWA and SMAPI", () => {
  jest.setTimeout(60_000);
  let emulator: AmazonEmulator;
  let dir: string;
  const outputs: string[] = [];
  let skillNumber = 0;

  beforeAll(async () => {
    emulator = await AmazonEmulator.start(LWA);
    emulator.grantAccessToken(STATIC_ACCESS_TOKEN);
    dir = mkdtempSync(join(tmpdir(), "link-unlink-"));
  });

  afterAll(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    emulator.resetRequests();
    deployed({ mode: "dummy" });
  });

  /** A new skill in the emulator, so that tests share nothing. */
  function newSkill(change: Settings = {}, options: { wrapped?: boolean; foreign?: boolean } = {}): string {
    const skillId = `amzn1.ask.skill.00000000-0000-4000-8000-${String(++skillNumber).padStart(12, "0")}`;
    emulator.addSkill(skillId, skillSettings(change), options);
    return skillId;
  }

  /** The state `cdktf deploy` leaves beside cdktf.json (local backend), outputs and all. */
  function deployed(outputs: { mode: string; upstream?: string; expiresAt?: Date } | null): void {
    const path = join(dir, "terraform.token-url-debugger.tfstate");
    if (outputs === null) return rmSync(path, { force: true });
    const value = (v: string) => ({ value: v, type: "string" });
    writeFileSync(
      path,
      JSON.stringify({
        version: 4,
        terraform_version: "1.11.0",
        serial: 3,
        lineage: "4a6f2c1e-0000-4000-8000-000000000000",
        outputs: {
          token_url: value(DEBUG_URL),
          mode: value(outputs.mode),
          ...(outputs.upstream ? { upstream_token_url: value(outputs.upstream) } : {}),
          // As Terraform's timeadd() writes it.
          ...(outputs.expiresAt ? { expires_at: value(outputs.expiresAt.toISOString().replace(".000Z", "Z")) } : {}),
        },
        resources: [],
      }),
    );
  }

  const askEnv = () => ({
    ASK_REFRESH_TOKEN: LWA.refreshToken,
    ASK_LWA_CLIENT_ID: LWA.clientId,
    ASK_LWA_CLIENT_CONFIRMATION: LWA.clientSecret,
    ASK_SMAPI_SERVER_BASE_URL: emulator.baseUrl,
    ASK_LWA_TOKEN_HOST: emulator.baseUrl,
  });

  function run(command: "link" | "unlink", args: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<Run> {
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [join(PROJECT_DIR, "scripts/launch.js"), command, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, ALEXA_CLIENT_SECRET: SECRET, ...askEnv(), ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.stdin.end(stdin ?? "");
      child.on("close", (code) => {
        outputs.push(stdout, stderr);
        resolvePromise({ code, stdout, stderr });
      });
    });
  }

  const savedFile = (skillId: string) => join(dir, ".local/account-linking", `${skillId}.development.json`);
  const puts = () => emulator.requests.filter((request) => request.method === "PUT");

  /** Refused or failed: exit 2, exactly one line on stderr, and it matches. */
  function expectOneLineRefusal(result: Run, pattern: RegExp): void {
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(pattern) });
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  }

  test("link points the skill at the debugger, changes nothing else, sends the secret, in 3 HTTP calls", async () => {
    deployed({ mode: "proxy", upstream: REAL_TOKEN_URL });
    const skillId = newSkill();
    const before = emulator.stored(skillId);
    const etag = emulator.etagOf(skillId);

    const result = await run("link", ["--skill-id", skillId]);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`accessTokenUrl  ${REAL_TOKEN_URL}\n               →  ${DEBUG_URL}`);
    expect(result.stdout).toContain("nothing else: every other field (13) was sent back as read");
    const after = emulator.stored(skillId);
    expect(after).toEqual({ ...before, accessTokenUrl: DEBUG_URL, clientSecret: SECRET });
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI", "PUT SMAPI"]);
    expect(puts()[0].headers["if-match"]).toBe(etag);
    expect(JSON.parse(puts()[0].body)).toHaveProperty("accountLinkingRequest.clientSecret", SECRET);

    const saved = JSON.parse(readFileSync(savedFile(skillId), "utf8"));
    expect(saved).toMatchObject({ skillId, stage: "development", debugTokenUrl: DEBUG_URL, original: withoutSecret(before) });
    expect(saved.original).not.toHaveProperty("clientSecret");
    expect(statSync(savedFile(skillId)).mode & 0o077).toBe(0); // readable by the user only
    // The same relative path inside the project is git-ignored.
    const ignored = spawnSync("git", ["check-ignore", "-q", relative(dir, savedFile(skillId))], { cwd: PROJECT_DIR });
    expect(ignored.status).toBe(0);

    // A second link writes nothing and keeps the saved original as it was.
    emulator.resetRequests();
    const savedText = readFileSync(savedFile(skillId), "utf8");
    const again = await run("link", ["--skill-id", skillId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already points at the debugger");
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]);
    expect(readFileSync(savedFile(skillId), "utf8")).toBe(savedText);

    // unlink: every field as it was before link (the secret is the one given), file gone.
    emulator.resetRequests();
    const unlink = await run("unlink", ["--skill-id", skillId]);
    expect(unlink.code).toBe(0);
    expect(unlink.stdout).toContain(`accessTokenUrl  ${DEBUG_URL}\n               →  ${REAL_TOKEN_URL}`);
    expect(emulator.stored(skillId)).toEqual({ ...before, clientSecret: SECRET });
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI", "PUT SMAPI"]);
    expect(existsSync(savedFile(skillId))).toBe(false);

    // And once more: nothing saved, so nothing to restore, and no HTTP call.
    emulator.resetRequests();
    expectOneLineRefusal(await run("unlink", ["--skill-id", skillId]), /^No saved settings for skill .*nothing to restore/);
    expect(emulator.calls()).toEqual([]);
  });

  test("the docs' wrapped GET body and the SDK's bare one both link and unlink", async () => {
    for (const wrapped of [true, false]) {
      const skillId = newSkill({}, { wrapped });
      const before = emulator.stored(skillId);
      expect((await run("link", ["--skill-id", skillId])).code).toBe(0);
      expect(emulator.stored(skillId)).toEqual({ ...before, accessTokenUrl: DEBUG_URL, clientSecret: SECRET });
      expect((await run("unlink", ["--skill-id", skillId])).code).toBe(0);
      expect(emulator.stored(skillId)).toEqual({ ...before, clientSecret: SECRET });
    }
  });

  test("a stale ETag writes nothing, and the saved file goes too", async () => {
    const skillId = newSkill();
    emulator.beforeNextPut = () => emulator.editSkill(skillId, { scopes: ["profile"] }); // the console, meanwhile
    const result = await run("link", ["--skill-id", skillId]);
    expectOneLineRefusal(result, /changed by someone else since it was read; nothing written/);
    expect(emulator.stored(skillId)).toEqual(skillSettings({ scopes: ["profile"] }));
    expect(existsSync(savedFile(skillId))).toBe(false);
  });

  test("no answer to the PUT: the saved file stays (the write may have landed), and the line says so", async () => {
    const skillId = newSkill();
    emulator.beforeNextPut = () => "hang-up";
    expectOneLineRefusal(await run("link", ["--skill-id", skillId]), /^No answer from SMAPI at http:\/\/127\.0\.0\.1:\d+ .*may or may not have landed/);
    expect(existsSync(savedFile(skillId))).toBe(true);
    expect(emulator.stored(skillId)).toEqual(skillSettings()); // it did not, this time
    const closed = `http://127.0.0.1:${(await refusedPort()).port}`;
    const unreachable = { ASK_SMAPI_SERVER_BASE_URL: closed, ASK_LWA_TOKEN_HOST: closed };
    expectOneLineRefusal(await run("unlink", ["--skill-id", skillId], unreachable), /^No answer from LWA at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); nothing written\n$/);
    // unlink sees the skill never moved: nothing to do, and the file is kept for the user to judge.
    const unlink = await run("unlink", ["--skill-id", skillId]);
    expect(unlink.code).toBe(0);
    expect(unlink.stdout).toContain("already points at its original Access Token URI");
    expect(puts()).toHaveLength(1);
  });

  test("in proxy mode a skill pointing at another server than TOKEN_URL is refused; --force links it", async () => {
    deployed({ mode: "proxy", upstream: "https://other.example.com/token" });
    const skillId = newSkill();
    const refused = await run("link", ["--skill-id", skillId]);
    expectOneLineRefusal(refused, /wrapper forwards to TOKEN_URL https:\/\/other\.example\.com\/token.*different server.*nothing written/);
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]);
    expect(existsSync(savedFile(skillId))).toBe(false);
    expect(emulator.stored(skillId)).toEqual(skillSettings());

    expect((await run("link", ["--skill-id", skillId, "--force"])).code).toBe(0);
    expect(emulator.stored(skillId).accessTokenUrl).toBe(DEBUG_URL);
  });

  test("an expired or nearly expired debugger is refused before any HTTP call; with time left, link goes on", async () => {
    const skillId = newSkill();
    const inMinutes = (minutes: number) => new Date(Math.floor(Date.now() / 60_000 + minutes) * 60_000);
    deployed({ mode: "dummy", expiresAt: inMinutes(-5) });
    expectOneLineRefusal(
      await run("link", ["--skill-id", skillId, "--dry-run"]),
      /^The debugger expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC: restart its clock first with npm run deploy -- --extend; nothing written\n$/,
    );
    deployed({ mode: "dummy", expiresAt: inMinutes(30) });
    expectOneLineRefusal(await run("link", ["--skill-id", skillId]), /^The debugger expires at .+ UTC, in less than an hour: restart its clock first with npm run deploy -- --extend/);
    expect(emulator.calls()).toEqual([]);
    expect(emulator.stored(skillId)).toEqual(skillSettings());

    deployed({ mode: "dummy", expiresAt: inMinutes(23 * 60) });
    expect((await run("link", ["--skill-id", skillId])).code).toBe(0);
    expect(emulator.stored(skillId).accessTokenUrl).toBe(DEBUG_URL);
  });

  test("--stage live is refused before any HTTP call", async () => {
    const skillId = newSkill();
    for (const command of ["link", "unlink"] as const) {
      expectOneLineRefusal(await run(command, ["--skill-id", skillId, "--stage", "live"]), /--stage "live" refused.*development/);
    }
    expect(emulator.calls()).toEqual([]);
  });

  test("a missing secret is refused before any HTTP call, naming where it comes from", async () => {
    const skillId = newSkill();
    const result = await run("link", ["--skill-id", skillId], { ALEXA_CLIENT_SECRET: undefined });
    expectOneLineRefusal(result, /^No client secret: set ALEXA_CLIENT_SECRET .*--client-secret-stdin/);
    expect(emulator.calls()).toEqual([]);
  });

  test("the secret can come from stdin instead", async () => {
    const skillId = newSkill();
    const result = await run("link", ["--skill-id", skillId, "--client-secret-stdin"], { ALEXA_CLIENT_SECRET: undefined }, `${SECRET}\n`);
    expect(result.code).toBe(0);
    expect(emulator.stored(skillId).clientSecret).toBe(SECRET);
  });

  test("bad LWA credentials, a refused access token, another vendor's skill, no account linking: one line each", async () => {
    const skillId = newSkill();
    expectOneLineRefusal(
      await run("link", ["--skill-id", skillId], { ASK_LWA_CLIENT_CONFIRMATION: "wrong-confirmation" }),
      /^Login with Amazon refused the ASK credentials \(401 invalid_client\)/,
    );
    expectOneLineRefusal(
      await run("link", ["--skill-id", skillId], { ASK_REFRESH_TOKEN: "Atzr|expired" }),
      /^Login with Amazon refused the ASK credentials \(400 invalid_grant\).*refresh token is expired or invalid/,
    );
    expect(emulator.calls()).toEqual(["POST LWA", "POST LWA"]); // nothing reached SMAPI
    const accessOnly = { ASK_REFRESH_TOKEN: undefined, ASK_ACCESS_TOKEN: "Atza|not-a-token" };
    expectOneLineRefusal(await run("link", ["--skill-id", skillId], accessOnly), /^SMAPI refused the access token \(401\)/);
    expectOneLineRefusal(await run("link", ["--skill-id", newSkill({}, { foreign: true })]), /denied access .*\(403\)/);
    expectOneLineRefusal(
      await run("link", ["--skill-id", "amzn1.ask.skill.no-such-skill"]),
      /^SMAPI found no account linking for skill amzn1\.ask\.skill\.no-such-skill, stage development \(404\)/,
    );
    expectOneLineRefusal(
      await run("link", ["--skill-id", skillId], { ASK_REFRESH_TOKEN: undefined }),
      /^No Amazon credentials: set ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION/,
    );
    expect(puts()).toEqual([]);
    expect(emulator.stored(skillId)).toEqual(skillSettings());
  });

  test("ASK_ACCESS_TOKEN alone is used as it is (2 calls); with a refresh token too, the refresh token wins", async () => {
    const skillId = newSkill();
    const accessOnly = { ASK_REFRESH_TOKEN: undefined, ASK_ACCESS_TOKEN: STATIC_ACCESS_TOKEN };
    expect((await run("link", ["--skill-id", skillId], accessOnly)).code).toBe(0);
    expect(emulator.calls()).toEqual(["GET SMAPI", "PUT SMAPI"]);
    emulator.resetRequests();
    expect((await run("unlink", ["--skill-id", skillId], { ASK_ACCESS_TOKEN: "Atza|would-be-refused" })).code).toBe(0);
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI", "PUT SMAPI"]);
  });

  test("--dry-run reads only: settings findings and what would change, no PUT, nothing saved", async () => {
    const skillId = newSkill({
      type: "IMPLICIT",
      authorizationUrl: "https://login.example.net:8443/authorize",
      domains: [],
    });
    const result = await run("link", ["--skill-id", skillId, "--dry-run"], { ALEXA_CLIENT_SECRET: undefined });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Skill settings");
    for (const code of ["SKILL_IMPLICIT_GRANT", "SKILL_URL_NON_STANDARD_PORT", "SKILL_DOMAIN_NOT_LISTED", "SKILL_DEFAULT_TOKEN_EXPIRATION"]) {
      expect(result.stdout).toContain(code);
    }
    expect(result.stdout).toContain(`Would change:\n  accessTokenUrl  ${REAL_TOKEN_URL}\n               →  ${DEBUG_URL}`);
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]);
    expect(existsSync(savedFile(skillId))).toBe(false);

    // unlink --dry-run after a real link: what would change back, nothing written.
    expect((await run("link", ["--skill-id", skillId])).code).toBe(0);
    emulator.resetRequests();
    const dry = await run("unlink", ["--skill-id", skillId, "--dry-run"], { ALEXA_CLIENT_SECRET: undefined });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Would change back:\n  accessTokenUrl  ${DEBUG_URL}\n               →  ${REAL_TOKEN_URL}`);
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]);
    expect(existsSync(savedFile(skillId))).toBe(true);
  });

  test("unlink refuses a skill changed since link; --force restores the saved original", async () => {
    const skillId = newSkill();
    expect((await run("link", ["--skill-id", skillId])).code).toBe(0);
    emulator.editSkill(skillId, { accessTokenUrl: "https://elsewhere.example.com/token" });
    const refused = await run("unlink", ["--skill-id", skillId]);
    expectOneLineRefusal(refused, /points at https:\/\/elsewhere\.example\.com\/token, not at the debugger URL .*--force/);
    expect(puts()).toHaveLength(1); // link's only
    const forced = await run("unlink", ["--skill-id", skillId, "--force"]);
    expect(forced.code).toBe(0);
    expect(emulator.stored(skillId)).toEqual(skillSettings({ clientSecret: SECRET }));
  });

  test("link after the skill moved away from a saved link is refused, not silently re-saved", async () => {
    const skillId = newSkill();
    expect((await run("link", ["--skill-id", skillId])).code).toBe(0);
    emulator.editSkill(skillId, { accessTokenUrl: "https://elsewhere.example.com/token" });
    expectOneLineRefusal(await run("link", ["--skill-id", skillId]), /holds the original from an earlier link.*nothing written/);
    expect(JSON.parse(readFileSync(savedFile(skillId), "utf8")).original.accessTokenUrl).toBe(REAL_TOKEN_URL);
  });

  test("without a deployed stack, link says so before any HTTP call; --token-url goes without one", async () => {
    deployed(null);
    const skillId = newSkill();
    expectOneLineRefusal(await run("link", ["--skill-id", skillId]), /^No deployed stack "token-url-debugger" here .*--token-url/);
    expect(emulator.calls()).toEqual([]);
    const other = "https://tunnel.example.org/token";
    expect((await run("link", ["--skill-id", skillId, "--token-url", other])).code).toBe(0);
    expect(emulator.stored(skillId).accessTokenUrl).toBe(other);
  });

  test("a stray argument or a secret on the command line is refused without echoing it", async () => {
    const skillId = newSkill();
    const stray = await run("link", ["--skill-id", skillId, "CANARY-stray-Zz11"]);
    expectOneLineRefusal(stray, /^Unexpected argument \(1\)/);
    expect(stray.stderr).not.toContain("CANARY-stray-Zz11");
    const flag = await run("link", ["--skill-id", skillId, `--client-secret=${SECRET}`]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--client-secret");
    expect(emulator.calls()).toEqual([]);
  });

  // Last, so that it sees every run above (jest runs a file's tests in order).
  test("no secret, refresh token or access token in any output, or in any file the commands wrote", () => {
    const canaries = [SECRET, OLD_SECRET, LWA.clientSecret, LWA.refreshToken, STATIC_ACCESS_TOKEN, ...emulator.knownAccessTokens()];
    expect(emulator.knownAccessTokens().length).toBeGreaterThan(5); // LWA did issue tokens to look for
    expect(outputs.length).toBeGreaterThan(40);
    const written = filesUnder(dir).filter((path) => !path.endsWith(".tfstate")); // the test's own
    expect(written.some((path) => path.includes(".local/account-linking/"))).toBe(true);
    for (const text of [...outputs, ...written.map((path) => readFileSync(path, "utf8"))]) {
      for (const canary of canaries) expect(text).not.toContain(canary);
    }
  });
});

function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

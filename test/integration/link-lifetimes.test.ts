/**
 * "Will the link last?" against real servers on 127.0.0.1: a real OAuth server library
 * (@node-oauth/oauth2-server) set up as a server whose links die early (expires_in 300, refresh
 * tokens that die after 30 minutes, rotation that revokes the old token at once) and as a
 * healthy one (3600 s, refresh tokens the answer gives no end to, rotation with grace), and a
 * token URL answering as Keycloak does by default (test/support/keycloak-like-server.ts, with
 * its discovery document). The probe runs as a user runs it (a child process, the test CA in
 * NODE_EXTRA_CA_CERTS, the secret and refresh token in the environment); the wrapper runs its
 * handler in-process, and `logs --local --timeline` reads its records as a child process.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { alexaEvent, basicAuth } from "../support/events";
import { KeycloakLike, startKeycloakLike } from "../support/keycloak-like-server";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";

const PROJECT_DIR = resolve(__dirname, "../..");
const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY-lifetime-secret-5Qw7";
const LIFETIME_CODES = [
  "ACCESS_TOKEN_LIFETIME_SHORT",
  "REFRESH_TOKEN_EXPIRES",
  "OFFLINE_ACCESS_NOT_REQUESTED",
  "REFRESH_TOKEN_ROTATED",
  "REFRESH_ROTATION_IMMEDIATE",
];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), "link-lifetimes-"));
const caFile = join(dir, "test-root.pem");
writeFileSync(caFile, testPki().rootCaPem);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
    NODE_EXTRA_CA_CERTS: caFile,
    ALEXA_CLIENT_SECRET: SECRET,
    ...extra,
  };
}

function runNode(script: string, args: string[], childEnv: NodeJS.ProcessEnv, cwd = PROJECT_DIR): Promise<Run> {
  return new Promise((resolvePromise) => {
    // tsx by its full path, so the CLI can run from any folder (one that must stay empty).
    const child = spawn(process.execPath, ["--import", pathToFileURL(require.resolve("tsx")).href, join(PROJECT_DIR, script), ...args], { cwd, env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const probeCli = (args: string[], childEnv: NodeJS.ProcessEnv, cwd?: string) => runNode("scripts/probe.ts", args, childEnv, cwd);

const codesOf = (record: AttemptRecord) => record.findings.map((finding) => finding.code).filter((code) => code !== "NON_STANDARD_PORT");
const lifetimeCodes = (record: AttemptRecord) => codesOf(record).filter((code) => LIFETIME_CODES.includes(code));
const finding = (record: AttemptRecord, code: string) => record.findings.find((candidate) => candidate.code === code);

function expectNoneOf(secrets: readonly string[], ...texts: string[]): void {
  const everything = texts.join("\n");
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) expect(everything).not.toContain(secret);
}

/** Alexa's code exchange, sent straight to the server: the refresh token a user's link holds. */
async function linkedRefreshToken(upstream: OAuthUpstream): Promise<string> {
  const body = new URLSearchParams({ grant_type: "authorization_code", code: upstream.issueCode(), redirect_uri: ALEXA_REDIRECT_URI });
  const answer = await postForm(upstream.url, body.toString());
  expect(answer.status).toBe(200);
  return answer.body.refresh_token as string;
}

async function postForm(url: string, form: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const { request } = await import("node:https");
  return new Promise((resolvePromise, reject) => {
    const outgoing = request(
      url,
      {
        method: "POST",
        ca: trustStore(),
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8", authorization: basicAuth(CLIENT_ID, SECRET) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolvePromise({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(form);
  });
}

const tls = () => ({ key: testPki().valid.key, cert: testPki().valid.chain });

describe("the probe against a real OAuth server whose links die early, and a healthy one", () => {
  jest.setTimeout(60_000);
  let short: OAuthUpstream;
  let healthy: OAuthUpstream;
  beforeAll(async () => {
    // Short access tokens, refresh tokens that die in 30 minutes, rotation that revokes at once.
    short = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: tls(), accessTokenLifetime: 300, refreshTokenLifetime: 1800 });
    // An hour, refresh tokens the answer gives no end to, rotation that keeps the old one valid.
    healthy = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: tls(), rotation: "tolerant" });
  });
  afterAll(async () => {
    await short.close();
    await healthy.close();
  });

  test("GIVEN a real code at the short-lived server THEN ACCESS_TOKEN_LIFETIME_SHORT and REFRESH_TOKEN_EXPIRES with the UTC time the link breaks; one token request", async () => {
    const before = short.tokenRequests.length;
    const run = await probeCli([short.url, "--client-id", CLIENT_ID, "--code", short.issueCode(), "--redirect-uri", ALEXA_REDIRECT_URI, "--json"], env());
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout) as AttemptRecord;
    expect(short.tokenRequests.length - before).toBe(1);
    expect(lifetimeCodes(record)).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES"]);
    // The library answers expires_in as whole seconds left at the time it answers: 300, or 299
    // when a millisecond passed between issuing and answering.
    expect(finding(record, "ACCESS_TOKEN_LIFETIME_SHORT")?.message).toMatch(/lives (299|300) seconds .* at least 360 seconds/);
    const expires = finding(record, "REFRESH_TOKEN_EXPIRES")!;
    expect(expires.message).toContain("30 minutes after this answer (refresh_expires_in 1800)");
    const breaksAt = Date.parse(record.time) + 1_800_000;
    expect(expires.message).toContain(`before ${new Date(breaksAt).toISOString().slice(0, 19).replace("T", " ")}Z`);
    expect(record.lineage?.refreshTokenExpiresAt).toBe(new Date(breaksAt).toISOString());
    expect(record.verdict).toBe("warn");
    expectNoneOf(short.issuedTokens, run.stdout, run.stderr);
  });

  test("GIVEN a real code at the healthy server THEN none of the lifetime findings", async () => {
    const run = await probeCli([healthy.url, "--client-id", CLIENT_ID, "--code", healthy.issueCode(), "--redirect-uri", ALEXA_REDIRECT_URI, "--json"], env());
    const record = JSON.parse(run.stdout) as AttemptRecord;
    expect(record.response.status).toBe(200);
    expect(lifetimeCodes(record)).toEqual([]);
    expect(codesOf(record)).toEqual([]);
  });

  test("GIVEN a plain refresh probe at the rotating server THEN one request, a note on stderr before it, REFRESH_TOKEN_ROTATED, and no token in clear anywhere", async () => {
    const refreshToken = await linkedRefreshToken(short);
    const before = short.tokenRequests.length;
    const html = join(dir, "plain-refresh.html");
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const text = await probeCli([short.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", "--html", html, "--no-color"], env({ ALEXA_REFRESH_TOKEN: refreshToken }), cwd);
    expect(short.tokenRequests.slice(before)).toEqual(["refresh_token"]);
    expect(text.stderr).toMatch(/^note: this probe spends the refresh token: on a server that rotates refresh tokens, the one you passed may not work afterwards\..*--save-tokens FILE/m);
    expect(text.stdout).toContain("REFRESH_TOKEN_ROTATED");
    expect(text.stdout).toContain("the one you passed may no longer work");
    expect(text.stdout).toContain("REFRESH_TOKEN_EXPIRES");
    // Spent: the server revoked it.
    expect((await postForm(short.url, new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString())).status).toBe(400);
    expect(readdirSync(cwd)).toEqual([]); // nothing saved anywhere without --save-tokens
    expectNoneOf([...short.issuedTokens, refreshToken, SECRET], text.stdout, text.stderr, readFileSync(html, "utf8"));
  });

  test("GIVEN --check-rotation --save-tokens at the server that revokes at once THEN exactly two requests, REFRESH_ROTATION_IMMEDIATE, and the tokens only in a 0600 file that works", async () => {
    const refreshToken = await linkedRefreshToken(short);
    const before = short.tokenRequests.length;
    const issuedBefore = short.issuedTokens.length;
    const saved = join(dir, "immediate-tokens.json");
    const html = join(dir, "immediate.html");
    writeFileSync(saved, "an older file, readable by all\n", { mode: 0o644 }); // tightened, not left as it was
    const args = [short.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", "--check-rotation", "--save-tokens", saved];
    const json = await probeCli([...args, "--json", "--html", html], env({ ALEXA_REFRESH_TOKEN: refreshToken }));
    expect(short.tokenRequests.slice(before)).toEqual(["refresh_token", "refresh_token"]);
    expect(json.code).toBe(0);
    const record = JSON.parse(json.stdout) as AttemptRecord;
    expect(lifetimeCodes(record)).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "REFRESH_TOKEN_ROTATED", "REFRESH_ROTATION_IMMEDIATE"]);
    expect(finding(record, "REFRESH_ROTATION_IMMEDIATE")).toMatchObject({ severity: "warning" });
    expect(finding(record, "REFRESH_ROTATION_IMMEDIATE")?.message).toContain("invalid_grant");
    expect(record.rotationCheck?.upstream.status).toBe(400);
    expect(json.stderr).toContain("(twice, with --check-rotation)");
    expect(json.stderr).toContain(`Tokens saved to ${saved} (mode 0600`);

    expect(statSync(saved).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(saved, "utf8"));
    const issued = short.issuedTokens.slice(issuedBefore); // [access, refresh] of the one refresh that succeeded
    expect(issued).toHaveLength(2);
    expect(file.current).toEqual({ access_token: issued[0], refresh_token: issued[1] });
    expect(file.answers.map((answer: { request: string }) => answer.request)).toEqual(["refresh"]);
    // The saved refresh token is the live one: a test user's link can go on with it.
    expect((await postForm(short.url, new URLSearchParams({ grant_type: "refresh_token", refresh_token: file.current.refresh_token }).toString())).status).toBe(200);
    expectNoneOf([...short.issuedTokens, refreshToken, SECRET], json.stdout, json.stderr, readFileSync(html, "utf8"));
  });

  test("GIVEN --check-rotation at the server with grace THEN exactly two requests, REFRESH_ROTATION_TOLERANT, and no lifetime warning", async () => {
    const refreshToken = await linkedRefreshToken(healthy);
    const before = healthy.tokenRequests.length;
    const text = await probeCli([healthy.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", "--check-rotation", "--no-color"], env({ ALEXA_REFRESH_TOKEN: refreshToken }));
    expect(healthy.tokenRequests.slice(before)).toEqual(["refresh_token", "refresh_token"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("REFRESH_ROTATION_TOLERANT");
    expect(text.stdout).toContain("The old refresh token again (--check-rotation)");
    expect(text.stdout).not.toMatch(/REFRESH_ROTATION_IMMEDIATE|ACCESS_TOKEN_LIFETIME_SHORT|REFRESH_TOKEN_EXPIRES|OFFLINE_ACCESS_NOT_REQUESTED/);
    expectNoneOf([...healthy.issuedTokens, refreshToken, SECRET], text.stdout, text.stderr);
  });

  test("GIVEN --check-rotation at a server that does not rotate THEN one request and REFRESH_ROTATION_NOT_CHECKED", async () => {
    const fixed = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: tls(), rotateRefreshTokens: false });
    try {
      const refreshToken = await linkedRefreshToken(fixed);
      const before = fixed.tokenRequests.length;
      const run = await probeCli([fixed.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", "--check-rotation", "--json"], env({ ALEXA_REFRESH_TOKEN: refreshToken }));
      expect(fixed.tokenRequests.length - before).toBe(1);
      const record = JSON.parse(run.stdout) as AttemptRecord;
      expect(codesOf(record)).toEqual(["REFRESH_ROTATION_NOT_CHECKED"]);
      expect(record.rotationCheck).toBeUndefined();
    } finally {
      await fixed.close();
    }
  });

  test("GIVEN --check-rotation without the refresh grant, or --save-tokens into a missing folder THEN a one-line usage error and nothing sent", async () => {
    const before = short.tokenRequests.length;
    const wrongGrant = await probeCli([short.url, "--check-rotation"], env());
    expect(wrongGrant.code).toBe(2);
    expect(wrongGrant.stderr.split("\n")[0]).toBe("--check-rotation goes with --grant refresh_token: it presents the refresh token twice");
    const missing = await probeCli([short.url, "--grant", "refresh_token", "--save-tokens", join(dir, "no-such-folder", "t.json")], env({ ALEXA_REFRESH_TOKEN: "CANARY-unused" }));
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toMatch(/^--save-tokens: the folder .*no-such-folder does not exist$/);
    expect(short.tokenRequests.length).toBe(before);
  });
});

describe("an answer shaped like Keycloak's defaults", () => {
  jest.setTimeout(60_000);
  let keycloak: KeycloakLike;
  beforeAll(async () => {
    keycloak = await startKeycloakLike();
  });
  afterAll(() => keycloak.close());

  test("GIVEN the probe with a code THEN the three lifetime warnings, the metadata found under /realms/demo with its time shown", async () => {
    const run = await probeCli([keycloak.url, "--client-id", CLIENT_ID, "--code", "CANARY-kc-code-1", "--no-color"], env());
    expect(run.code).toBe(0);
    for (const code of ["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED"]) expect(run.stdout).toContain(code);
    expect(run.stdout).toContain(`${keycloak.origin}/realms/demo/.well-known/openid-configuration`);
    expect(run.stdout).toMatch(/\d+ ms/);
    const json = JSON.parse((await probeCli([keycloak.url, "--client-id", CLIENT_ID, "--code", "CANARY-kc-code-2", "--json"], env())).stdout) as AttemptRecord;
    expect(lifetimeCodes(json)).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED"]);
    expect(typeof json.serverMetadata?.timeMs).toBe("number");
    expect(json.serverMetadata?.found?.scopesSupported).toContain("offline_access");
    expectNoneOf(keycloak.issued, run.stdout, run.stderr, JSON.stringify(json));
  });

  test("GIVEN offline_access granted and an offline token (refresh_expires_in 0) THEN only the short access token is left", async () => {
    const offline = await startKeycloakLike({ scope: "offline_access profile", refreshLifetime: 0 });
    try {
      const run = await probeCli([offline.url, "--client-id", CLIENT_ID, "--code", "CANARY-kc-code-3", "--json"], env());
      expect(lifetimeCodes(JSON.parse(run.stdout))).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT"]);
    } finally {
      await offline.close();
    }
  });

  test("GIVEN a refresh probe THEN the JWT refresh token's lifetime is read, and the refresh is one request", async () => {
    const before = keycloak.requests.filter((request) => request.method === "POST").length;
    const run = await probeCli([keycloak.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", "--json"], env({ ALEXA_REFRESH_TOKEN: "CANARY-kc-refresh-1" }));
    expect(keycloak.requests.filter((request) => request.method === "POST").length - before).toBe(1);
    const record = JSON.parse(run.stdout) as AttemptRecord;
    expect(lifetimeCodes(record)).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED", "REFRESH_TOKEN_ROTATED"]);
  });

  test("GIVEN the wrapper in front of it THEN its records carry the findings, and logs --timeline shows when the link breaks, then that it has lapsed", async () => {
    const settings = testSettings({ mode: "proxy", tokenUrl: keycloak.url, trustedCa: trustStore(), serverMetadataLookup: true });
    const records: AttemptRecord[] = [];
    const send = (body: string, receivedAt: Date) =>
      handleTokenRequest(
        alexaEvent({ body, headers: { Authorization: basicAuth(CLIENT_ID, SECRET) }, requestId: crypto.randomUUID(), requestTimeEpoch: receivedAt.getTime() }),
        settings,
        (record) => records.push(record),
        receivedAt,
      );
    // The first request starts the metadata lookup without waiting for it (Alexa's deadline);
    // the next ones have it.
    const first = await send(`grant_type=authorization_code&code=CANARY-kc-code-4&redirect_uri=${encodeURIComponent(ALEXA_REDIRECT_URI)}`, new Date());
    expect(first.statusCode).toBe(200);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 500));
    const refreshToken = JSON.parse(first.body).refresh_token as string;
    const refreshed = await send(`grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`, new Date());
    expect(refreshed.statusCode).toBe(200);
    const [code, refresh] = records;
    expect(lifetimeCodes(code)).toEqual(expect.arrayContaining(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES"]));
    expect(lifetimeCodes(refresh)).toEqual(["ACCESS_TOKEN_LIFETIME_SHORT", "REFRESH_TOKEN_EXPIRES", "OFFLINE_ACCESS_NOT_REQUESTED", "REFRESH_TOKEN_ROTATED"]);
    expect(finding(refresh, "REFRESH_TOKEN_ROTATED")?.message).toContain("Alexa keeps the new one");
    const breaksAt = refresh.lineage?.refreshTokenExpiresAt;
    expect(breaksAt).toEqual(expect.any(String));

    const recordsFile = join(dir, "keycloak-attempts.jsonl");
    writeFileSync(recordsFile, records.map((record) => JSON.stringify(record)).join("\n") + "\n");
    const logsEnv = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, LOCAL_RECORDS_FILE: recordsFile };
    const timeline = await runNode("scripts/logs.ts", ["--local", "--timeline", "--no-color"], logsEnv);
    expect(timeline.code).toBe(0);
    const shown = `${breaksAt!.slice(0, 10)} ${breaksAt!.slice(11, 19)}Z`;
    expect(timeline.stdout).toContain(`healthy until ${shown}: the refresh token dies then unless the skill is used before`);
    const json = await runNode("scripts/logs.ts", ["--local", "--timeline", "--json"], logsEnv);
    expect(JSON.parse(json.stdout.trim()).state).toEqual({ kind: "healthy", refreshTokenExpiresAt: breaksAt });

    // The same records, the refresh token's 30 minutes over: the next refresh is refused.
    const aged = records.map((record) => ({ ...record, time: new Date(Date.parse(record.time) - 31 * 60_000).toISOString(), lineage: record.lineage && { ...record.lineage, ...(record.lineage.refreshTokenExpiresAt && { refreshTokenExpiresAt: new Date(Date.parse(record.lineage.refreshTokenExpiresAt) - 31 * 60_000).toISOString() }) } }));
    writeFileSync(recordsFile, aged.map((record) => JSON.stringify(record)).join("\n") + "\n");
    const lapsed = await runNode("scripts/logs.ts", ["--local", "--timeline", "--no-color"], logsEnv);
    expect(lapsed.code).toBe(1);
    expect(lapsed.stdout).toContain("breaks at the skill's next use: the refresh token Alexa holds died");
    expectNoneOf([...keycloak.issued, SECRET], readFileSync(recordsFile, "utf8"), timeline.stdout, timeline.stderr, json.stdout, lapsed.stdout);
    expect(existsSync(recordsFile)).toBe(true);
  });
});

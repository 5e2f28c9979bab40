/**
 * `npm run probe -- --skill-id`, as a user runs it (a child process): the token URL, client id
 * and scheme come from the skill's development stage, read through an EMULATOR of LWA and
 * SMAPI (Amazon's services cannot run here; test/support/amazon-emulator.ts follows their
 * documented contract), and the token URL is a real HTTPS server on 127.0.0.1: a real OAuth
 * server (@node-oauth/oauth2-server), or one that accepts only HTTP Basic.
 */
import { spawn } from "node:child_process";
import { IncomingMessage } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { parseProbeOptions } from "../../scripts/probe/probe-options";
import { AmazonEmulator } from "../support/amazon-emulator";
import { startAuthorizeServer } from "../support/authorize-servers";
import { OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";
import { commandLine } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");
const CLIENT_ID = "skill-client-7";
const SECRET = "CANARY-probe-skill-secret-Rt63";
const LWA = { clientId: "ask-cli-client", clientSecret: "CANARY-probe-lwa-Gh28", refreshToken: "Atzr|CANARY-probe-refresh-Wq19" };

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("npm run probe -- --skill-id", () => {
  jest.setTimeout(60_000);
  let emulator: AmazonEmulator;
  let oauth: OAuthUpstream;
  let basicOnly: TestServer;
  const received: { authorization?: string; body: string }[] = [];
  const dir = mkdtempSync(join(tmpdir(), "probe-skill-"));
  const caFile = join(dir, "test-root.pem");

  beforeAll(async () => {
    writeFileSync(caFile, testPki().rootCaPem);
    emulator = await AmazonEmulator.start(LWA);
    oauth = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    // A token URL that wants HTTP Basic and refuses credentials in the body, as many do.
    basicOnly = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ authorization: request.headers.authorization, body });
        const basic = request.headers.authorization?.startsWith("Basic ");
        response.writeHead(basic ? 400 : 401, { "Content-Type": "application/json", "Cache-Control": "no-store", ...(basic ? {} : { "WWW-Authenticate": 'Basic realm="oauth"' }) });
        response.end(JSON.stringify({ error: basic ? "invalid_grant" : "invalid_client" }));
      });
    });
  });

  afterAll(async () => {
    await Promise.all([emulator?.stop(), oauth?.close(), basicOnly?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => emulator.resetRequests());

  function probe(args: string[]): Promise<Run> {
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [...commandLine("probe"), ...args], {
        cwd: PROJECT_DIR,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
          NODE_EXTRA_CA_CERTS: caFile,
          ALEXA_CLIENT_SECRET: SECRET,
          ASK_REFRESH_TOKEN: LWA.refreshToken,
          ASK_LWA_CLIENT_ID: LWA.clientId,
          ASK_LWA_CLIENT_CONFIRMATION: LWA.clientSecret,
          ASK_SMAPI_SERVER_BASE_URL: emulator.baseUrl,
          ASK_LWA_TOKEN_HOST: emulator.baseUrl,
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => {
        for (const canary of [SECRET, LWA.clientSecret, LWA.refreshToken, ...emulator.knownAccessTokens()]) {
          expect(stdout + stderr).not.toContain(canary);
        }
        resolvePromise({ code, stdout, stderr });
      });
    });
  }

  const codesOf = (record: AttemptRecord) => record.findings.map((finding) => finding.code);

  test("GIVEN a skill set to request-body credentials at a Basic-only server THEN the probe uses the skill's settings and names the scheme to set", async () => {
    const skillId = "amzn1.ask.skill.probe-0001";
    emulator.addSkill(skillId, {
      type: "AUTH_CODE",
      authorizationUrl: "https://login.example.com/authorize",
      domains: [],
      clientId: CLIENT_ID,
      accessTokenUrl: basicOnly.url,
      accessTokenScheme: "REQUEST_BODY_CREDENTIALS",
      defaultTokenExpirationInSeconds: 3600,
    });
    const run = await probe(["--skill-id", skillId, "--json"]);
    const record: AttemptRecord = JSON.parse(run.stdout);

    expect(record.upstream?.url).toBe(basicOnly.url);
    expect(record.request.clientAuth).toBe("body"); // the skill's scheme, tried first
    expect(record.request.fields.client_id).toBe(CLIENT_ID);
    expect(new URLSearchParams(received[0].body).get("client_id")).toBe(CLIENT_ID);
    expect(received[0].authorization).toBeUndefined();
    expect(codesOf(record)).toEqual(
      expect.arrayContaining(["CLIENT_AUTH_SCHEME_MISMATCH", "SKILL_SCHEME_MISMATCH", "SKILL_URL_NON_STANDARD_PORT", "SKILL_DOMAIN_NOT_LISTED", "SKILL_DEFAULT_TOKEN_EXPIRATION"]),
    );
    const mismatch = record.findings.find((finding) => finding.code === "SKILL_SCHEME_MISMATCH");
    expect(mismatch?.fix).toContain('Set "Your Authentication Scheme" to "HTTP Basic"');
    expect(record.verdict).toBe("fail");
    expect(run.code).toBe(1);
    expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]); // read only
  });

  test("GIVEN the skill points at a real OAuth server THEN its client id and secret get through; the report says where the settings came from", async () => {
    const skillId = "amzn1.ask.skill.probe-0002";
    emulator.addSkill(skillId, { type: "AUTH_CODE", clientId: CLIENT_ID, accessTokenUrl: oauth.url, accessTokenScheme: "HTTP_BASIC" }, { wrapped: true });
    const run = await probe(["--skill-id", skillId, "--no-color"]);
    expect(run.stdout).toContain(`From skill ${skillId} (development): token URL ${oauth.url}, client id ${CLIENT_ID}, scheme basic`);
    expect(run.stdout).toContain("OAUTH_INVALID_GRANT (info)"); // the made-up code, past the client check
    expect(run.stdout).not.toContain("CLIENT_AUTH_REJECTED");
    expect(run.code).toBe(0);
  });

  test("GIVEN --authorize THEN the skill's token URL and authorization URI are probed in one record, with its client id, scopes and vendor id; the unregistered region is named", async () => {
    const skillId = "amzn1.ask.skill.probe-authorize";
    const redirect = (host: string) => `https://${host}/api/skill/link/M2SKILLVENDOR7`;
    const server = await startAuthorizeServer({
      behaviour: "oauth2-server",
      registered: [redirect("pitangui.amazon.com"), redirect("layla.amazon.com")],
      certificate: testPki().valid,
      clientId: CLIENT_ID,
    });
    try {
      emulator.addSkill(skillId, {
        type: "AUTH_CODE",
        authorizationUrl: server.authorizeUrl,
        clientId: CLIENT_ID,
        scopes: ["profile", "email"],
        redirectUrls: ["pitangui.amazon.com", "layla.amazon.com", "alexa.amazon.co.jp"].map(redirect),
        accessTokenUrl: oauth.url,
      });
      const run = await probe(["--skill-id", skillId, "--authorize", "--json"]);
      expect(run.code).toBe(1);
      const record: AttemptRecord = JSON.parse(run.stdout);
      expect(record).toMatchObject({ type: "token-attempt", verdict: "fail" });
      expect(record.upstream?.url).toBe(oauth.url);
      expect(record.request.fields.client_id ?? record.request.headers.authorization).toContain(CLIENT_ID);
      expect(codesOf(record)).toContain("OAUTH_INVALID_GRANT"); // the skill's client and secret got through
      expect(record.authorization).toMatchObject({ url: server.authorizeUrl, clientId: CLIENT_ID, scope: "profile email", vendorId: "M2SKILLVENDOR7" });
      expect(record.authorization?.regions.map((region) => region.standing)).toEqual(["registered", "registered", "rejected"]);
      expect(record.findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_URI_REJECTED")?.fix).toContain(redirect("alexa.amazon.co.jp"));
      expect(emulator.calls()).toEqual(["POST LWA", "GET SMAPI"]); // read only
    } finally {
      await server.close();
    }
  });

  test("GIVEN --authorize and a skill with four redirect URLs (SMAPI's redirectUrls) THEN four checks, one per URL, not a fixed three", async () => {
    const skillId = "amzn1.ask.skill.probe-four-redirects";
    const redirectUrls = [
      "https://pitangui.amazon.com/api/skill/link/M2SKILLVENDOR7",
      "https://layla.amazon.com/api/skill/link/M2SKILLVENDOR7",
      "https://alexa.amazon.co.jp/api/skill/link/M2SKILLVENDOR7",
      "https://pitangui.amazon.com/api/skill/link/M2SECONDVENDOR",
    ];
    const server = await startAuthorizeServer({ behaviour: "oauth2-server", registered: redirectUrls.slice(0, 3), certificate: testPki().valid, clientId: CLIENT_ID });
    try {
      emulator.addSkill(skillId, { type: "AUTH_CODE", authorizationUrl: server.authorizeUrl, clientId: CLIENT_ID, redirectUrls, accessTokenUrl: oauth.url });
      const record: AttemptRecord = JSON.parse((await probe(["--skill-id", skillId, "--authorize", "--json"])).stdout);
      expect(record.authorization?.regions.map((region) => region.redirectUri)).toEqual(redirectUrls);
      expect(record.authorization?.regions.map((region) => region.standing)).toEqual(["registered", "registered", "registered", "rejected"]);
      expect(record.findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_URI_REJECTED")?.fix).toContain(redirectUrls[3]);
    } finally {
      await server.close();
    }
  });

  test("GIVEN a token URL on the command line THEN it overrides the skill's, the client id still comes from the skill", async () => {
    const skillId = "amzn1.ask.skill.probe-0003";
    emulator.addSkill(skillId, { type: "AUTH_CODE", clientId: CLIENT_ID, accessTokenUrl: "https://127.0.0.1:1/unreachable", accessTokenScheme: "HTTP_BASIC" });
    const record: AttemptRecord = JSON.parse((await probe([oauth.url, "--skill-id", skillId, "--json"])).stdout);
    expect(record.upstream?.url).toBe(oauth.url);
    expect(codesOf(record)).toContain("OAUTH_INVALID_GRANT");
    expect(codesOf(record)).not.toContain("CLIENT_AUTH_REJECTED");
  });

  test("GIVEN a skill SMAPI does not know THEN one line, exit 2, and no probe", async () => {
    const run = await probe(["--skill-id", "amzn1.ask.skill.unknown", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^SMAPI found no account linking for skill amzn1\.ask\.skill\.unknown/)]);
  });
});

describe("probe options with --skill-id", () => {
  test("GIVEN only --skill-id THEN the token URL, client id and scheme come from the skill", () => {
    expect(parseProbeOptions(["--skill-id", "amzn1.ask.skill.a"])).toMatchObject({
      tokenUrl: "",
      skill: { skillId: "amzn1.ask.skill.a", takes: ["tokenUrl", "clientId", "auth"] },
    });
  });

  test("GIVEN a token URL, --client-id and --auth too THEN those win and the skill's settings are only checked", () => {
    expect(parseProbeOptions(["https://a/t", "--skill-id", "amzn1.ask.skill.a", "--client-id", "c", "--auth", "body"])).toMatchObject({
      tokenUrl: "https://a/t",
      clientId: "c",
      auth: "body",
      skill: { skillId: "amzn1.ask.skill.a", takes: [] },
    });
  });

  test("GIVEN neither a token URL nor --skill-id THEN the token URL is still missing; a bad skill id is refused", () => {
    expect(() => parseProbeOptions([])).toThrow("Missing the token URL");
    expect(() => parseProbeOptions(["--skill-id", "../../etc"])).toThrow("--skill-id must look like amzn1.ask.skill.<uuid>");
  });
});

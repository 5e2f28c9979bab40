/**
 * `npm run probe -- --authorize-url` against real HTTPS authorization endpoints on 127.0.0.1
 * (test/support/authorize-servers.ts): hand-written servers that answer an unregistered
 * redirect_uri the ways popular OAuth servers do, and the real @node-oauth/oauth2-server
 * authorize handler as a second, independent check. Certificates are made in the test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { alexaRedirectUri, alexaRegions } from "../../functions/token-url/diagnosis/alexa-region";
import { AuthorizeCheckRecord, probeAuthorization } from "../../scripts/probe/authorize-probe";
import { AuthorizeBehaviour, AuthorizeServer, startAuthorizeServer } from "../support/authorize-servers";
import { runNodeScript } from "../support/npm-scripts";
import { OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { LeafCertificate, testPki, trustStore } from "../support/pki";

const VENDOR_ID = "M2AAAAAAAAAAAA";
const CLIENT_ID = "alexa-skill";
const [NA, EU, FE] = alexaRegions().map(({ host }) => alexaRedirectUri(host, VENDOR_ID));

jest.setTimeout(60_000);

const servers: AuthorizeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(
  behaviour: AuthorizeBehaviour,
  registered: readonly string[],
  certificate: LeafCertificate = testPki().valid,
  send: "chain" | "leaf" = "chain",
): Promise<AuthorizeServer> {
  const started = await startAuthorizeServer({ behaviour, registered, certificate, send, clientId: CLIENT_ID });
  servers.push(started);
  return started;
}

async function check(url: string) {
  const { section, findings } = await probeAuthorization(
    { authorizeUrl: url, clientId: CLIENT_ID, vendorId: VENDOR_ID, timeoutMs: 10_000 },
    { trustedCa: trustStore() },
  );
  return {
    section,
    findings,
    // Every test server has a random port.
    codes: findings.map((finding) => finding.code).filter((code) => code !== "NON_STANDARD_PORT"),
    standings: Object.fromEntries(section.regions.map((region) => [region.region, region.standing])),
  };
}

describe.each<AuthorizeBehaviour>(["error page", "error redirect", "oauth2-server"])(
  "GIVEN an authorization server that validates redirect_uri (%s)",
  (behaviour) => {
    test("WHEN it registered North America and Europe only THEN the Far East URL is named as rejected", async () => {
      const { codes, findings, standings } = await check((await server(behaviour, [NA, EU])).authorizeUrl);
      expect(standings).toEqual({ "North America": "registered", Europe: "registered", "Far East": "rejected" });
      expect(codes).toEqual(["AUTHORIZE_REDIRECT_URI_REJECTED"]);
      const rejected = findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_URI_REJECTED")!;
      expect(rejected.severity).toBe("error");
      expect(rejected.message).toContain("Far East");
      expect(rejected.fix).toContain(FE);
      expect(rejected.fix).not.toContain(NA);
    });

    test("WHEN it registered all three THEN every region passes", async () => {
      const { codes, standings } = await check((await server(behaviour, [NA, EU, FE])).authorizeUrl);
      expect(Object.values(standings)).toEqual(["registered", "registered", "registered"]);
      expect(codes).toEqual([]);
    });
  },
);

test("GIVEN a server that redirects an unregistered redirect_uri with ?error= THEN the error is named", async () => {
  const { findings } = await check((await server("error redirect", [NA])).authorizeUrl);
  const rejected = findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_URI_REJECTED")!;
  expect(rejected.message).toContain("error=invalid_request");
  expect(rejected.message).toContain("Europe and Far East");
});

test("GIVEN a server that never checks redirect_uri THEN AUTHORIZE_REDIRECT_UNTESTED (info): the token step will tell", async () => {
  const { codes, findings, standings } = await check((await server("never checks", [])).authorizeUrl);
  expect(Object.values(standings)).toEqual(["untestable", "untestable", "untestable"]);
  expect(codes).toEqual(["AUTHORIZE_REDIRECT_UNTESTED"]);
  expect(findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_UNTESTED")).toMatchObject({ severity: "info" });
});

test("GIVEN the OAuth library redirects back with a code THEN the record holds the code's fingerprint only", async () => {
  const { section } = await check((await server("oauth2-server", [NA, EU, FE])).authorizeUrl);
  const location = section.regions[0].answer.location!;
  expect(location.startsWith(NA)).toBe(true);
  const code = new URL(location).searchParams.get("code");
  expect(code).toMatch(/^\[redacted len=\d+ hmac=[0-9a-f]{12}\]$/);
});

describe("GIVEN a certificate fault on the authorization URI", () => {
  test.each<[string, () => LeafCertificate, "chain" | "leaf", string]>([
    ["expired", () => testPki().expired, "chain", "TLS_CERT_EXPIRED"],
    ["self-signed", () => testPki().selfSigned, "chain", "TLS_SELF_SIGNED"],
    ["leaf-only", () => testPki().valid, "leaf", "TLS_INCOMPLETE_CHAIN"],
  ])("WHEN it is %s THEN it is named for the authorization URI", async (_, certificate, send, code) => {
    const { codes, findings, standings } = await check((await server("error page", [NA], certificate(), send)).authorizeUrl);
    expect(codes).toEqual([code]);
    expect(findings.find((finding) => finding.code === code)!.message).toContain("authorization URI");
    // Nothing was sent past the bad certificate, so no region can be judged.
    expect(Object.values(standings)).toEqual(["untestable", "untestable", "untestable"]);
  });
});

describe("npm run probe -- --authorize-url, as a user runs it", () => {
  let caDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    caDir = mkdtempSync(join(tmpdir(), "probe-authorize-ca-"));
    writeFileSync(join(caDir, "test-root.pem"), testPki().rootCaPem);
    env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? "", NODE_EXTRA_CA_CERTS: join(caDir, "test-root.pem") };
  });
  afterAll(() => rmSync(caDir, { recursive: true, force: true }));

  const runCli = (args: string[], extraEnv: Record<string, string> = {}) => runNodeScript("scripts/probe.ts", args, { ...env, ...extraEnv });

  test("GIVEN the NA+EU-only server THEN exit 1 and one line per region, the Far East one rejected", async () => {
    const { authorizeUrl } = await server("error page", [NA, EU]);
    const run = await runCli(["--authorize-url", authorizeUrl, "--client-id", CLIENT_ID, "--vendor-id", VENDOR_ID, "--no-color"]);
    expect(run).toMatchObject({ code: 1, stderr: "" });
    expect(run.stdout).toMatch(/North America\s+✓ registered/);
    expect(run.stdout).toMatch(/Europe\s+✓ registered/);
    expect(run.stdout).toMatch(/Far East\s+✗ rejected/);
    expect(run.stdout).toContain("Authorization URI");
    expect(run.stdout).toContain(`AUTHORIZE_REDIRECT_URI_REJECTED (error)`);
    expect(run.stdout).toContain(FE);
  });

  test("GIVEN all three registered and --json THEN one authorize-check record, exit 0", async () => {
    const { authorizeUrl } = await server("oauth2-server", [NA, EU, FE]);
    const run = await runCli(["--authorize-url", authorizeUrl, "--client-id", CLIENT_ID, "--vendor-id", VENDOR_ID, "--json"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.split("\n")).toHaveLength(2);
    const record: AuthorizeCheckRecord = JSON.parse(run.stdout);
    expect(record).toMatchObject({ type: "authorize-check", version: 1, mode: "probe", verdict: "warn" });
    expect(record.authorization.regions.map((region) => region.standing)).toEqual(["registered", "registered", "registered"]);
    expect(record.findings.map((finding) => finding.code)).toEqual(["NON_STANDARD_PORT"]);
  });

  test.each([
    [["--authorize-url", "ftp://auth.example.com/authorize"], "--authorize-url must be an http(s) URL"],
    [["--authorize"], "--authorize takes the authorization URI from the skill"],
    [["https://auth.example.com/token", "--authorize-url", "https://auth.example.com/authorize", "--vendor-id", ""], "--vendor-id must be"],
    [["https://auth.example.com/token", "--scope", "profile"], "--scope goes with --authorize-url"],
    [["--authorize-url", "https://auth.example.com/authorize", "--vendor-id", "M2/../x"], "--vendor-id must be"],
  ])("GIVEN %j THEN exit 2 with one clear line", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toContain(message);
  });

  test("GIVEN --html THEN the authorization check alone is written as a page too", async () => {
    const { authorizeUrl } = await server("error page", [NA, EU]);
    const page = join(caDir, "authorize.html");
    const run = await runCli(["--authorize-url", authorizeUrl, "--client-id", CLIENT_ID, "--vendor-id", VENDOR_ID, "--html", page]);
    expect(run.code).toBe(1);
    const html = readFileSync(page, "utf8");
    expect(html).toContain('<section id="authorization-uri">');
    expect(html).toContain("✗ rejected");
    expect(html).toContain('data-code="AUTHORIZE_REDIRECT_URI_REJECTED"');
    expect(html).not.toContain("If linking still fails");
  });

  describe("GIVEN a token URL (the real OAuth server library) and --authorize-url in one run", () => {
    const SECRET = "CANARY-authorize-token-secret-Pq42";
    let token: OAuthUpstream;
    beforeAll(async () => {
      token = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: SECRET, tls: { key: testPki().valid.key, cert: testPki().valid.chain } });
    });
    afterAll(() => token.close());
    const both = (authorizeUrl: string, more: string[] = []) =>
      runCli([token.url, "--authorize-url", authorizeUrl, "--client-id", CLIENT_ID, "--vendor-id", VENDOR_ID, ...more], { ALEXA_CLIENT_SECRET: SECRET });

    test("WHEN the authorization server registered NA and EU only THEN one token record, its findings and verdict cover both, exit 1", async () => {
      const run = await both((await server("error page", [NA, EU])).authorizeUrl, ["--json"]);
      expect(run).toMatchObject({ code: 1, stderr: "" });
      expect(run.stdout.split("\n")).toHaveLength(2);
      expect(run.stdout).not.toContain(SECRET);
      const record: AttemptRecord = JSON.parse(run.stdout);
      expect(record).toMatchObject({ type: "token-attempt", mode: "probe", verdict: "fail" });
      expect(record.upstream?.url).toBe(token.url);
      expect(record.authorization?.regions.map((region) => region.standing)).toEqual(["registered", "registered", "rejected"]);
      const codes = record.findings.map((finding) => finding.code);
      // The token URL's findings first, then the authorization URI's.
      expect(codes.filter((code) => code !== "NON_STANDARD_PORT")).toEqual(["OAUTH_INVALID_GRANT", "AUTHORIZE_REDIRECT_URI_REJECTED"]);
      expect(record.findings.find((finding) => finding.code === "AUTHORIZE_REDIRECT_URI_REJECTED")!.fix).toContain(FE);
    });

    test("WHEN it registered all three THEN the terminal report has the Authorization URI section, the HTML page too, exit 0", async () => {
      const page = join(caDir, "both.html");
      const run = await both((await server("oauth2-server", [NA, EU, FE])).authorizeUrl, ["--no-color", "--html", page]);
      expect(run.code).toBe(0);
      const sections = run.stdout.split("\n\n");
      const authorization = sections.find((section) => section.startsWith("Authorization URI\n"));
      expect(authorization).toBeDefined();
      expect(authorization).toMatch(/North America\s+✓ registered/);
      expect(authorization).toMatch(/Europe\s+✓ registered/);
      expect(authorization).toMatch(/Far East\s+✓ registered/);
      expect(authorization).toContain("TLSv1.3, certificate trusted");
      expect(run.stdout).toContain("OAUTH_INVALID_GRANT (info)");
      expect(run.stdout).toMatch(/^Upstream$/m);
      const html = readFileSync(page, "utf8");
      expect(html).toContain('<section id="authorization-uri">');
      expect((html.match(/✓ registered/g) ?? []).length).toBe(3);
      // The client secret canary: in neither output nor the page.
      for (const text of [run.stdout, run.stderr, html]) expect(text).not.toContain(SECRET);
    });

    test("WHEN --scope is given without --authorize-url THEN exit 2 and nothing is probed", async () => {
      const run = await runCli([token.url, "--scope", "profile"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.split("\n")[0]).toBe("--scope goes with --authorize-url");
    });
  });
});

/**
 * `npm run probe` against real servers on 127.0.0.1: HTTPS with certificates made in the test
 * (test/support/pki.ts), token URLs that answer the ways real ones break, and a real OAuth 2.0
 * server. Most cases call runProbe in-process; a few run the CLI as a user does, trusting the
 * test CA through NODE_EXTRA_CA_CERTS. No secret passed to the probe may reach any output.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { verdictOf } from "../../functions/token-url/diagnosis/finding";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { UsageError } from "../../scripts/cli/usage-error";
import { DEFAULT_REDIRECT_URI, parseProbeOptions, ProbeOptions } from "../../scripts/probe/probe-options";
import { runProbe } from "../../scripts/probe/run-probe";
import { ALEXA_REDIRECT_URI, OAuthUpstream, startOAuthServer } from "../support/oauth-server";
import { testPki, trustStore } from "../support/pki";
import {
  refusedPort,
  startHttpsServer,
  startPlainHttpServer,
  startSilentTcpServer,
  startTls11OnlyServer,
  TestServer,
} from "../support/tls-servers";
import { AnswerChanges, answerWith, healthy, httpsWith } from "../support/token-answers";
import { commandLine } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");
const CLIENT_ID = "alexa-skill";
// Every character that RFC 6749 §2.3.1's form-encoding inside HTTP Basic exists for.
const SECRET = "CANARY-probe+secret/=%:4Rk";
const SECRET_FORM_ENCODED = "CANARY-probe%2Bsecret%2F%3D%25%3A4Rk";
const CODE = "CANARY-probe-code-Wd72";
const REFRESH = "CANARY-probe-refresh-Hn05";
const TOKEN = {
  access_token: "CANARY-probe-access-Zq38",
  token_type: "Bearer",
  expires_in: 3600,
  refresh_token: "CANARY-probe-refresh-answer-Ty61",
};
const CANARIES = [SECRET, SECRET_FORM_ENCODED, CODE, REFRESH, TOKEN.access_token, TOKEN.refresh_token];
const ALEXA_FLAGS = ["--client-id", CLIENT_ID, "--client-secret", SECRET, "--code", CODE];
// As a user runs the CLI: the secret and the code in the environment (env below), never on
// the command line.
const CLI_FLAGS = ["--client-id", CLIENT_ID];


interface Probed {
  readonly record: AttemptRecord;
  /** Finding codes apart from NON_STANDARD_PORT (every test server has a random port). */
  readonly codes: string[];
}

const withoutPort = (record: AttemptRecord) =>
  record.findings.filter((finding) => finding.code !== "NON_STANDARD_PORT");

function options(argv: string[]): ProbeOptions {
  const parsed = parseProbeOptions(argv);
  if (parsed === "help") throw new Error("unexpected --help");
  return parsed;
}

/** runProbe in-process, with the command line a user would type; checks no secret leaked. */
async function probe(url: string, ...flags: string[]): Promise<Probed> {
  const record = await runProbe(options([url, ...flags]), { trustedCa: trustStore() });
  expectNoCanary(JSON.stringify(record));
  return { record, codes: withoutPort(record).map((finding) => finding.code) };
}

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary);
}

interface Received {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A healthy token URL that keeps every request it got, byte for byte. */
async function startRecordingServer(): Promise<TestServer & { received: Received[] }> {
  const received: Received[] = [];
  const server = await healthy((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200, {
        "Content-Type": "application/json;charset=UTF-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
      });
      response.end(JSON.stringify(TOKEN));
    });
  })();
  return { ...server, received };
}

interface Case {
  readonly name: string;
  readonly start: () => Promise<Pick<TestServer, "url" | "close">>;
  readonly flags?: string[];
  readonly codes: string[];
  readonly check?: (record: AttemptRecord) => void;
}

const tokenAnswer = (changes?: AnswerChanges) => answerWith(TOKEN, changes);

const refused = async () => ({ ...(await refusedPort()), close: async () => undefined });
const findingOf = (record: AttemptRecord, code: string) => record.findings.find((finding) => finding.code === code);

const cases: Case[] = [
  {
    name: "a healthy token URL",
    start: healthy(tokenAnswer()),
    codes: [],
    check: (record) => {
      expect(record).toMatchObject({ type: "token-attempt", version: 1, mode: "probe", verdict: "warn" });
      expect(record.attemptId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(record.response).toEqual({ status: 200, contentType: "application/json;charset=UTF-8" });
      expect(record.upstream?.tls).toMatchObject({ protocol: "TLSv1.3", authorized: true, bypassed: false });
      expect(record.request).toMatchObject({
        clientAuth: "basic",
        grantType: "authorization_code",
        contentType: "application/x-www-form-urlencoded;charset=UTF-8",
        sourceIp: null,
        fields: { grant_type: "authorization_code", code: fingerprint(CODE), redirect_uri: DEFAULT_REDIRECT_URI },
        duplicateFields: [],
      });
      expect(record.request.headers.authorization).toBe(
        `Basic client_id="${CLIENT_ID}" client_secret=${fingerprint(SECRET)}`,
      );
      expect(record.upstream?.body).toContain(fingerprint(TOKEN.access_token));
    },
  },
  {
    name: "a server that offers TLS 1.2 only",
    start: () =>
      startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain, maxVersion: "TLSv1.2" }, tokenAnswer()),
    codes: [],
    check: (record) => expect(record.upstream?.tls?.protocol).toBe("TLSv1.2"),
  },
  {
    name: "a server that offers TLS 1.3 only",
    start: () =>
      startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain, minVersion: "TLSv1.3" }, tokenAnswer()),
    codes: ["TLS12_NOT_OFFERED"],
    check: (record) => {
      expect(record.verdict).toBe("fail");
      expect(record.upstream?.tls?.protocol).toBe("TLSv1.3");
      expect(findingOf(record, "TLS12_NOT_OFFERED")).toMatchObject({
        severity: "error",
        message: expect.stringMatching(/Alexa's client negotiates TLS 1\.2/),
      });
      expect(findingOf(record, "TLS12_NOT_OFFERED")?.fix).toMatch(/TLS 1\.2 alongside TLS 1\.3/);
    },
  },
  { name: "an expired certificate", start: httpsWith(testPki().expired, tokenAnswer()), codes: ["TLS_CERT_EXPIRED"] },
  {
    name: "a certificate for another host name",
    start: httpsWith(testPki().wrongHost, tokenAnswer()),
    codes: ["TLS_HOSTNAME_MISMATCH"],
  },
  {
    name: "a self-signed certificate",
    start: httpsWith(testPki().selfSigned, tokenAnswer()),
    codes: ["TLS_SELF_SIGNED"],
  },
  {
    name: "a server that sends its leaf without the intermediate",
    start: httpsWith(testPki().valid, tokenAnswer(), false),
    codes: ["TLS_INCOMPLETE_CHAIN"],
    check: (record) => expect(record.upstream?.tls?.chain).toHaveLength(1),
  },
  {
    name: "a TLS 1.1-only server",
    start: () => startTls11OnlyServer(tokenAnswer()),
    codes: ["TLS_PROTOCOL_UNSUPPORTED"],
  },
  {
    name: "a 302 redirect",
    start: healthy(
      tokenAnswer({
        status: 302,
        headers: { Location: "https://login.example.com/", "Content-Type": "text/html" },
        body: "",
      }),
    ),
    codes: ["HTTP_REDIRECT"],
  },
  {
    name: "a 403 page from Cloudflare",
    start: healthy(
      tokenAnswer({
        status: 403,
        headers: { "Content-Type": "text/html", Server: "cloudflare", "CF-RAY": "8a1b2c3d4e5f-FRA" },
        body: "<html><title>Attention Required! | Cloudflare</title></html>",
      }),
    ),
    // A plain block (no challenge): Cloudflare named in front, its settings in the fix.
    codes: ["HTTP_FORBIDDEN", "SERVER_IDENTIFIED"],
    check: (record) => expect(findingOf(record, "HTTP_FORBIDDEN")?.message).toMatch(/Cloudflare/),
  },
  {
    name: "a 404",
    start: healthy(tokenAnswer({ status: 404, headers: { "Content-Type": "text/html" }, body: "Not Found" })),
    codes: ["HTTP_NOT_FOUND"],
  },
  {
    name: "a 500 with an HTML error page",
    start: healthy(
      tokenAnswer({ status: 500, headers: { "Content-Type": "text/html" }, body: "<h1>Internal Server Error</h1>" }),
    ),
    codes: ["HTTP_SERVER_ERROR", "OAUTH_ERROR_NOT_JSON"],
  },
  {
    name: "401 invalid_client",
    start: healthy(
      tokenAnswer({
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="oauth"' },
        body: JSON.stringify({ error: "invalid_client" }),
      }),
    ),
    codes: ["CLIENT_AUTH_REJECTED"],
    check: (record) => expect(findingOf(record, "CLIENT_AUTH_REJECTED")?.message).toMatch(/HTTP Basic/),
  },
  {
    name: "an HTML login page with 200",
    start: healthy(
      tokenAnswer({
        headers: { "Content-Type": "text/html; charset=utf-8" },
        body: "<!DOCTYPE html><html><body>Sign in</body></html>",
      }),
    ),
    codes: ["CONTENT_TYPE_NOT_JSON", "BODY_NOT_JSON"],
  },
  {
    name: 'expires_in as the string "3600"',
    start: healthy(tokenAnswer({ body: JSON.stringify({ ...TOKEN, expires_in: "3600" }) })),
    codes: ["EXPIRES_IN_NOT_NUMBER"],
    check: (record) => expect(record.verdict).toBe("warn"),
  },
  {
    name: "a body with a byte-order mark",
    start: healthy(tokenAnswer({ body: `\uFEFF${JSON.stringify(TOKEN)}` })),
    codes: ["BODY_HAS_BOM"],
  },
  {
    name: "a port that refuses",
    start: refused,
    codes: ["CONNECTION_REFUSED"],
    check: (record) => expect(record.response).toEqual({ status: 0, contentType: null }),
  },
  {
    name: "a server that never completes the TLS handshake, with --timeout-ms 300",
    start: startSilentTcpServer,
    flags: ["--timeout-ms", "300"],
    codes: ["TLS_HANDSHAKE_TIMEOUT"],
    check: (record) => expect(record.upstream?.timings.totalMs).toBeLessThan(2_000),
  },
  {
    name: "a server that never answers the POST, with --timeout-ms 400",
    start: healthy(() => undefined),
    flags: ["--timeout-ms", "400"],
    codes: ["RESPONSE_TIMEOUT"],
    check: (record) => {
      expect(record.response).toEqual({ status: 0, contentType: null });
      expect(record.upstream?.timings.totalMs).toBeLessThan(2_000);
    },
  },
  {
    name: "a plain http token URL",
    start: async () => {
      const server = await startPlainHttpServer(tokenAnswer());
      return { url: server.url.replace("https:", "http:"), close: server.close };
    },
    codes: ["NOT_HTTPS"],
    check: (record) => expect(record.upstream?.tls).toBeNull(),
  },
];

describe("npm run probe against real token URLs", () => {
  beforeAll(() => testPki()); // build the certificates before any timing-sensitive case

  test.each(cases)("GIVEN $name", async ({ start, flags = [], codes, check }) => {
    const server = await start();
    try {
      const { record, codes: found } = await probe(server.url, ...ALEXA_FLAGS, ...flags);
      expect(found).toEqual(codes);
      for (const finding of record.findings) {
        expect(finding.message.length).toBeGreaterThan(10);
        expect(finding.fix.length).toBeGreaterThan(10);
      }
      check?.(record);
    } finally {
      await server.close();
    }
  });
});

describe("what the token URL receives from the probe", () => {
  let server: TestServer & { received: Received[] };
  beforeAll(async () => (server = await startRecordingServer()));
  afterAll(() => server.close());

  async function sent(...flags: string[]): Promise<Received> {
    server.received.length = 0;
    await probe(server.url, "--client-id", CLIENT_ID, ...flags);
    // The token request; the rest are the metadata lookup's GETs of /.well-known documents.
    const tokenRequests = server.received.filter((request) => request.method === "POST");
    expect(tokenRequests).toHaveLength(1);
    expect(server.received.filter((request) => request.method !== "POST").every((request) => request.url?.includes("/.well-known/"))).toBe(true);
    return tokenRequests[0];
  }

  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const redirect = "redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2PROBEPROBEPR";

  test("GIVEN the defaults THEN an Alexa-shaped POST with HTTP Basic, id and secret form-encoded before base64 (RFC 6749 §2.3.1)", async () => {
    const received = await sent("--client-secret", SECRET, "--code", CODE);
    expect(received.method).toBe("POST");
    expect(received.url).toBe("/oauth/token");
    expect(received.body).toBe(`grant_type=authorization_code&code=${CODE}&${redirect}`);
    expect(received.headers).toEqual({
      authorization: `Basic ${base64(`alexa-skill:${SECRET_FORM_ENCODED}`)}`,
      "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
      accept: "application/json",
      "user-agent": "Apache-HttpClient/4.5.14 (Java/17.0.15)",
      host: new URL(server.url).host,
      "content-length": String(received.body.length),
      connection: expect.any(String),
    });
  });

  test("GIVEN --auth body THEN client_id and client_secret are form fields and there is no Authorization header", async () => {
    const received = await sent("--client-secret", SECRET, "--code", CODE, "--auth", "body");
    expect(received.body).toBe(
      `grant_type=authorization_code&code=${CODE}&${redirect}&client_id=alexa-skill&client_secret=${SECRET_FORM_ENCODED}`,
    );
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });

  test("GIVEN --grant refresh_token THEN grant_type=refresh_token with the refresh token and no code or redirect_uri", async () => {
    const received = await sent(
      "--client-secret",
      SECRET,
      "--auth",
      "body",
      "--grant",
      "refresh_token",
      "--refresh-token",
      REFRESH,
    );
    expect(received.body).toBe(
      `grant_type=refresh_token&refresh_token=${REFRESH}&client_id=alexa-skill&client_secret=${SECRET_FORM_ENCODED}`,
    );
  });

  test("GIVEN no --client-secret THEN each scheme still identifies the client, with an empty secret", async () => {
    expect((await sent()).headers.authorization).toBe(`Basic ${base64("alexa-skill:")}`);
    expect((await sent("--auth", "body")).body).toBe(
      `grant_type=authorization_code&code=alexa-probe-made-up-code&${redirect}&client_id=alexa-skill&client_secret=`,
    );
  });

  test("GIVEN a client id with a space and a colon THEN Basic form-encodes it too", async () => {
    server.received.length = 0;
    await probe(server.url, "--client-id", "amzn skill:1", "--client-secret", SECRET);
    expect(server.received[0].headers.authorization).toBe(`Basic ${base64(`amzn+skill%3A1:${SECRET_FORM_ENCODED}`)}`);
  });
});

describe("the TLS 1.2 check", () => {
  test("GIVEN a healthy server THEN it is one extra handshake capped at TLS 1.2, with no HTTP request", async () => {
    const { createServer } = await import("node:https");
    const protocols: (string | null)[] = [];
    let requests = 0;
    const server = createServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request, response) => {
      // The metadata lookup's GETs (a real code was given) are not token requests.
      if (request.method === "POST") requests += 1;
      tokenAnswer()(request, response);
    });
    server.on("secureConnection", (socket) => protocols.push(socket.getProtocol()));
    await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
    try {
      const { port } = server.address() as { port: number };
      const { codes } = await probe(`https://127.0.0.1:${port}/oauth/token`, ...ALEXA_FLAGS);
      expect(codes).toEqual([]);
      // The token request's handshake, the capped one, and the metadata lookup's (TLS 1.3).
      expect(protocols.filter((protocol) => protocol === "TLSv1.2")).toHaveLength(1);
      expect(protocols[0]).toBe("TLSv1.3");
      expect(requests).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolvePromise) => server.close(resolvePromise));
    }
  });
});

describe("npm run probe against a real OAuth server", () => {
  const OAUTH_SECRET = "CANARY-oauth-probe-secret-8Lp2"; // @node-oauth/oauth2-server does not form-decode Basic
  let upstream: OAuthUpstream;
  beforeAll(async () => {
    upstream = await startOAuthServer({
      clientId: CLIENT_ID,
      clientSecret: OAUTH_SECRET,
      tls: { key: testPki().valid.key, cert: testPki().valid.chain },
    });
  });
  afterAll(() => upstream.close());

  const asAlexa = ["--client-id", CLIENT_ID, "--client-secret", OAUTH_SECRET];

  /** What Alexa's client would do with a fresh code: redeem it, returning the tokens in clear. */
  function redeem(code: string): Promise<{ refresh_token: string }> {
    const body = new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: ALEXA_REDIRECT_URI,
      client_id: CLIENT_ID,
      client_secret: OAUTH_SECRET,
    }).toString();
    return new Promise((resolvePromise, reject) => {
      const request = httpsRequest(
        upstream.url,
        { method: "POST", ca: trustStore(), headers: { "content-type": "application/x-www-form-urlencoded" } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolvePromise(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  test("GIVEN the made-up code THEN OAUTH_INVALID_GRANT is info and the verdict passes", async () => {
    const { record, codes } = await probe(upstream.url, ...asAlexa);
    expect(codes).toEqual(["OAUTH_INVALID_GRANT"]);
    expect(findingOf(record, "OAUTH_INVALID_GRANT")).toMatchObject({
      severity: "info",
      message: expect.stringMatching(/Expected for a probe/),
    });
    expect(verdictOf(withoutPort(record))).toBe("pass");
    expect(record.verdict).toBe("warn"); // NON_STANDARD_PORT: a test server cannot listen on 443
    expect(record.response).toEqual({ status: 400, contentType: "application/json;charset=UTF-8" });
  });

  test.each(["basic", "body"] as const)(
    "GIVEN a real code, its redirect_uri and the right secret with --auth %s THEN tokens come back",
    async (auth) => {
      const code = upstream.issueCode();
      const { record, codes } = await probe(
        upstream.url,
        ...asAlexa,
        "--auth",
        auth,
        "--code",
        code,
        "--redirect-uri",
        ALEXA_REDIRECT_URI,
      );
      expect(codes).toEqual([]);
      expect(record.upstream?.status).toBe(200);
      expect(record.request.clientAuth).toBe(auth);
      expect(JSON.parse(record.upstream!.body)).toMatchObject({
        token_type: "Bearer",
        expires_in: expect.any(Number), // the library counts down: 3600 or 3599
        access_token: expect.stringMatching(/^\[redacted len=/),
      });
      expect(JSON.stringify(record)).not.toContain(code);
    },
  );

  test("GIVEN a wrong secret THEN CLIENT_AUTH_REJECTED", async () => {
    const { record, codes } = await probe(upstream.url, "--client-id", CLIENT_ID, "--client-secret", SECRET);
    expect(codes).toEqual(["CLIENT_AUTH_REJECTED"]);
    expect(record.verdict).toBe("fail");
  });

  // The library refuses an empty Basic secret as a malformed request, an empty body one as a bad client.
  test.each([
    ["basic", "OAUTH_INVALID_REQUEST"],
    ["body", "CLIENT_AUTH_REJECTED"],
  ])("GIVEN no secret with --auth %s THEN %s, explained by PROBE_NO_CLIENT_SECRET", async (auth, refusal) => {
    const { record, codes } = await probe(upstream.url, "--client-id", CLIENT_ID, "--auth", auth);
    expect(codes).toEqual([refusal, "PROBE_NO_CLIENT_SECRET"]);
    expect(record.verdict).toBe("fail");
    expect(findingOf(record, "PROBE_NO_CLIENT_SECRET")?.severity).toBe("info");
  });

  test("GIVEN --grant refresh_token with a real refresh token THEN a new access token; with one it never issued, invalid_grant as an error", async () => {
    const tokens = await redeem(upstream.issueCode());
    const real = await probe(
      upstream.url,
      ...asAlexa,
      "--grant",
      "refresh_token",
      "--refresh-token",
      tokens.refresh_token,
    );
    // The library rotates refresh tokens: the answer's new one is named (the one passed is spent).
    expect(real.codes).toEqual(["REFRESH_TOKEN_ROTATED"]);
    expect(findingOf(real.record, "REFRESH_TOKEN_ROTATED")?.severity).toBe("info");
    expect(real.record.request.grantType).toBe("refresh_token");
    expect(real.record.upstream?.status).toBe(200);
    expect(JSON.stringify(real.record)).not.toContain(tokens.refresh_token);

    // The probe never makes up a refresh token: the user's is taken as real, so a refusal is real too.
    const unknown = await probe(upstream.url, ...asAlexa, "--grant", "refresh_token", "--refresh-token", REFRESH);
    expect(unknown.codes).toEqual(["OAUTH_INVALID_GRANT"]);
    expect(findingOf(unknown.record, "OAUTH_INVALID_GRANT")?.severity).toBe("error");
  });
});

describe("probe options", () => {
  test("GIVEN only a URL THEN Alexa's defaults", () => {
    expect(parseProbeOptions(["https://auth.example.com/token"])).toEqual({
      tokenUrl: "https://auth.example.com/token",
      clientId: "alexa-skill-probe",
      clientSecret: undefined,
      auth: "basic",
      schemeRetry: true,
      grant: "authorization_code",
      code: undefined,
      redirectUri: DEFAULT_REDIRECT_URI,
      refreshToken: undefined,
      stdinSecret: undefined,
      warnings: [],
      checkRotation: false,
      timeoutMs: 10_000,
      json: false,
      color: undefined,
    });
    expect(parseProbeOptions(["--help"])).toBe("help");
    // The token request's redirect_uri follows --vendor-id, as the authorization step's does; --redirect-uri wins.
    const withVendor = ["https://auth.example.com/token", "--authorize-url", "https://auth.example.com/authorize", "--vendor-id", "M2VENDOR"];
    expect(options(withVendor).redirectUri).toBe("https://pitangui.amazon.com/api/skill/link/M2VENDOR");
    expect(options([...withVendor, "--redirect-uri", "https://layla.amazon.com/api/skill/link/M2VENDOR"]).redirectUri).toBe(
      "https://layla.amazon.com/api/skill/link/M2VENDOR",
    );
    expect(options(["http://x/t", "--no-color", "--json", "--timeout-ms", "500"])).toMatchObject({
      color: false,
      json: true,
      timeoutMs: 500,
    });
  });

  test.each([
    [[], "Missing the token URL"],
    [["ftp://example.com/token"], 'got a "ftp:" URL'],
    [["not a url"], "must be an http(s) URL such as https://auth.example.com/oauth2/token, got something that"],
    [["https://id:CANARY-probe-code-Wd72@a/t"], "must not hold a user name or password"],
    [["https://a/t", "https://b/t"], "Expected one token URL"],
    [["https://a/t", "--auth", "digest"], '--auth must be basic or body, got "digest"'],
    [["https://a/t", "--grant", "password"], "--grant must be authorization_code or refresh_token"],
    [["https://a/t", "--grant", "refresh_token"], "--grant refresh_token needs the refresh token: set ALEXA_REFRESH_TOKEN"],
    [["https://a/t", "--refresh-token-stdin"], "--refresh-token-stdin goes with --grant refresh_token"],
    [["https://a/t", "--client-secret-stdin", "--client-secret", "s"], "--client-secret and --client-secret-stdin both give"],
    [
      ["https://a/t", "--grant", "refresh_token", "--client-secret-stdin", "--refresh-token-stdin"],
      "Standard input can carry one secret",
    ],
    [["https://a/t", "--refresh-token", "r"], "--refresh-token goes with --grant refresh_token"],
    [
      ["https://a/t", "--grant", "refresh_token", "--refresh-token", "r", "--code", "c"],
      "--code goes with --grant authorization_code",
    ],
    [["https://a/t", "--timeout-ms", "0"], "--timeout-ms must be a whole number from 100 to 120000"],
    [["https://a/t", "--client-id", ""], "--client-id must not be empty"],
    [["https://a/t", "--bogus"], "Unknown option '--bogus'"],
  ])("GIVEN %j THEN a usage error: %s", (argv, message) => {
    expect(() => parseProbeOptions(argv)).toThrow(UsageError);
    expect(() => parseProbeOptions(argv)).toThrow(message);
  });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("npm run probe as a user runs it", () => {
  jest.setTimeout(60_000);
  let caDir: string;
  let env: Record<string, string>;
  let healthyServer: TestServer;
  beforeAll(async () => {
    caDir = mkdtempSync(join(tmpdir(), "probe-ca-"));
    writeFileSync(join(caDir, "test-root.pem"), testPki().rootCaPem);
    // Trust as DESIGN §3.4 has it: Node's store plus NODE_EXTRA_CA_CERTS, nothing else.
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "", XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? "",
      NODE_EXTRA_CA_CERTS: join(caDir, "test-root.pem"),
      ALEXA_CLIENT_SECRET: SECRET,
      ALEXA_CODE: CODE,
    };
    healthyServer = await healthy(tokenAnswer())();
  });
  afterAll(async () => {
    await healthyServer.close();
    rmSync(caDir, { recursive: true, force: true });
  });

  function runCli(args: string[], childEnv = env): Promise<Run> {
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [...commandLine("probe"), ...args], {
        cwd: PROJECT_DIR,
        env: childEnv,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => {
        expectNoCanary(stdout + stderr);
        resolvePromise({ code, stdout, stderr });
      });
    });
  }

  const jsonRecord = (run: Run): AttemptRecord => {
    expect(run.stdout.split("\n")).toHaveLength(2); // one line and its newline
    return JSON.parse(run.stdout);
  };

  test("GIVEN a healthy token URL and --json THEN exactly one attempt record on stdout, exit 0", async () => {
    const run = await runCli([healthyServer.url, ...CLI_FLAGS, "--json"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const record = jsonRecord(run);
    expect(record).toMatchObject({ type: "token-attempt", mode: "probe", verdict: "warn" });
    expect(withoutPort(record)).toEqual([]);
  });

  test("GIVEN an expired certificate THEN exit 1 with TLS_CERT_EXPIRED", async () => {
    const server = await httpsWith(testPki().expired, tokenAnswer())();
    try {
      const run = await runCli([server.url, ...CLI_FLAGS, "--json"]);
      expect(run.code).toBe(1);
      expect(withoutPort(jsonRecord(run)).map((finding) => finding.code)).toEqual(["TLS_CERT_EXPIRED"]);
    } finally {
      await server.close();
    }
  });

  test("GIVEN no NODE_EXTRA_CA_CERTS THEN the test CA is not trusted: exit 1 with TLS_UNTRUSTED_ROOT", async () => {
    const run = await runCli([healthyServer.url, "--json"], { PATH: env.PATH, HOME: env.HOME });
    expect(run.code).toBe(1);
    expect(withoutPort(jsonRecord(run)).map((finding) => finding.code)).toEqual(["TLS_UNTRUSTED_ROOT"]);
  });

  test("GIVEN a real OAuth server and no --json THEN the report, then each given secret's fingerprint only, no colors in a pipe", async () => {
    const secret = "CANARY-oauth-cli-secret-2Vn6";
    const upstream = await startOAuthServer({
      clientId: CLIENT_ID,
      clientSecret: secret,
      tls: { key: testPki().valid.key, cert: testPki().valid.chain },
    });
    try {
      // A code given (here in ALEXA_CODE) is taken as real: the server's invalid_grant for it is an error.
      const run = await runCli([upstream.url, "--client-id", CLIENT_ID], { ...env, ALEXA_CLIENT_SECRET: secret });
      expect(run).toMatchObject({ code: 1, stderr: "" });
      expect(run.stdout).toMatch(/^✗ FAIL {2}Alexa cannot link: the token URL rejects the code/);
      expect(run.stdout).toContain("OAUTH_INVALID_GRANT (error)");
      expect(run.stdout.trimEnd().split("\n").slice(-3)).toEqual([
        "",
        `client secret fingerprint: ${fingerprint(secret)}`,
        `code fingerprint: ${fingerprint(CODE)}`,
      ]);
      expect(run.stdout).not.toContain(secret);
      expect(run.stdout).not.toContain("\u001b[");
    } finally {
      await upstream.close();
    }
  });

  test.each([
    [["ftp://example.com/token"], "must be an http(s) URL"],
    [["https://auth.example.com/token", "--grant", "refresh_token"], "--grant refresh_token needs the refresh token"],
    [["https://auth.example.com/token", "--bogus"], "Unknown option '--bogus'"],
    [["https://auth.example.com/token", CODE], "Expected one token URL, got 2 arguments"], // not echoed
  ])("GIVEN %j THEN exit 2, the reason and the usage on stderr, nothing on stdout", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Usage: npm run probe");
  });

  test("GIVEN --help THEN the usage on stdout, exit 0", async () => {
    const run = await runCli(["--help"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("Usage: npm run probe -- <token-url>");
  });

  /** The CLI on a real terminal: util-linux script(1) gives it a pseudo-terminal. */
  function runInTerminal(args: string[], extraEnv: Record<string, string>): Promise<Run> {
    const command = [process.execPath, ...commandLine("probe"), ...args].join(" ");
    return new Promise((resolvePromise) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], {
        cwd: PROJECT_DIR,
        env: { ...env, ...extraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("close", (code) => resolvePromise({ code, stdout, stderr: "" }));
    });
  }

  const onTerminal = process.platform === "linux" && existsSync("/usr/bin/script") ? test.each : test.skip.each;
  onTerminal([
    [[], {}, true],
    [["--no-color"], {}, false],
    [[], { NO_COLOR: "1" }, false],
  ])("GIVEN a terminal, flags %j and env %j THEN colors: %s", async (flags, extraEnv, colored) => {
    const run = await runInTerminal([healthyServer.url, ...CLI_FLAGS, ...flags], extraEnv as Record<string, string>);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("NON_STANDARD_PORT");
    expect(run.stdout.includes("\u001b[")).toBe(colored);
  });
});

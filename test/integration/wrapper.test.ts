/**
 * Wrapper (proxy) mode against real servers on 127.0.0.1: HTTPS with certificates made in the
 * test (test/support/pki.ts), and token URLs that answer the ways real ones break. Each case
 * asserts the findings AND what Alexa gets back, and that no secret reaches any output.
 */
import { IncomingMessage } from "node:http";
import { gzipSync } from "node:zlib";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { FunctionSettings } from "../../functions/token-url/settings";
import { TokenResponse } from "../../functions/token-url/token-response";
import { alexaEvent, basicAuth } from "../support/events";
import { testPki, trustStore } from "../support/pki";
import { testSettings } from "../support/settings";
import {
  refusedPort,
  startPlainHttpServer,
  startSilentTcpServer,
  startTls11OnlyServer,
  startUnacceptingServer,
  TestServer,
} from "../support/tls-servers";
import { AnswerChanges, answerWith, healthy, httpsWith } from "../support/token-answers";

const SECRET = "CANARY-client-secret-7Qx2";
const CODE = "CANARY-auth-code-Lm40";
const ACCESS = "CANARY-access-token-p9Ze";
const REFRESH = "CANARY-refresh-token-Vb31";
const CANARIES = [SECRET, CODE, ACCESS, REFRESH];
const REQUEST_BODY = `grant_type=authorization_code&code=${CODE}&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FM2X`;
const TOKEN = { access_token: ACCESS, token_type: "Bearer", expires_in: 3600, refresh_token: REFRESH };


interface Case {
  readonly name: string;
  readonly start: () => Promise<Pick<TestServer, "url" | "close">>;
  /** Findings expected, apart from NON_STANDARD_PORT (every test server has a random port). */
  readonly codes: string[];
  /** Status Alexa gets. */
  readonly status: number;
  readonly settings?: Partial<FunctionSettings>;
  /** When set, the upstream's body must reach Alexa unchanged. */
  readonly passesThrough?: string;
  readonly check?: (record: AttemptRecord, response: TokenResponse) => void;
}

const tokenAnswer = (changes?: AnswerChanges) => answerWith(TOKEN, changes);

const refused = async () => ({ ...(await refusedPort()), close: async () => undefined });

const cases: Case[] = [
  {
    name: "a healthy token URL",
    start: healthy(tokenAnswer()),
    codes: [],
    status: 200,
    passesThrough: JSON.stringify(TOKEN),
    check: (record) => {
      expect(record.upstream?.tls).toMatchObject({ protocol: "TLSv1.3", authorized: true, verifyError: null, bypassed: false });
      expect(record.upstream?.tls?.chain.map((cert) => cert.subject)).toEqual([
        expect.stringContaining("CN=localhost"),
        expect.stringContaining("Intermediate"),
        expect.stringContaining("Root"),
      ]);
      const timings = record.upstream!.timings;
      expect(timings.dnsMs).toBeNull(); // 127.0.0.1 needs no lookup
      for (const phase of [timings.connectMs, timings.tlsMs, timings.ttfbMs]) expect(phase).toEqual(expect.any(Number));
      expect(timings.totalMs).toBeGreaterThanOrEqual(timings.tlsMs!);
    },
  },
  {
    name: "a healthy token URL reached by host name",
    start: async () => {
      const server = await healthy(tokenAnswer())();
      return { url: server.url.replace("127.0.0.1", "localhost"), close: server.close };
    },
    codes: [],
    status: 200,
    passesThrough: JSON.stringify(TOKEN),
    check: (record) => expect(record.upstream?.timings.dnsMs).toEqual(expect.any(Number)),
  },
  { name: "an expired certificate", start: httpsWith(testPki().expired, tokenAnswer()), codes: ["TLS_CERT_EXPIRED"], status: 502 },
  { name: "a not-yet-valid certificate", start: httpsWith(testPki().notYetValid, tokenAnswer()), codes: ["TLS_CERT_NOT_YET_VALID"], status: 502 },
  { name: "a self-signed certificate", start: httpsWith(testPki().selfSigned, tokenAnswer()), codes: ["TLS_SELF_SIGNED"], status: 502 },
  { name: "a chain ending in an untrusted root", start: httpsWith(testPki().untrustedRoot, tokenAnswer()), codes: ["TLS_UNTRUSTED_ROOT"], status: 502 },
  {
    name: "a server that sends its leaf without the intermediate",
    start: httpsWith(testPki().valid, tokenAnswer(), false),
    codes: ["TLS_INCOMPLETE_CHAIN"],
    status: 502,
    check: (record) => expect(record.upstream?.tls?.chain).toHaveLength(1),
  },
  { name: "a certificate for another host name", start: httpsWith(testPki().wrongHost, tokenAnswer()), codes: ["TLS_HOSTNAME_MISMATCH"], status: 502 },
  {
    name: "a certificate that expires in 5 days",
    start: httpsWith(testPki().expiringSoon, tokenAnswer()),
    codes: ["TLS_CERT_EXPIRING_SOON"],
    status: 200,
    passesThrough: JSON.stringify(TOKEN),
  },
  { name: "a TLS 1.1-only server", start: () => startTls11OnlyServer(tokenAnswer()), codes: ["TLS_PROTOCOL_UNSUPPORTED"], status: 502 },
  { name: "plain HTTP on the https port", start: () => startPlainHttpServer(tokenAnswer()), codes: ["TLS_PROTOCOL_UNSUPPORTED"], status: 502 },
  {
    name: "a server that never completes the TLS handshake",
    start: startSilentTcpServer,
    codes: ["TLS_HANDSHAKE_TIMEOUT"],
    status: 504,
    settings: { connectTimeoutMs: 300 },
  },
  {
    name: "a host that never accepts the TCP connection",
    start: startUnacceptingServer,
    codes: ["CONNECT_TIMEOUT"],
    status: 504,
    settings: { connectTimeoutMs: 300 },
  },
  { name: "a port that refuses", start: refused, codes: ["CONNECTION_REFUSED"], status: 502 },
  {
    name: "an expired certificate with TLS_BYPASS on",
    start: httpsWith(testPki().expired, tokenAnswer()),
    codes: ["TLS_CERT_EXPIRED", "TLS_BYPASSED"],
    status: 200,
    settings: { tlsBypass: true },
    passesThrough: JSON.stringify(TOKEN),
  },
  {
    name: "an HTML login page with 200",
    start: healthy(tokenAnswer({ headers: { "Content-Type": "text/html; charset=utf-8" }, body: "<!DOCTYPE html><html><body>Sign in</body></html>" })),
    codes: ["CONTENT_TYPE_NOT_JSON", "BODY_NOT_JSON"],
    status: 200,
    passesThrough: "<!DOCTYPE html><html><body>Sign in</body></html>",
  },
  {
    name: "JSON served as text/plain",
    start: healthy(tokenAnswer({ headers: { "Content-Type": "text/plain" } })),
    codes: ["CONTENT_TYPE_NOT_JSON"],
    status: 200,
    passesThrough: JSON.stringify(TOKEN),
  },
  {
    name: "a body with a byte-order mark",
    start: healthy(tokenAnswer({ body: `\uFEFF${JSON.stringify(TOKEN)}` })),
    codes: ["BODY_HAS_BOM"],
    status: 200,
    passesThrough: `\uFEFF${JSON.stringify(TOKEN)}`,
  },
  { name: "a JSON array", start: healthy(tokenAnswer({ body: JSON.stringify([TOKEN]) })), codes: ["BODY_NOT_OBJECT"], status: 200 },
  {
    name: 'expires_in as the string "3600"',
    start: healthy(tokenAnswer({ body: JSON.stringify({ ...TOKEN, expires_in: "3600" }) })),
    codes: ["EXPIRES_IN_NOT_NUMBER"],
    status: 200,
    check: (record) => expect(record.verdict).toBe("warn"),
  },
  {
    name: "a token_type other than bearer",
    start: healthy(tokenAnswer({ body: JSON.stringify({ ...TOKEN, token_type: "mac" }) })),
    codes: ["TOKEN_TYPE_NOT_BEARER"],
    status: 200,
  },
  {
    name: "no access_token",
    start: healthy(tokenAnswer({ body: JSON.stringify({ token_type: "Bearer", expires_in: 3600, refresh_token: REFRESH }) })),
    codes: ["ACCESS_TOKEN_MISSING"],
    status: 200,
  },
  {
    name: "a 302 redirect",
    start: healthy(tokenAnswer({ status: 302, headers: { Location: "https://login.example.com/", "Content-Type": "text/html" }, body: "" })),
    codes: ["HTTP_REDIRECT"],
    status: 302,
  },
  {
    name: "401 invalid_client",
    start: healthy(
      tokenAnswer({ status: 401, headers: { "WWW-Authenticate": 'Basic realm="oauth"' }, body: JSON.stringify({ error: "invalid_client" }) }),
    ),
    codes: ["CLIENT_AUTH_REJECTED"],
    status: 401,
    passesThrough: JSON.stringify({ error: "invalid_client" }),
    check: (record, response) => {
      expect(response.headers.wwwAuthenticate).toBe('Basic realm="oauth"');
      const finding = record.findings.find((item) => item.code === "CLIENT_AUTH_REJECTED")!;
      expect(`${finding.message} ${finding.fix}`).toMatch(/HTTP Basic/);
      expect(`${finding.message} ${finding.fix}`).toMatch(/request body/i);
    },
  },
  {
    name: "a 403 page from a WAF",
    start: healthy(
      tokenAnswer({
        status: 403,
        headers: { "Content-Type": "text/html", Server: "cloudflare", "CF-RAY": "8a1b2c3d4e5f-FRA" },
        body: "<html><title>Attention Required! | Cloudflare</title></html>",
      }),
    ),
    // The wrapper knows the server as the probe does: Cloudflare named in front, with its evidence
    // in the record and its own settings in the fix.
    codes: ["HTTP_FORBIDDEN", "SERVER_IDENTIFIED"],
    status: 403,
    check: (record) => {
      const forbidden = record.findings.find((item) => item.code === "HTTP_FORBIDDEN");
      expect(forbidden?.message).toMatch(/Cloudflare/);
      expect(forbidden?.fix).toContain("Security > Events names the service");
      expect(record.server?.front?.name).toBe("Cloudflare");
      expect(record.server?.front?.evidence).toContain("cf-ray header");
    },
  },
  {
    name: "a 404",
    start: healthy(tokenAnswer({ status: 404, headers: { "Content-Type": "text/html" }, body: "Not Found" })),
    codes: ["HTTP_NOT_FOUND"],
    status: 404,
  },
  {
    name: "a 500 with an HTML error page",
    start: healthy(tokenAnswer({ status: 500, headers: { "Content-Type": "text/html" }, body: "<h1>Internal Server Error</h1>" })),
    codes: ["HTTP_SERVER_ERROR", "OAUTH_ERROR_NOT_JSON"],
    status: 500,
  },
  {
    name: "a gzip-compressed answer",
    start: healthy(tokenAnswer({ headers: { "Content-Encoding": "gzip" }, body: gzipSync(JSON.stringify(TOKEN)) })),
    codes: [],
    status: 200,
    passesThrough: JSON.stringify(TOKEN),
  },
  {
    name: "a body cut short of its Content-Length",
    start: healthy((_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": "500" });
      response.write(JSON.stringify(TOKEN).slice(0, 40));
      setTimeout(() => response.socket?.destroy(), 20);
    }),
    codes: ["BODY_TRUNCATED"],
    status: 502,
    check: (record) => expect(record.upstream).toMatchObject({ status: 200, bodyBytes: 40 }),
  },
  {
    name: "an answer larger than 1 MiB",
    start: healthy(tokenAnswer({ body: `{"access_token":"${"x".repeat(2 * 1024 * 1024)}"}` })),
    codes: ["BODY_TOO_LARGE"],
    status: 502,
    check: (record) => expect(record.upstream).toMatchObject({ bodyCapped: true, bodyBytes: 1024 * 1024 }),
  },
  {
    name: "a server that never answers",
    start: healthy(() => undefined),
    codes: ["RESPONSE_TIMEOUT"],
    status: 504,
    settings: { upstreamTimeoutMs: 1_500 }, // room for the handshake on a loaded machine: the wait must be for the answer
  },
  {
    name: "a complete but slow answer",
    start: healthy((request, response) => setTimeout(() => tokenAnswer()(request, response), 250)),
    codes: ["SLOW_RESPONSE"],
    status: 200,
    settings: { slowResponseMs: 100 },
    passesThrough: JSON.stringify(TOKEN),
  },
];

describe("wrapper mode against real token URLs", () => {
  const printed: string[] = [];
  beforeAll(() => {
    testPki(); // build the certificates before any timing-sensitive case
    for (const method of ["log", "info", "warn", "error"] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
    }
  });
  afterAll(() => {
    jest.restoreAllMocks();
    // Nothing the wrapper printed anywhere may carry a secret.
    for (const canary of CANARIES) expect(printed.join("\n")).not.toContain(canary);
  });

  test.each(cases)("GIVEN $name", async ({ start, codes, status, settings, passesThrough, check }) => {
    const server = await start();
    try {
      const records: AttemptRecord[] = [];
      const response = await handleTokenRequest(
        alexaEvent({ body: REQUEST_BODY, headers: { Authorization: basicAuth("alexa-skill", SECRET) } }),
        testSettings({ mode: "proxy", tokenUrl: server.url, trustedCa: trustStore(), ...settings }),
        (record) => records.push(record),
      );
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record.findings.map((finding) => finding.code).filter((code) => code !== "NON_STANDARD_PORT")).toEqual(codes);
      expect(record.findings.map((finding) => finding.code)).toContain("NON_STANDARD_PORT");
      expect(response.statusCode).toBe(status);
      expect(record.response.status).toBe(status);
      if (passesThrough !== undefined) expect(response.body).toBe(passesThrough);
      if (status >= 502) expect(JSON.parse(response.body)).toHaveProperty("error");
      for (const finding of record.findings) {
        expect(finding.message.length).toBeGreaterThan(10);
        expect(finding.fix.length).toBeGreaterThan(10);
      }
      const logged = JSON.stringify(record);
      for (const canary of CANARIES) expect(logged).not.toContain(canary);
      check?.(record, response);
    } finally {
      await server.close();
    }
  });

  test("GIVEN a healthy token URL THEN Alexa's request arrives byte for byte, with its own headers only", async () => {
    const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
    const server = await healthy((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        tokenAnswer()(request, response);
      });
    })();
    try {
      const response = await handleTokenRequest(
        alexaEvent({
          body: REQUEST_BODY,
          headers: { Authorization: basicAuth("alexa-skill", SECRET), Accept: "application/json", "X-Forwarded-For": "1.2.3.4" },
        }),
        testSettings({ mode: "proxy", tokenUrl: server.url, trustedCa: trustStore() }),
        () => undefined,
      );
      expect(response.statusCode).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0].body).toBe(REQUEST_BODY);
      expect(received[0].headers).toEqual({
        authorization: basicAuth("alexa-skill", SECRET),
        "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
        accept: "application/json",
        "user-agent": "Apache-HttpClient/UNAVAILABLE (Java/1.8.0_432)",
        host: new URL(server.url).host,
        "content-length": String(REQUEST_BODY.length),
        connection: expect.any(String),
      });
    } finally {
      await server.close();
    }
  });

  test("GIVEN a certificate failure THEN the request with its secrets is never sent", async () => {
    let requests = 0;
    const server = await httpsWith(testPki().expired, (request, response) => {
      requests += 1;
      tokenAnswer()(request, response);
    })();
    try {
      await handleTokenRequest(
        alexaEvent({ body: REQUEST_BODY, headers: { Authorization: basicAuth("alexa-skill", SECRET) } }),
        testSettings({ mode: "proxy", tokenUrl: server.url, trustedCa: trustStore() }),
        () => undefined,
      );
      expect(requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});

/**
 * A hostile token URL, over real HTTPS, that quotes back what it was sent and issues tokens in
 * the broken shapes real servers use: Spring Security OAuth2's "Invalid refresh token: <token>",
 * the secret percent-encoded, base64 and as the Basic blob without its prefix, tokens in
 * near-JSON, form, XML, camelCase, a Location fragment and an x-access-token header. The probe
 * runs as the user runs it (a child process, secrets from the environment); no canary may be
 * readable in any encoding, in stdout, stderr or the --html page.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, PROJECT_DIR } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { startHttpsServer, TestServer } from "../support/tls-servers";

const CLIENT_ID = "alexa-skill";
const SECRET = "CANARY~SEC+ret/2=hostile";
const REFRESH = "CANARY-refresh-Zq81+/x";
const ISSUED_ACCESS = "CANARY-issued-access-Lm42";
const ISSUED_REFRESH = "CANARY-issued-refresh-Pw93";
const CANARIES = [SECRET, REFRESH, ISSUED_ACCESS, ISSUED_REFRESH];

/** Every form a server may echo a value in. */
function encodings(value: string): string[] {
  const pair = `${CLIENT_ID}:${encodeURIComponent(SECRET)}`;
  return [
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).toLowerCase(),
    new URLSearchParams({ v: value }).toString().slice(2),
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64url"),
    Buffer.from(pair).toString("base64"),
    JSON.stringify(value).slice(1, -1).replace(/[^\w]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  ];
}

function expectNothingReadable(output: string): void {
  for (const canary of CANARIES) for (const form of encodings(canary)) expect(output).not.toContain(form);
}

type Shape = (request: { refreshToken: string; authorization: string }, response: ServerResponse) => void;

const basicBlob = (authorization: string) => authorization.replace(/^Basic\s+/i, "");

/** The answers, each as a real server of that kind sends it. */
const SHAPES: Record<string, Shape> = {
  "Spring's invalid refresh token": ({ refreshToken }, response) => {
    response.writeHead(400, { "content-type": "application/json;charset=UTF-8", "cache-control": `no-store, x=${refreshToken}` });
    response.end(JSON.stringify({ error: "invalid_grant", error_description: `Invalid refresh token: ${refreshToken}` }));
  },
  "the secret echoed percent-encoded and base64": ({ authorization }, response) => {
    response.writeHead(401, { "content-type": "text/plain", "www-authenticate": `Basic realm="${basicBlob(authorization)}"` });
    response.end(`bad client ${encodeURIComponent(SECRET)} ${Buffer.from(SECRET).toString("base64")} ${basicBlob(authorization)}`);
  },
  "near-JSON with a trailing comma and camelCase names": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(`{"accessToken":"${ISSUED_ACCESS}","refreshToken":"${ISSUED_REFRESH}","token_type":"bearer",}`);
  },
  "a form-encoded answer": (_request, response) => {
    response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
    response.end(`access_token=${ISSUED_ACCESS}&refresh_token=${ISSUED_REFRESH}&token_type=bearer`);
  },
  "an XML answer": (_request, response) => {
    response.writeHead(200, { "content-type": "application/xml" });
    response.end(`<token><access_token>${ISSUED_ACCESS}</access_token><refresh_token>${ISSUED_REFRESH}</refresh_token></token>`);
  },
  "a redirect with tokens in its fragment and a token header": (_request, response) => {
    response.writeHead(302, { location: `https://app.example/cb#access_token=${ISSUED_ACCESS}`, "x-access-token": ISSUED_REFRESH });
    response.end();
  },
};

interface Run {
  readonly code: number | null;
  readonly output: string;
}

describe("no canary readable against a hostile token URL (probe, text, --json, --html)", () => {
  jest.setTimeout(60_000);
  let dir: string;
  let server: TestServer;
  let shape: Shape = SHAPES["Spring's invalid refresh token"];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hostile-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    server = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const refreshToken = new URLSearchParams(body).get("refresh_token") ?? "";
        shape({ refreshToken, authorization: request.headers.authorization ?? "" }, response);
      });
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function probe(args: string[]): Promise<Run> {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? "",
      NODE_EXTRA_CA_CERTS: join(dir, "root.pem"),
      ALEXA_CLIENT_SECRET: SECRET,
      ALEXA_REFRESH_TOKEN: REFRESH,
    };
    const flags = [server.url, "--client-id", CLIENT_ID, "--grant", "refresh_token", ...args];
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [...commandLine("probe"), ...flags], { cwd: PROJECT_DIR, env });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("close", (code) => resolvePromise({ code, output }));
    });
  }

  test.each(Object.keys(SHAPES))("GIVEN %s THEN the report, the record and the page hold no canary in any form", async (name) => {
    shape = SHAPES[name];
    const page = join(dir, "report.html");
    const [text, json, html] = await Promise.all([probe([]), probe(["--json"]), probe(["--html", page])]);
    for (const run of [text, json, html]) {
      expect(run.code).toBe(1); // every shape here is a failure Alexa would meet
      expectNothingReadable(run.output);
    }
    const record = JSON.parse(json.output);
    expect(record.type).toBe("token-attempt");
    expect(JSON.stringify(record)).toMatch(/\[redacted[^\]]*\]/); // the values are there, as fingerprints
    expectNothingReadable(readFileSync(page, "utf8"));
  });
});

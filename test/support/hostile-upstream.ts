/**
 * A hostile token URL, over real HTTPS, that quotes back what it was sent and issues tokens in
 * the broken shapes real servers use (issue 22): Spring Security OAuth2's
 * "Invalid refresh token: <token>" and "Invalid authorization code: <code>", the secret
 * percent- and form-encoded, base64 and base64url, as the Basic blob with and without its
 * prefix and in JSON \u escapes; tokens in near-JSON, JSONP, form, XML, camelCase and nested
 * names, a Location fragment, an x-access-token header and a UTF-16 body. Shared by the probe's
 * suite and the local runtime's (npm start, then logs --local).
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { testPki } from "./pki";
import { startHttpsServer, TestServer } from "./tls-servers";

export const HOSTILE_CLIENT_ID = "alexa-skill";
export const HOSTILE_SECRET = "CANARY~SEC+ret/2=hostile";
export const HOSTILE_CODE = "CANARY-code+Yt/7=~ab";
export const HOSTILE_REFRESH = "CANARY-refresh-Zq81+/x";
export const ISSUED_ACCESS = "CANARY-issued-access-Lm42";
export const ISSUED_REFRESH = "CANARY-issued-refresh-Pw93";
export const HOSTILE_CANARIES = [HOSTILE_SECRET, HOSTILE_CODE, HOSTILE_REFRESH, ISSUED_ACCESS, ISSUED_REFRESH];

/** RFC 6749 §2.3.1: the id and secret form-urlencoded, then joined and base64'd. */
export function basicAuthorization(clientId: string, secret: string): string {
  const form = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${form(clientId)}:${form(secret)}`).toString("base64")}`;
}

const lowerHex = (value: string) => encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const jsonEscapeAll = (value: string) => [...value].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
const jsonEscapeSymbols = (value: string) =>
  JSON.stringify(value)
    .slice(1, -1)
    .replace(/[^\w]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Every form a server may echo a value in (and the Basic pair of the secret). */
export function encodings(value: string): string[] {
  const pairs = [`${HOSTILE_CLIENT_ID}:${encodeURIComponent(HOSTILE_SECRET)}`, `${HOSTILE_CLIENT_ID}:${HOSTILE_SECRET}`];
  return [
    value,
    encodeURIComponent(value),
    lowerHex(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64url"),
    Buffer.from(value, "utf16le").toString("latin1"), // UTF-16 bytes read as one-byte characters
    ...pairs.flatMap((pair) => [Buffer.from(pair).toString("base64"), Buffer.from(pair).toString("base64url")]),
    jsonEscapeSymbols(value),
    jsonEscapeAll(value),
  ];
}

const HTML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The text as written and as a reader of a page sees it: the page offers line breaks (<wbr>)
 * inside URLs and values and escapes &, <, >, " and ', so a value leaked into it in clear would
 * not be found in the markup as it stands. */
export function readerViews(text: string): string[] {
  const seen = text
    .replaceAll("<wbr>", "")
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) =>
      name[0] === "#"
        ? String.fromCodePoint(name[1].toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10))
        : (HTML_ENTITIES[name.toLowerCase()] ?? entity),
    );
  return seen === text ? [text] : [text, seen];
}

/** Each canary `output` holds readable, with the form it is in; empty when none. Bytes are
 * read as latin1 too, so UTF-16 text (or any byte run) is caught as well as UTF-8. */
export function readableCanaries(output: string | Buffer, canaries: readonly string[] = HOSTILE_CANARIES): string[] {
  const texts = (typeof output === "string" ? [output] : [output.toString("utf8"), output.toString("latin1")]).flatMap(readerViews);
  return canaries.flatMap((canary) =>
    encodings(canary)
      .filter((form) => texts.some((text) => text.includes(form)))
      .map((form) => `${canary} as ${JSON.stringify(form)}`),
  );
}

export function expectNothingReadable(output: string | Buffer, canaries: readonly string[] = HOSTILE_CANARIES): void {
  expect(readableCanaries(output, canaries)).toEqual([]);
}

export interface HostileRequest {
  readonly refreshToken: string;
  readonly code: string;
  readonly authorization: string;
}

export type Shape = (request: HostileRequest, response: ServerResponse) => void;

const basicBlob = (authorization: string) => authorization.replace(/^Basic\s+/i, "");

/** The answers, each as a real server of that kind sends it. Every one is a failure Alexa would meet. */
export const HOSTILE_SHAPES: Record<string, Shape> = {
  "Spring's invalid refresh token": ({ refreshToken }, response) => {
    response.writeHead(400, { "content-type": "application/json;charset=UTF-8", "cache-control": `no-store, x=${refreshToken}` });
    response.end(JSON.stringify({ error: "invalid_grant", error_description: `Invalid refresh token: ${refreshToken}` }));
  },
  "Spring's invalid authorization code": ({ code, refreshToken }, response) => {
    response.writeHead(400, { "content-type": "application/json;charset=UTF-8" });
    response.end(JSON.stringify({ error: "invalid_grant", error_description: `Invalid authorization code: ${code || refreshToken}` }));
  },
  "the secret echoed percent- and form-encoded, base64 and base64url, as the Basic blob with and without its prefix": ({ authorization }, response) => {
    response.writeHead(401, { "content-type": "text/plain", "www-authenticate": `Basic realm="${basicBlob(authorization)}"`, "x-seen": authorization });
    response.end(
      [
        "bad client",
        encodeURIComponent(HOSTILE_SECRET),
        lowerHex(HOSTILE_SECRET),
        new URLSearchParams({ s: HOSTILE_SECRET }).toString(),
        Buffer.from(HOSTILE_SECRET).toString("base64"),
        Buffer.from(HOSTILE_SECRET).toString("base64url"),
        basicBlob(authorization),
        authorization,
      ].join(" "),
    );
  },
  "the secret and the code in JSON \\u escapes": ({ code, refreshToken }, response) => {
    response.writeHead(401, { "content-type": "application/json" });
    response.end(
      `{"error":"invalid_client","error_description":"client secret ${jsonEscapeSymbols(HOSTILE_SECRET)} / ${jsonEscapeAll(HOSTILE_SECRET)} for grant ${jsonEscapeAll(code || refreshToken)}"}`,
    );
  },
  "near-JSON with a trailing comma and camelCase names": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(`{"accessToken":"${ISSUED_ACCESS}","refreshToken":"${ISSUED_REFRESH}","token_type":"bearer",}`);
  },
  "a JSONP answer": (_request, response) => {
    response.writeHead(200, { "content-type": "application/javascript" });
    response.end(`callback({"access_token":"${ISSUED_ACCESS}","refresh_token":"${ISSUED_REFRESH}","token_type":"bearer","expires_in":3600});`);
  },
  "tokens in nested objects": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    response.end(JSON.stringify({ data: { token: { access_token: ISSUED_ACCESS, refreshToken: ISSUED_REFRESH, expires_in: 3600 } } }));
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
  "a UTF-16 body": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json; charset=UTF-16LE", "cache-control": "no-store" });
    // No token_type: a failure whatever the charset rules say.
    response.end(Buffer.from(JSON.stringify({ access_token: ISSUED_ACCESS, refresh_token: ISSUED_REFRESH, expires_in: 3600 }), "utf16le"));
  },
};

export interface HostileServer extends TestServer {
  /** The answer shape the next requests get. */
  shape: Shape;
  /** Token requests (POSTs) received so far; the debugger's metadata look-ups (GETs of
   * /.well-known/…) get the same hostile answers but are not counted. */
  readonly received: number;
}

/** The hostile token URL on 127.0.0.1 with the test PKI's valid certificate (trust
 * testPki().rootCaPem through NODE_EXTRA_CA_CERTS). */
export async function startHostileServer(): Promise<HostileServer> {
  let received = 0;
  const state = { shape: HOSTILE_SHAPES["Spring's invalid refresh token"] };
  const server = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      if (request.method === "POST") received += 1;
      const form = new URLSearchParams(body);
      state.shape({ refreshToken: form.get("refresh_token") ?? "", code: form.get("code") ?? "", authorization: request.headers.authorization ?? "" }, response);
    });
  });
  return {
    url: server.url,
    port: server.port,
    close: server.close,
    get shape() {
      return state.shape;
    },
    set shape(shape: Shape) {
      state.shape = shape;
    },
    get received() {
      return received;
    },
  };
}

/**
 * Generated hostile token requests, shared by the handler's property tests and the local
 * runtime's fuzz suite: odd methods and routes, unmapped content types, bodies up to 300 KB
 * (declared, chunked, or sent without any length as Node's own client sends a DELETE's), broken
 * Basic headers and template-injection strings. Secrets sit only where Alexa puts them
 * (Authorization, client_secret, code, refresh_token, code_verifier, Cookie), and every one
 * holds a canary, so any output can be searched for a leak.
 */
import fc from "fast-check";
import { REQUEST_CONTENT_TYPES } from "../../infra/templates";
import { TokenEvent } from "../../functions/token-url/event";
import { basicAuth } from "./events";

/** The canaries: unique values that must never appear in clear in a record or an output. */
export const CANARIES = {
  clientSecret: "CANARY-fuzz-secret-7Qk3",
  code: "CANARY-fuzz-code-M4xe",
  refreshToken: "CANARY-fuzz-refresh-Zp81",
  codeVerifier: "CANARY-fuzz-verifier-Hc2u",
  cookie: "CANARY-fuzz-cookie-9LbQ",
} as const;

/** Where the request's body ends, as told to the server. */
export type Framing = "content-length" | "chunked" | "undeclared";

export interface HostileRequest {
  /** A unique number, sent as the X-Fuzz-Id header, so a record can be matched to its request. */
  readonly id: number;
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** Names as sent; X-Fuzz-Id and the framing header are added by the sender. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** "undeclared": no Content-Length or Transfer-Encoding from the caller; Node's client then adds
   * a Content-Length for POST, PUT and PATCH, and sends a DELETE's, GET's or OPTIONS' body bare. */
  readonly framing: Framing;
}

/** What a hostile request's generator draws, before it gets its id. */
export type HostileRequestDraw = Omit<HostileRequest, "id">;

// API Gateway's REST payload limit.
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Strings that would break or hijack a template that pasted client input into JSON or VTL. */
const INJECTIONS = [
  "$util.base64Encode($input.body)",
  "#set($context.responseOverride.status = 500)",
  "#foreach($i in [1..100000000])x#end",
  "${context.requestId}",
  '"},{"bodyBase64":"',
  "'; DROP TABLE tokens; --",
  "\\u0000\\\"\\'",
  "$input.path('$')",
  "%zz%00%C3%28",
  "é€😀",
];

const injection = fc.constantFrom(...INJECTIONS);
/** Header values Node's client accepts (tab, printable ASCII, Latin-1), injections included. */
const headerText = fc.oneof(
  injection.filter((text) => /^[\t\x20-\x7e]*$/.test(text)),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code)), maxLength: 40 }),
);

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant("POST") },
  { weight: 4, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE", "GET", "OPTIONS", "HEAD", "PROPFIND", "TOKEN") },
);

const path = fc.oneof(
  { weight: 8, arbitrary: fc.constant("/token") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "/token?grant_type=authorization_code",
      "/token?$util=%24input.body&x=%22",
      "/oauth/token",
      "/",
      "/Token",
      "/token/extra",
      "/debug/token",
    ),
  },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("application/x-www-form-urlencoded;charset=UTF-8", "application/x-www-form-urlencoded") },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      "Application/X-WWW-Form-Urlencoded; charset=ISO-8859-1",
      "application/json",
      "text/plain;charset=utf-8",
      "",
      "application/xml",
      "multipart/form-data; boundary=x",
      "text/html",
      "application/x-www-form-urlencoded, application/json",
      "image/png",
    ),
  },
  { weight: 2, arbitrary: fc.constant(undefined) },
);

const authorization = fc.oneof(
  fc.constant(basicAuth("alexa-skill", CANARIES.clientSecret)),
  fc.constant(basicAuth("id:with:colons é", CANARIES.clientSecret)),
  fc.constant(`Basic ${Buffer.from(CANARIES.clientSecret).toString("base64")}`), // no colon
  fc.constant(`basic ${Buffer.from(`alexa-skill:${CANARIES.clientSecret}`).toString("base64")}`),
  fc.constant(`Basic ${CANARIES.clientSecret}===`),
  fc.constant(`Bearer ${CANARIES.clientSecret}`),
  fc.constant("Basic "),
  headerText.map((text) => `Basic ${text}`),
  fc.constant(undefined),
);

const extraHeaders = fc.array(
  fc.oneof(
    fc.constantFrom<[string, string]>(
      ["Accept", "application/json"],
      ["Accept", "text/html, */*;q=0.1"],
      ["Accept-Encoding", "gzip"],
      ["User-Agent", "Apache-HttpClient/UNAVAILABLE (Java/1.8.0_432)"],
      ["X-Forwarded-For", "52.94.236.248, 127.0.0.1"],
      ["Cookie", `session=${CANARIES.cookie}`],
      ["__proto__", "polluted"],
      ["constructor", "polluted"],
    ),
    fc.tuple(fc.constantFrom("X-Injection", "X-Amz-Date", "Expect-Nothing"), headerText),
  ),
  { maxLength: 4 },
);

const grantType = fc.constantFrom("authorization_code", "refresh_token", "client_credentials", "", "authorization_code\u0000");
const field = fc.oneof(
  grantType.map((value): [string, string] => ["grant_type", value]),
  fc.constant<[string, string]>(["code", CANARIES.code]),
  fc.constant<[string, string]>(["refresh_token", CANARIES.refreshToken]),
  fc.constant<[string, string]>(["code_verifier", CANARIES.codeVerifier]),
  fc.constant<[string, string]>(["client_secret", CANARIES.clientSecret]),
  fc.constant<[string, string]>(["client_id", "alexa-skill"]),
  fc.constant<[string, string]>(["redirect_uri", "https://pitangui.amazon.com/api/skill/link/M2X"]),
  fc.tuple(fc.constantFrom("state", "scope", "x", "__proto__"), fc.oneof(injection, fc.string({ maxLength: 20 }))),
);

const fields = fc.array(field, { minLength: 1, maxLength: 8 });

const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: fields.map((pairs) => Buffer.from(new URLSearchParams(pairs).toString())) },
  // Pasted raw, not form-encoded: quotes, dollars and hashes reach the template as they are.
  { weight: 2, arbitrary: fields.map((pairs) => Buffer.from(pairs.map(([name, value]) => `${name}=${value}`).join("&"))) },
  { weight: 2, arbitrary: fields.map((pairs) => Buffer.from(JSON.stringify(Object.fromEntries(pairs)))) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  {
    // Large: a real request with a long field, up to 300 KB.
    weight: 1,
    arbitrary: fc
      .tuple(fields, fc.integer({ min: 10_000, max: 300_000 }))
      .map(([pairs, size]) => Buffer.from(`${new URLSearchParams(pairs).toString()}&filler=${"a".repeat(size)}`)),
  },
);

const framing = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Framing>("content-length") },
  { weight: 1, arbitrary: fc.constant<Framing>("chunked") },
  { weight: 2, arbitrary: fc.constant<Framing>("undeclared") },
);

/** One hostile request to the local runtime (without its id). */
export const hostileRequest: fc.Arbitrary<HostileRequestDraw> = fc
  .record({ method, path, contentType, authorization, extraHeaders, body, framing })
  .map(({ method, path, contentType, authorization, extraHeaders, body, framing }) => {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    if (authorization !== undefined) headers.Authorization = authorization;
    for (const [name, value] of extraHeaders) headers[name] = value;
    return { method, path, headers, body, framing };
  });

/** `count` hostile requests, numbered from 1, the same ones for the same seed. */
export function hostileRequests(count: number, seed: number): HostileRequest[] {
  return fc.sample(hostileRequest, { numRuns: count, seed }).map((draw, index) => ({ id: index + 1, ...draw }));
}

/** Alexa's own token request (DESIGN §4: a form POST with HTTP Basic), numbered like the hostile ones. */
export function alexaRequest(id: number): HostileRequest {
  return {
    id,
    method: "POST",
    path: "/token",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
      Authorization: basicAuth("alexa-skill", CANARIES.clientSecret),
      "User-Agent": "Apache-HttpClient/UNAVAILABLE (Java/1.8.0_432)",
    },
    body: Buffer.from(
      new URLSearchParams({
        grant_type: "authorization_code",
        code: CANARIES.code,
        redirect_uri: "https://pitangui.amazon.com/api/skill/link/M2X",
      }).toString(),
    ),
    framing: "content-length",
  };
}

/**
 * Whether API Gateway answers the request itself, so the Lambda never runs and nothing is
 * recorded: not `POST /token` (403), a body over 10 MB (413), or a Content-Type with no mapping
 * template (415; none counts as application/json, a parameter does not stop a match). Written
 * from the API Gateway documentation, not from the runtime's code, so it can catch it out.
 */
export function refusedByGateway(request: HostileRequestDraw): boolean {
  if (request.method !== "POST" || request.path.split("?")[0] !== "/token") return true;
  if (request.body.length > MAX_PAYLOAD_BYTES) return true;
  const type = (request.headers["Content-Type"] ?? "").split(";")[0].trim().toLowerCase() || "application/json";
  return !(REQUEST_CONTENT_TYPES as readonly string[]).includes(type);
}

/** Every secret the requests carry: canaries, and each whole Authorization value long enough
 * to be told apart (it holds the base64 of a secret). */
export function secretsIn(requests: readonly HostileRequestDraw[]): string[] {
  const authorizations = requests.map((request) => request.headers.Authorization ?? "").filter((value) => value.length >= 16);
  return [...new Set([...Object.values(CANARIES), ...authorizations])];
}

const base64 = (data: string | Uint8Array) => Buffer.from(data).toString("base64");

/** The request as infra/templates/token-request.vtl hands it to the Lambda. */
export function templateEvent(request: HostileRequestDraw): TokenEvent {
  return {
    bodyBase64: base64(request.body),
    headersBase64: Object.entries(request.headers).map(([name, value]) => [base64(name), base64(value)]),
    queryBase64: [...new URLSearchParams(request.path.split("?")[1] ?? "")].map(([name, value]) => [base64(name), base64(value)]),
    httpMethod: request.method,
    resourcePath: "/token",
    stage: "debug",
    requestId: "c0ffee00-0000-4000-8000-000000000001",
    requestTimeEpoch: Date.UTC(2026, 10, 24, 19, 0, 0),
    sourceIp: "52.94.236.248",
    userAgentBase64: base64(request.headers["User-Agent"] ?? ""),
  };
}

/** Any Lambda event, well-formed or not: what a changed template or a test console could send. */
export const hostileEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      bodyBase64: fc.oneof(fc.uint8Array({ maxLength: 512 }).map(base64), fc.string(), fc.constant(undefined)),
      headersBase64: fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom("Content-Type", "Authorization", "Accept", "__proto__", "constructor").map(base64), fc.string()),
          fc.oneof(fc.uint8Array({ maxLength: 64 }).map(base64), fc.string()),
        ),
        { maxLength: 6 },
      ),
      requestId: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
      requestTimeEpoch: fc.oneof(fc.integer(), fc.double(), fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

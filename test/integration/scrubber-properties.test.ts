/**
 * Property: whatever the client secret, code and refresh token (reserved characters
 * `+/=%&~:`, spaces, unicode) and however a token URL echoes them (clear, percent-encoded in
 * upper or lower hex, form-encoded, base64 and base64url, the Basic blob with and without its
 * prefix, JSON \u escapes), wherever it puts them (an error_description, plain text, XML, a
 * header, a Location) and whatever tokens it issues (any name, nested, form, XML, a header, a
 * fragment, UTF-8 or UTF-16), the record the handler writes and the reports made from it hold
 * none of them readable in any of those forms.
 *
 * The real path: handleTokenRequest in proxy mode (readCredentials, scrubberFor, issuedTokens,
 * attemptRecord) against a real HTTP server answering what the property drew; then safeJson,
 * the text report and the HTML page of that record.
 */
import fc from "fast-check";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { TokenEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { safeJson } from "../../functions/token-url/record-exit";
import { renderAttempt } from "../../scripts/report/render-attempt";
import { renderAttemptHtml } from "../../scripts/report/render-html";
import { buildAttemptReport } from "../../scripts/report/report-model";
import { basicAuthorization, readerViews } from "../support/hostile-upstream";
import { testSettings } from "../support/settings";

const CLIENT_ID = "alexa-skill";

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
const RESERVED = ["+", "/", "=", "%", "&", "~", ":", " ", "?", "#", '"', "'", "\\", "<", ">", ";", ","];
const UNICODE = ["é", "ß", "日", "本", "ü", "€", "😀", "\u00a0", "ø"];

/** A secret of 8 to 40 characters with at least six letters or digits (four of them distinct,
 * so it cannot turn up by chance in a fingerprint or a timing). */
const secretValue = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ALNUM) }, fc.constantFrom(...RESERVED), fc.constantFrom(...UNICODE)), {
    minLength: 8,
    maxLength: 40,
  })
  .map((chars) => chars.join(""))
  .filter((value) => {
    const alnum = value.replace(/[^A-Za-z0-9]/g, "");
    return alnum.length >= 6 && new Set(alnum).size >= 4 && value.trim() === value;
  });

const lowerHex = (value: string) => encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
const escapeAll = (value: string) => [...value].map((char) => char.split("").map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")).join("");
const escapeSymbols = (value: string) =>
  [...value].map((char) => (/\w/.test(char) ? char : char.split("").map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""))).join("");

/** The forms a server echoes a value in; the readable check looks for each. */
const ENCODERS: Record<string, (value: string) => string> = {
  clear: (value) => value,
  percent: encodeURIComponent,
  percentLowerHex: lowerHex,
  form: (value) => new URLSearchParams({ v: value }).toString().slice(2),
  base64: (value) => Buffer.from(value).toString("base64"),
  base64url: (value) => Buffer.from(value).toString("base64url"),
  jsonEscapeAll: escapeAll,
  jsonEscapeSymbols: escapeSymbols,
};

/** Each value `output` holds readable, by the form it is in (`context`: with the text around it). */
function readableForms(written: string, values: Record<string, string>, authorization: string, context = false): string[] {
  // As written, and as a page's reader sees it (without <wbr> and entities).
  const output = readerViews(written).join("\n");
  const found: string[] = [];
  for (const [what, value] of Object.entries(values)) {
    const seen = new Set<string>();
    for (const [name, encode] of Object.entries(ENCODERS)) {
      const form = encode(value);
      if (seen.has(form)) continue; // the same text as an earlier form (a value with nothing to encode)
      seen.add(form);
      const at = output.indexOf(form);
      if (at !== -1) found.push(`${what} ${name}${context ? ` in …${output.slice(Math.max(0, at - 40), at + form.length + 40)}…` : ""}`);
    }
  }
  const blob = authorization.replace(/^Basic /, "");
  if (output.includes(blob)) found.push("the Basic blob");
  return found;
}

interface Draw {
  readonly secret: string;
  readonly grantValue: string;
  readonly grant: "authorization_code" | "refresh_token";
  readonly auth: "basic" | "body";
  readonly issuedAccess: string;
  readonly issuedRefresh: string;
  readonly echoed: { readonly what: "secret" | "grant value" | "Basic blob" | "Basic header"; readonly encoder: string }[];
  readonly place: "error_description" | "text" | "xml" | "header" | "location";
  readonly tokens: "json" | "nested camelCase" | "near-JSON" | "jsonp" | "form" | "xml" | "header" | "fragment" | "none";
  readonly charset: "utf-8" | "utf-16le";
  readonly status: 200 | 400 | 401 | 302;
}

const draw: fc.Arbitrary<Draw> = fc.record({
  secret: secretValue,
  grantValue: secretValue,
  grant: fc.constantFrom("authorization_code" as const, "refresh_token" as const),
  auth: fc.constantFrom("basic" as const, "body" as const),
  issuedAccess: secretValue,
  issuedRefresh: secretValue,
  echoed: fc.array(
    fc.record({
      what: fc.constantFrom("secret" as const, "grant value" as const, "Basic blob" as const, "Basic header" as const),
      encoder: fc.constantFrom(...Object.keys(ENCODERS)),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  place: fc.constantFrom("error_description" as const, "text" as const, "xml" as const, "header" as const, "location" as const),
  tokens: fc.constantFrom("json" as const, "nested camelCase" as const, "near-JSON" as const, "jsonp" as const, "form" as const, "xml" as const, "header" as const, "fragment" as const, "none" as const),
  charset: fc.constantFrom("utf-8" as const, "utf-16le" as const),
  status: fc.constantFrom(200 as const, 400 as const, 401 as const, 302 as const),
});

const xmlText = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The server's answer for a draw. Header values stay Latin-1 (Node refuses others), so an
 * echo in a header is one of the ASCII forms. */
function answerFor(d: Draw, authorization: string): Answer {
  const echo = d.echoed
    .map(({ what, encoder }) => {
      if (what === "Basic header") return authorization;
      if (what === "Basic blob") return authorization.replace(/^Basic /, "");
      return ENCODERS[encoder](what === "secret" ? d.secret : d.grantValue);
    })
    .join(" | ");
  const headers: Record<string, string> = {};
  const ascii = (text: string) => /^[\x20-\x7e]*$/.test(text);
  let text = "";
  if (d.place === "error_description") text = JSON.stringify({ error: "invalid_grant", error_description: `Invalid refresh token: ${echo}` });
  else if (d.place === "xml") text = `<error><description>${xmlText(echo)}</description></error>`;
  else if (d.place === "text") text = `Bad request: ${echo}`;
  else if (ascii(echo)) headers[d.place === "header" ? "x-debug-echo" : "location"] = d.place === "header" ? echo : `https://app.example/cb?error=x&hint=${echo}`;
  else text = `echo: ${echo}`;

  const { issuedAccess: access, issuedRefresh: refresh } = d;
  switch (d.tokens) {
    case "json":
      text += JSON.stringify({ access_token: access, refresh_token: refresh, token_type: "bearer" });
      break;
    case "nested camelCase":
      text += JSON.stringify({ data: { auth: { accessToken: access, refreshToken: refresh } } });
      break;
    case "near-JSON":
      text += `{"access_token":${JSON.stringify(access)},"refresh_token":${JSON.stringify(refresh)},}`;
      break;
    case "jsonp":
      text += `cb(${JSON.stringify({ access_token: access, refresh_token: refresh })});`;
      break;
    case "form":
      text += new URLSearchParams({ access_token: access, refresh_token: refresh }).toString();
      break;
    case "xml":
      text += `<token><access_token>${xmlText(access)}</access_token><refreshToken>${xmlText(refresh)}</refreshToken></token>`;
      break;
    case "header":
      headers["x-access-token"] = encodeURIComponent(access);
      headers["x-refresh-token"] = encodeURIComponent(refresh);
      break;
    case "fragment":
      headers.location = `https://app.example/cb#access_token=${encodeURIComponent(access)}&refresh_token=${encodeURIComponent(refresh)}`;
      break;
    case "none":
      break;
  }
  const body = Buffer.from(text, d.charset === "utf-16le" ? "utf16le" : "utf8");
  return { status: d.status, headers: { "content-type": `application/json; charset=${d.charset}`, ...headers }, body };
}

function eventFor(d: Draw, authorization: string): TokenEvent {
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const fields: Record<string, string> =
    d.grant === "authorization_code"
      ? { grant_type: "authorization_code", code: d.grantValue, redirect_uri: "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA" }
      : { grant_type: "refresh_token", refresh_token: d.grantValue };
  if (d.auth === "body") Object.assign(fields, { client_id: CLIENT_ID, client_secret: d.secret });
  const headers: [string, string][] = [["Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"]];
  if (d.auth === "basic") headers.push(["Authorization", authorization]);
  return {
    bodyBase64: base64(new URLSearchParams(fields).toString()),
    headersBase64: headers.map(([name, value]) => [base64(name), base64(value)]),
    queryBase64: [],
    httpMethod: "POST",
    resourcePath: "/token",
    stage: "debug",
    requestId: "c0ffee00-0000-4000-8000-000000000002",
    requestTimeEpoch: Date.now(),
    sourceIp: "52.94.236.248",
    userAgentBase64: base64("Apache-HttpClient/UNAVAILABLE (Java/17)"),
  };
}

describe("the scrubber against random secrets and random echoes (handler, proxy mode)", () => {
  let server: Server;
  let tokenUrl: string;
  let next: Answer;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        if (request.method !== "POST") {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(next.status, next.headers);
        response.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One draw through the handler: each output's readable values (none expected). */
  async function readableAfter(d: Draw): Promise<string[]> {
    const authorization = basicAuthorization(CLIENT_ID, d.secret);
    next = answerFor(d, authorization);
    const records: AttemptRecord[] = [];
    await handleTokenRequest(eventFor(d, authorization), testSettings({ mode: "proxy", tokenUrl }), (record) => records.push(record));
    expect(records).toHaveLength(1);
    const record = records[0];
    const values = { secret: d.secret, [d.grant === "authorization_code" ? "code" : "refresh token"]: d.grantValue, ...(d.tokens !== "none" && { "issued access token": d.issuedAccess, "issued refresh token": d.issuedRefresh }) };
    return [
      safeJson(record),
      JSON.stringify(record),
      renderAttempt(record, { color: false, width: 100, keepValuesWhole: true }),
      renderAttemptHtml(buildAttemptReport(record), { toolVersion: "test" }),
    ].flatMap((output) => readableForms(output, values, authorization, true));
  }

  // A new seed each run, so every CI run tries other cases; a failure prints its seed, and
  // SCRUBBER_PROPERTY_SEED=<seed> replays it.
  test("GIVEN any secrets and any echo THEN 0 readable in the record, --json, the text report and the page", async () => {
    let checked = 0;
    const seed = process.env.SCRUBBER_PROPERTY_SEED;
    await fc.assert(
      fc.asyncProperty(draw, async (d) => {
        fc.pre(new Set([d.secret, d.grantValue, d.issuedAccess, d.issuedRefresh]).size === 4);
        expect(await readableAfter(d)).toEqual([]);
        checked += 1;
      }),
      { numRuns: Number(process.env.SCRUBBER_PROPERTY_RUNS ?? 300), ...(seed && { seed: Number(seed) }) },
    );
    expect(checked).toBeGreaterThan(200);
  }, 240_000);

  test("GIVEN the case a CI run found (an echoed secret holding a quote, in front of the JSON answer) THEN 0 readable", async () => {
    // The echo's `"` opened a quoted value in the pair finder that swallowed the quote of
    // "access_token", and the issued access token stayed readable (issued-tokens.ts).
    const found: Draw = {
      secret: 'aa="aéje++++k', grantValue: "aaéaE+4+D", grant: "authorization_code", auth: "basic",
      issuedAccess: "aa+aTn+f", issuedRefresh: "aéaa+LTF",
      echoed: [{ what: "secret", encoder: "clear" }, { what: "secret", encoder: "clear" }],
      place: "header", tokens: "json", charset: "utf-8", status: 200,
    };
    expect(await readableAfter(found)).toEqual([]);
  });

  test("GIVEN the readable check THEN it finds each form in the server's own answer (the check can fail)", () => {
    const d: Draw = {
      secret: "Se+cr/et=%&~: é日😀",
      grantValue: "Co de+1/2=3",
      grant: "authorization_code",
      auth: "basic",
      issuedAccess: "Issued-Access-9xQ",
      issuedRefresh: "Issued-Refresh-7wP",
      echoed: Object.keys(ENCODERS).map((encoder) => ({ what: "secret" as const, encoder })),
      place: "text",
      tokens: "json",
      charset: "utf-8",
      status: 400,
    };
    const authorization = basicAuthorization(CLIENT_ID, d.secret);
    const found = readableForms(answerFor(d, authorization).body.toString("utf8"), { secret: d.secret, "issued access token": d.issuedAccess }, authorization);
    expect(found).toEqual([...Object.keys(ENCODERS).map((name) => `secret ${name}`), "issued access token clear"]);
  });
});

/**
 * verify's comparison rules, data in and checks out: records made by the real handler from
 * verify's own canary requests, then altered the way a broken layer would alter them.
 */
import { AttemptRecord } from "../../../functions/token-url/attempt-record";
import { fingerprint } from "../../../functions/token-url/fingerprint";
import { handleTokenRequest } from "../../../functions/token-url/handler";
import { TokenResponse } from "../../../functions/token-url/token-response";
import { readTemplate } from "../../../infra/templates";
import { canaryCredentials, canaryRequests, CanaryRequest } from "../../../scripts/verify/canary-requests";
import { notDeliveredCheck, requestChecks, responseChecks } from "../../../scripts/verify/path-checks";
import { Answer } from "../../../scripts/verify/send-request";
import { verifyFindings, verifyVerdict } from "../../../scripts/verify/verify-findings";
import { alexaEvent } from "../../support/events";
import { testSettings } from "../../support/settings";

const REQUESTS = canaryRequests("run123", canaryCredentials("run123"));
const DUMMY_EXPECTED = { status: 200, headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", pragma: "no-cache" } };

/** The record and the answer the handler makes of `request`, with the body as the Lambda got it. */
async function handled(request: CanaryRequest, body: Buffer = request.body): Promise<{ record: AttemptRecord; result: TokenResponse }> {
  let record: AttemptRecord | undefined;
  const event = alexaEvent({ body: "", headers: request.headers });
  const result = await handleTokenRequest({ ...event, bodyBase64: body.toString("base64") }, testSettings(), (logged) => (record = logged));
  return { record: record!, result };
}

function answerOf(result: TokenResponse): Answer {
  const headers: Record<string, string> = {};
  if (result.headers.contentType) headers["content-type"] = result.headers.contentType;
  if (result.headers.cacheControl) headers["cache-control"] = result.headers.cacheControl;
  if (result.headers.pragma) headers.pragma = result.headers.pragma;
  return { status: result.statusCode, headers, body: Buffer.from(result.body, "utf8") };
}

describe("the canary series", () => {
  test("GIVEN a run THEN awkward values, a 2 KB code, a ':'/'+' secret, both schemes, JSON, text/plain and a duplicate field", () => {
    expect(REQUESTS.map((request) => request.label)).toHaveLength(6);
    expect(REQUESTS[0].expected.fields.code.length).toBe(2048);
    for (const character of ["'", '"', "\\", "+", "%", "&", "=", "é", "😀"]) expect(REQUESTS[0].expected.fields.code).toContain(character);
    expect(canaryCredentials("x").clientSecret).toMatch(/:.*\+/);
    expect(new Set(REQUESTS.map((request) => request.expected.clientAuth))).toEqual(new Set(["basic", "body"]));
    expect(REQUESTS.filter((request) => request.expected.notForm).map((request) => request.headers["content-type"])).toEqual([
      "application/json",
      "text/plain;charset=UTF-8",
    ]);
    expect(REQUESTS.find((request) => request.label.includes("duplicate"))!.expected.duplicateFields).toEqual(["code"]);
    // Every request carries the run id where the record keeps it in clear: one query finds all.
    for (const request of REQUESTS) expect(request.headers["user-agent"]).toContain("run123");
  });

  test("GIVEN two runs THEN the made-up secrets differ", () => {
    expect(canaryCredentials("a").clientSecret).not.toBe(canaryCredentials("a").clientSecret);
  });
});

describe("requestChecks", () => {
  test.each(REQUESTS.map((request) => [request.label, request] as const))("GIVEN %s recorded as sent THEN every check passes", async (_label, request) => {
    const { record } = await handled(request);
    const checks = requestChecks(request, record);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.map((check) => check.name)).toEqual(expect.arrayContaining(["body bytes", "fields", "client auth", "content type", "user agent", "REQUEST_NOT_FORM"]));
  });

  test("GIVEN a body escaped on the way (as $util.escapeJavaScript would) THEN the request template is named, with fingerprints only", async () => {
    const json = REQUESTS.find((request) => request.label === "JSON body")!;
    const escaped = Buffer.from(json.body.toString("utf8").replace(/'/g, "\\'"), "utf8");
    const { record } = await handled(json, escaped);
    const failed = requestChecks(json, record).filter((check) => !check.ok);
    expect(failed.map((check) => [check.name, check.layer])).toEqual(
      expect.arrayContaining([
        ["body bytes", "request template"],
        ["fields", "request template"],
      ]),
    );
    const text = JSON.stringify(failed);
    expect(text).not.toContain(json.expected.fields.client_secret);
    expect(text).not.toContain(json.expected.fields.code);
  });

  test("GIVEN the body arrived intact but a field was recorded changed THEN the Lambda is named", async () => {
    const request = REQUESTS[2];
    const { record } = await handled(request);
    const altered = { ...record, request: { ...record.request, fields: { ...record.request.fields, redirect_uri: "https://pitangui.amazon.com/x" } } };
    const failed = requestChecks(request, altered).filter((check) => !check.ok);
    expect(failed).toEqual([expect.objectContaining({ name: "fields", layer: "Lambda", detail: expect.stringContaining("redirect_uri: sent ") })]);
  });

  test("GIVEN a JSON request recorded without REQUEST_NOT_FORM THEN the Lambda is named", async () => {
    const json = REQUESTS.find((request) => request.label === "JSON body")!;
    const { record } = await handled(json);
    const unflagged = { ...record, findings: record.findings.filter((finding) => finding.code !== "REQUEST_NOT_FORM") };
    expect(requestChecks(json, unflagged).filter((check) => !check.ok)).toEqual([expect.objectContaining({ name: "REQUEST_NOT_FORM", layer: "Lambda" })]);
  });

  test("GIVEN an Authorization header that did not reach the Lambda THEN the Basic client id check names the request template", async () => {
    const request = REQUESTS[0];
    const { record } = await handled(request);
    const headers = { ...record.request.headers };
    delete headers.authorization;
    const failed = requestChecks(request, { ...record, request: { ...record.request, headers } }).filter((check) => !check.ok);
    expect(failed).toEqual([expect.objectContaining({ name: "Basic client id", layer: "request template" })]);
  });
});

describe("responseChecks", () => {
  test("GIVEN the dummy answer delivered as the Lambda made it THEN every check passes, the body byte for byte", async () => {
    const { record, result } = await handled(REQUESTS[0]);
    const checks = responseChecks("r", answerOf(result), record, DUMMY_EXPECTED);
    expect(checks.map((check) => check.name)).toEqual(["status", "Content-Type", "Cache-Control", "Pragma", "WWW-Authenticate", "body"]);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
  });

  test("GIVEN Cache-Control dropped after the Lambda THEN the response template is named", async () => {
    const { record, result } = await handled(REQUESTS[0]);
    const answer = answerOf(result);
    delete answer.headers["cache-control"];
    expect(responseChecks("r", answer, record, DUMMY_EXPECTED).filter((check) => !check.ok)).toEqual([
      expect.objectContaining({ name: "Cache-Control", layer: "response template", detail: 'the Lambda answered "no-store", Alexa would get (none)' }),
    ]);
  });

  test("GIVEN a trailing newline added to the body THEN the response template is named (stray whitespace)", async () => {
    const { record, result } = await handled(REQUESTS[0]);
    const answer = answerOf(result);
    const failed = responseChecks("r", { ...answer, body: Buffer.concat([answer.body, Buffer.from("\n")]) }, record, DUMMY_EXPECTED).filter((check) => !check.ok);
    expect(failed).toEqual([expect.objectContaining({ name: "body", layer: "response template" })]);
  });

  /** A proxy-mode record: the token URL answered `upstream`, the Lambda handed on `handedOn`. */
  function proxyRecord(record: AttemptRecord, upstream: { status: number; body: string }, handedOn: { status: number; body: string }): AttemptRecord {
    return {
      ...record,
      mode: "proxy",
      upstream: {
        url: "https://127.0.0.1:1/token",
        status: upstream.status,
        headers: { "content-type": "application/json" },
        body: upstream.body,
        bodyBytes: Buffer.byteLength(upstream.body),
        bodyCapped: false,
        timings: { dnsMs: 0, connectMs: 1, tlsMs: 1, ttfbMs: 2, totalMs: 2 },
        tls: null,
        error: null,
      },
      response: { status: handedOn.status, contentType: "application/json", cacheControl: null, pragma: null, wwwAuthenticate: null, bodyFingerprint: fingerprint(handedOn.body) },
    };
  }
  const jsonAnswer = (status: number, body: string): Answer => ({ status, headers: { "content-type": "application/json" }, body: Buffer.from(body) });

  test("GIVEN proxy mode where the Lambda passed on less than the upstream sent THEN the Lambda is named", async () => {
    const { record } = await handled(REQUESTS[0]);
    const sent = '{"error":"invalid_grant"}\n';
    const trimmed = sent.trim();
    const checks = responseChecks("r", jsonAnswer(400, trimmed), proxyRecord(record, { status: 400, body: sent }, { status: 400, body: trimmed }), jsonAnswer(400, sent));
    expect(checks.filter((check) => !check.ok)).toEqual([expect.objectContaining({ name: "body", layer: "Lambda" })]);
  });

  test("GIVEN proxy mode where the token URL answered the Lambda unlike verify THEN the upstream is named", async () => {
    const { record } = await handled(REQUESTS[0]);
    const body = '{"error":"invalid_grant"}';
    const checks = responseChecks("r", jsonAnswer(429, body), proxyRecord(record, { status: 429, body }, { status: 429, body }), jsonAnswer(400, body));
    expect(checks.filter((check) => !check.ok)).toEqual([expect.objectContaining({ name: "status", layer: "upstream" })]);
  });
});

describe("verdict and findings", () => {
  test("GIVEN an answer API Gateway gave itself THEN DEPLOY_PATH_ALTERED_REQUEST names the request template", () => {
    const check = notDeliveredCheck("JSON body", { status: 400, headers: { "content-type": "application/json" }, body: Buffer.from('{"message":"Could not parse request body into json"}') });
    expect(verifyVerdict([check], [])).toBe("altered");
    expect(verifyFindings([check], [])).toEqual([
      expect.objectContaining({ code: "DEPLOY_PATH_ALTERED_REQUEST", severity: "error", message: expect.stringMatching(/^The request template altered Alexa's request: reached the Lambda of "JSON body": API Gateway answered itself \("Could not parse request body into json"\), before the Lambda: 400, 52 bytes application\/json \[redacted len=52 hmac=[0-9a-f]+\]/) }),
    ]);
  });

  test("GIVEN the error template's answer (the Lambda crashed) THEN the Lambda is named", () => {
    const body = readTemplate("token-error-response").split("\n").filter((line) => !line.startsWith("##")).join("");
    expect(notDeliveredCheck("r", { status: 502, headers: {}, body: Buffer.from(body) })).toMatchObject({ ok: false, layer: "Lambda" });
  });

  test("GIVEN all checks passed but a record is missing THEN records-missing and DEPLOY_PATH_RECORDS_NOT_FOUND; all found THEN faithful", () => {
    const ok = { request: "r", side: "request" as const, name: "fields", ok: true, detail: "" };
    expect(verifyVerdict([ok], ["r (attempt 1)"])).toBe("records-missing");
    expect(verifyFindings([ok], ["r (attempt 1)"]).map((finding) => finding.code)).toEqual(["DEPLOY_PATH_RECORDS_NOT_FOUND"]);
    expect(verifyVerdict([ok], [])).toBe("faithful");
    expect(verifyFindings([ok], []).map((finding) => finding.code)).toEqual(["DEPLOY_PATH_FAITHFUL"]);
  });
});

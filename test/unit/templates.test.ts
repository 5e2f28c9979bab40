/**
 * The stack's own .vtl files, rendered by the API Gateway emulation the local runtime uses
 * (a real Velocity engine with $input, $util and $context as the AWS reference describes).
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { decodeEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { TokenResponse } from "../../functions/token-url/token-response";
import { readTemplate, REQUEST_CONTENT_TYPES } from "../../infra/templates";
import {
  GatewayRequest,
  renderRequestTemplate,
  renderResponseTemplate,
  selectRequestTemplate,
} from "../../scripts/local/api-gateway-templates";
import { testSettings } from "../support/settings";

const FORM = "application/x-www-form-urlencoded";

function gatewayRequest(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "POST",
    resourcePath: "/token",
    stage: "debug",
    headers: { "Content-Type": FORM, "User-Agent": "Apache-HttpClient/4.5.14 (Java/17.0.13)" },
    query: {},
    body: "grant_type=authorization_code&code=abc",
    sourceIp: "54.239.28.85",
    requestId: "0d9f3a54-1b2c-4d5e-8f70-123456789abc",
    requestTimeEpoch: Date.UTC(2025, 10, 24, 19, 0, 0),
    ...overrides,
  };
}

const renderEvent = (request: GatewayRequest) =>
  JSON.parse(renderRequestTemplate(readTemplate("token-request"), request));

describe("request template (token-request.vtl)", () => {
  const awkwardBodies = [
    [
      "Alexa's form body",
      "grant_type=authorization_code&code=ANf3&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FX",
    ],
    ["quotes, backslashes and a single quote", `{"code":"a'b\\"c\\\\d"}`],
    ["unicode and +", "client_id=caf\u00e9+\u{1F600}&x=1+2"],
    ["line breaks, a tab and a BOM", "\uFEFFa=1\r\nb=\t2\n"],
    ["Velocity syntax", "a=$input.body&b=#set($x = 1)&c=${context}"],
    ["100 KB", "a=".padEnd(100 * 1024, "z")],
  ];

  test.each(awkwardBodies)("GIVEN %s THEN the event parses and the Lambda sees the exact body", (_name, body) => {
    const event = renderEvent(gatewayRequest({ body }));
    expect(decodeEvent(event, new Date()).body.toString("utf8")).toBe(body);
  });

  test("GIVEN an empty body THEN the Lambda sees {} as on AWS, which renders an empty $input.body as {}", () => {
    // Validated against AWS in localstack/localstack PR #12413, for every content type.
    const event = renderEvent(gatewayRequest({ body: "" }));
    expect(decodeEvent(event, new Date()).body.toString("utf8")).toBe("{}");
  });

  test("GIVEN header names and values with quotes, backslashes, ' and unicode THEN every header arrives exactly", () => {
    const headers = {
      "Content-Type": `${FORM};charset=UTF-8`,
      "User-Agent": `Apache-HttpClient "q" 'x'`,
      "X-Quote": `a"b'c\\`,
      "X-Unicode": "caf\u00e9 \u{1F600}",
      "x'odd": "a name may hold a quote",
    };
    const request = decodeEvent(
      renderEvent(gatewayRequest({ headers, query: { state: "x'y", q: 'a"b' } })),
      new Date(),
    );
    expect(request.headers).toEqual(
      Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    );
    expect(request.query).toEqual({ state: "x'y", q: 'a"b' });
  });

  test("GIVEN a request THEN the event carries its method, resource, stage, id, time and source IP", () => {
    const event = renderEvent(gatewayRequest());
    expect(event).toMatchObject({
      httpMethod: "POST",
      resourcePath: "/token",
      stage: "debug",
      requestTimeEpoch: 1764010800000,
    });
    const request = decodeEvent(event, new Date());
    expect(request.requestId).toBe("0d9f3a54-1b2c-4d5e-8f70-123456789abc");
    expect(request.sourceIp).toBe("54.239.28.85");
    expect(request.receivedAt.toISOString()).toBe("2025-11-24T19:00:00.000Z");
    expect(Buffer.from(event.userAgentBase64, "base64").toString("utf8")).toBe(
      "Apache-HttpClient/4.5.14 (Java/17.0.13)",
    );
  });

  test("GIVEN no User-Agent and no query THEN the event still parses, with empty values", () => {
    const event = renderEvent(gatewayRequest({ headers: { "Content-Type": FORM } }));
    expect(event).toMatchObject({ userAgentBase64: "", queryBase64: [] });
  });

  test("GIVEN the stack's content types THEN a token client's types get the template and any other gets 415", () => {
    const templates = Object.fromEntries(REQUEST_CONTENT_TYPES.map((type) => [type, readTemplate("token-request")]));
    const select = (contentType: string | undefined) =>
      selectRequestTemplate(contentType, templates, "WHEN_NO_TEMPLATES").kind;
    expect(select("application/x-www-form-urlencoded;charset=UTF-8")).toBe("template");
    expect(select("application/json")).toBe("template");
    expect(select("text/plain; charset=ISO-8859-1")).toBe("template");
    expect(select(undefined)).toBe("template");
    expect(select("multipart/form-data; boundary=x")).toBe("unsupported-media-type");
  });
});

describe("response template (token-response.vtl)", () => {
  // The integration hands the template the Lambda's result as JSON, as Lambda returns it.
  const renderResponse = (result: TokenResponse | Record<string, unknown>) =>
    renderResponseTemplate(readTemplate("token-response"), JSON.parse(JSON.stringify(result)), gatewayRequest(), 200);

  test("GIVEN the handler's dummy answer THEN status, headers and body pass through byte for byte", async () => {
    const event = renderEvent(gatewayRequest());
    const result = await handleTokenRequest(event, testSettings(), () => undefined);
    expect(renderResponse(result)).toEqual({
      status: 200,
      headers: {
        "Content-Type": "application/json;charset=UTF-8",
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "X-Token-Debugger-Attempt": "0d9f3a54-1b2c-4d5e-8f70-123456789abc",
      },
      body: result.body,
    });
  });

  test("GIVEN the handler's answer THEN X-Token-Debugger-Attempt names its attempt record; without an id, no such header", async () => {
    const records: AttemptRecord[] = [];
    const result = await handleTokenRequest(renderEvent(gatewayRequest()), testSettings(), (record) => records.push(record));
    expect(renderResponse(result).headers["X-Token-Debugger-Attempt"]).toBe(records[0].attemptId);
    expect(renderResponse({ ...result, attemptId: undefined }).headers).not.toHaveProperty("X-Token-Debugger-Attempt");
  });

  test("GIVEN an upstream 401 with a BOM body THEN WWW-Authenticate and the BOM survive", () => {
    const upstreamBody = '\uFEFF{"error":"invalid_client"}';
    const response = renderResponse({
      statusCode: 401,
      headers: { contentType: "application/json", wwwAuthenticate: 'Basic realm="x", charset="UTF-8"' },
      body: upstreamBody,
    });
    expect(response).toEqual({
      status: 401,
      headers: { "Content-Type": "application/json", "WWW-Authenticate": 'Basic realm="x", charset="UTF-8"' },
      body: upstreamBody,
    });
  });

  const awkwardBodies = [
    ["HTML with a trailing newline", "<html><body>Login</body></html>\r\n"],
    ["Velocity syntax", '{"a":"$input.body #set($x = 1) ${context} ## no comment"}'],
    ["unicode and escapes", '{"name":"caf\u00e9 \u{1F600}","path":"a\\\\b\\"c"}'],
    ["100 KB", `{"access_token":"${"t".repeat(100 * 1024)}"}`],
  ];

  test.each(awkwardBodies)("GIVEN %s THEN the body passes through byte for byte", (_name, body) => {
    expect(renderResponse({ statusCode: 200, headers: { contentType: "text/html" }, body }).body).toBe(body);
  });

  test("GIVEN a result without a header THEN that header is not set, and Content-Type defaults to application/json", () => {
    expect(renderResponse({ statusCode: 302, headers: {}, body: "" })).toEqual({
      status: 302,
      headers: { "Content-Type": "application/json" },
      body: "",
    });
    expect(renderResponse({ statusCode: 200, headers: { pragma: "no-cache" }, body: "{}" }).headers).toEqual({
      "Content-Type": "application/json",
      Pragma: "no-cache",
    });
  });

  test("GIVEN no body or a null body THEN an empty body, not the reference text or null", () => {
    expect(renderResponse({ statusCode: 204, headers: {} }).body).toBe("");
    expect(renderResponse({ statusCode: 204, headers: {}, body: null }).body).toBe("");
  });
});

describe("error response template (token-error-response.vtl)", () => {
  test("GIVEN a Lambda that crashed THEN Alexa gets a 502 RFC 6749 error, not API Gateway's message", () => {
    const response = renderResponseTemplate(
      readTemplate("token-error-response"),
      { errorMessage: "Task timed out after 29.00 seconds", errorType: "Sandbox.Timedout" },
      gatewayRequest(),
      502,
    );
    expect(response.status).toBe(502);
    expect(response.headers).toEqual({ "Content-Type": "application/json" });
    expect(JSON.parse(response.body)).toMatchObject({ error: "server_error" });
  });
});

/**
 * The stack's own .vtl files rendered by a real Velocity engine (velocityjs). The $input,
 * $util and $context objects here are minimal stand-ins covering only what these templates
 * use, following the API Gateway mapping-template reference; the local runtime carries the
 * full emulation.
 */
import { render } from "velocityjs";
import { decodeEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { TokenResponse } from "../../functions/token-url/token-response";
import { readTemplate } from "../../infra/templates";
import { testSettings } from "../support/settings";

interface Exchange {
  body: string;
  headers: Record<string, string>;
  lambdaResult?: unknown;
}

function velocityContext(exchange: Exchange) {
  const javaMap = (entries: Record<string, string>) => ({
    keySet: () => Object.keys(entries),
    get: (key: string) => entries[key],
  });
  const responseOverride: { status?: number; header: Record<string, string> } = { header: {} };
  return {
    responseOverride,
    context: {
      input: {
        body: exchange.body,
        params: () => ({ header: javaMap(exchange.headers), querystring: javaMap({ state: "x'y" }) }),
        path: (expression: string) => {
          if (expression !== "$") throw new Error(`unsupported path ${expression}`);
          return exchange.lambdaResult;
        },
      },
      util: { base64Encode: (text: string) => Buffer.from(text ?? "", "utf8").toString("base64") },
      context: {
        httpMethod: "POST",
        resourcePath: "/token",
        stage: "debug",
        requestId: "0d9f3a54-1b2c-4d5e-8f70-123456789abc",
        requestTimeEpoch: 1764010800000,
        identity: { sourceIp: "54.239.28.85", userAgent: exchange.headers["User-Agent"] },
        responseOverride,
      },
    },
  };
}

const renderRequest = (exchange: Exchange) => render(readTemplate("token-request"), velocityContext(exchange).context);

describe("request template", () => {
  const awkwardBodies = [
    ["Alexa's form body", "grant_type=authorization_code&code=ANf3&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FX"],
    ["quotes, backslashes and a single quote", `{"code":"a'b\\"c\\\\d"}`],
    ["unicode and +", "client_id=caf\u00e9+\u{1F600}&x=1+2"],
    ["an empty body", ""],
    ["100 KB", "a=".padEnd(100 * 1024, "z")],
  ];

  test.each(awkwardBodies)("GIVEN %s THEN the event parses and carries the exact body", (_name, body) => {
    const headers = { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": `Apache-HttpClient "q" 'x'`, "X-Quote": `a"b'c\\` };
    const event = JSON.parse(renderRequest({ body, headers }));
    const request = decodeEvent(event, new Date());
    expect(request.body.toString("utf8")).toBe(body);
    expect(request.headers).toEqual({
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": `Apache-HttpClient "q" 'x'`,
      "x-quote": `a"b'c\\`,
    });
    expect(request.query).toEqual({ state: "x'y" });
    expect(request.requestId).toBe("0d9f3a54-1b2c-4d5e-8f70-123456789abc");
    expect(request.sourceIp).toBe("54.239.28.85");
    expect(request.receivedAt.toISOString()).toBe("2025-11-24T19:00:00.000Z");
  });
});

describe("response template", () => {
  function renderResponse(lambdaResult: TokenResponse | Record<string, unknown>) {
    const { context, responseOverride } = velocityContext({ body: "", headers: {}, lambdaResult });
    return { body: render(readTemplate("token-response"), context), responseOverride };
  }

  test("GIVEN the handler's dummy answer THEN status, headers and body pass through byte for byte", async () => {
    const event = JSON.parse(
      renderRequest({ body: "grant_type=authorization_code&code=abc", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
    );
    const result = await handleTokenRequest(event, testSettings(), () => undefined);
    // The Lambda result reaches the template as JSON, as API Gateway hands it over.
    const { body, responseOverride } = renderResponse(JSON.parse(JSON.stringify(result)));
    expect(body).toBe(result.body);
    expect(responseOverride).toEqual({
      status: 200,
      header: { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" },
    });
  });

  test("GIVEN an upstream 401 with a BOM body THEN WWW-Authenticate and the BOM survive", () => {
    const upstreamBody = '\uFEFF{"error":"invalid_client"}';
    const { body, responseOverride } = renderResponse({
      statusCode: 401,
      headers: { contentType: "application/json", wwwAuthenticate: 'Basic realm="x"' },
      body: upstreamBody,
    });
    expect(body).toBe(upstreamBody);
    expect(responseOverride).toEqual({
      status: 401,
      header: { "Content-Type": "application/json", "WWW-Authenticate": 'Basic realm="x"' },
    });
  });

  test("GIVEN no body THEN an empty body, not the literal reference", () => {
    expect(renderResponse({ statusCode: 204, headers: {} }).body).toBe("");
  });
});

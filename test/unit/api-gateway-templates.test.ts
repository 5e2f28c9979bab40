/**
 * The API Gateway mapping-template emulation against the AWS reference ("API Gateway mapping
 * template and access logging variable reference", "Select a VTL mapping template",
 * "Integration passthrough behaviors").
 */
import { readTemplate } from "../../infra/templates";
import {
  GatewayError,
  GatewayRequest,
  renderRequestTemplate,
  renderResponseTemplate,
  selectIntegrationResponse,
  selectRequestTemplate,
  selectResponseTemplate,
  unsupportedMediaTypeResponse,
} from "../../scripts/local/api-gateway-templates";
import { vtlUtil } from "../../scripts/local/vtl-util";
import { synthStack } from "../support/synth";

function gatewayRequest(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: "POST",
    resourcePath: "/token",
    stage: "debug",
    headers: { "Content-Type": "application/json", Host: "abc123.execute-api.eu-west-1.amazonaws.com" },
    query: {},
    body: "{}",
    sourceIp: "54.239.28.85",
    requestId: "0d9f3a54-1b2c-4d5e-8f70-123456789abc",
    requestTimeEpoch: Date.UTC(2025, 10, 4, 9, 5, 7, 123),
    ...overrides,
  };
}

/** What a template writes (as the response body, so any output is allowed). */
const render = (template: string, request: Partial<GatewayRequest> = {}) =>
  renderResponseTemplate(template, JSON.parse(request.body ?? "{}"), gatewayRequest(request), 200).body;

/** What a request template writes, reading the request's own body. */
const renderRequest = (template: string, request: Partial<GatewayRequest> = {}) =>
  renderRequestTemplate(template, gatewayRequest(request));

function gatewayErrorOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("$util", () => {
  const escape = (text: string) =>
    render("$util.escapeJavaScript($input.path('$.text'))", { body: JSON.stringify({ text }) });

  test.each([
    ["double quotes", 'say "hi"', 'say \\"hi\\"'],
    ["a single quote, as \\' which is not valid JSON", "it's", "it\\'s"],
    ["a backslash", "a\\b", "a\\\\b"],
    ["a slash", "</script>", "<\\/script>"],
    ["line breaks and a tab", "a\r\nb\tc", "a\\r\\nb\\tc"],
    ["backspace, form feed and other control characters", "\b\f\u0001\u001f", "\\b\\f\\u0001\\u001F"],
    ["unicode, one escape per UTF-16 unit", "caf\u00e9 \u20ac \u{1F600}", "caf\\u00E9 \\u20AC \\uD83D\\uDE00"],
    ["plain ASCII and DEL", "abc 123 \u007f", "abc 123 \u007f"],
  ])("GIVEN %s WHEN escapeJavaScript THEN JavaScript string rules", (_name, text, escaped) => {
    expect(escape(text)).toBe(escaped);
  });

  test('GIVEN the reference\'s idiom WHEN replaceAll("\\\\\'","\'") follows escapeJavaScript THEN the result is valid JSON', () => {
    const template = `{"text":"$util.escapeJavaScript($input.path('$.text')).replaceAll("\\\\'","'")"}`;
    const text = `it's "quoted" \\ caf\u00e9\n`;
    expect(JSON.parse(renderRequest(template, { body: JSON.stringify({ text }) }))).toEqual({ text });
  });

  test.each([["plain"], ["caf\u00e9 \u{1F600} +/="], [""]])(
    "GIVEN %j WHEN base64Encode then base64Decode THEN the same text",
    (text) => {
      const body = JSON.stringify({ text });
      expect(render("$util.base64Encode($input.path('$.text'))", { body })).toBe(Buffer.from(text).toString("base64"));
      expect(render("$util.base64Decode($util.base64Encode($input.path('$.text')))", { body })).toBe(text);
    },
  );

  test("GIVEN text WHEN urlEncode THEN application/x-www-form-urlencoded as Java's URLEncoder writes it", () => {
    const encode = (text: string) =>
      render("$util.urlEncode($input.path('$.text'))", { body: JSON.stringify({ text }) });
    expect(encode("x=a+b")).toBe("x%3Da%2Bb");
    expect(encode("a b&c")).toBe("a+b%26c");
    expect(encode("-_.*~!'()")).toBe("-_.*%7E%21%27%28%29");
    expect(encode("caf\u00e9")).toBe("caf%C3%A9");
  });

  test("GIVEN form-urlencoded text WHEN urlDecode THEN + is a space and escapes are UTF-8", () => {
    const decode = (text: string) =>
      render("$util.urlDecode($input.path('$.text'))", { body: JSON.stringify({ text }) });
    expect(decode("x=a+b")).toBe("x=a b");
    expect(decode("caf%C3%A9%20%F0%9F%98%80")).toBe("caf\u00e9 \u{1F600}");
    expect(
      decode(render("$util.urlEncode($input.path('$.text'))", { body: JSON.stringify({ text: "a+b c&d=\u00e9" }) })),
    ).toBe("a+b c&d=\u00e9");
  });

  test("GIVEN a malformed escape WHEN urlDecode THEN the template fails with API Gateway's 500", () => {
    const error = gatewayErrorOf(() => render("$util.urlDecode('100%')"));
    expect(error.response.status).toBe(500);
  });

  test("GIVEN the reference's parseJson example THEN the nested value is reachable from VTL", () => {
    const body = JSON.stringify({ errorMessage: JSON.stringify({ key1: "var1", key2: { arr: [1, 2, 3] } }) });
    const template = [
      "#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))",
      "{",
      '   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]',
      "}",
    ].join("\n");
    expect(JSON.parse(render(template, { body }))).toEqual({ errorMessageObjKey2ArrVal: 1 });
  });
});

test("GIVEN methods called on $util, $input and a parameter map THEN they run on their object and nothing is hung on it", () => {
  // velocityjs would hang an `eval` closure reaching the whole render on each object it calls a
  // method on; V8 then promotes it on every scavenge (scripts/local/velocity.ts, callOwnMethod).
  const out = render(`$util.base64Encode("hi") $input.json('$.a') $input.params().header.get("host")`, { body: '{"a":1}' });
  expect(out).toBe("aGk= 1 abc123.execute-api.eu-west-1.amazonaws.com");
  expect(Object.prototype.hasOwnProperty.call(vtlUtil, "eval")).toBe(false);
});

describe("$input", () => {
  const body = JSON.stringify({ a: { b: "deep", "c d": [10, 20, 30] }, things: { 1: {}, 2: {}, 3: {} } });

  test("GIVEN a JSON body WHEN json(path) THEN the result as a JSON string", () => {
    expect(render("$input.json('$')", { body })).toBe(body);
    expect(render("$input.json('$.a.b')", { body })).toBe('"deep"');
    expect(render("$input.json(\"$['a']['c d']\")", { body })).toBe("[10,20,30]");
    expect(render("$input.json('$.a[\"c d\"][-1]')", { body })).toBe("30");
  });

  test("GIVEN a JSON body WHEN path(path) THEN values usable from VTL", () => {
    expect(render("$input.path('$.a.b').length() $input.path(\"$['a']['c d'][0]\")", { body })).toBe("4 10");
    expect(render("#foreach($n in $input.path('$.a')['c d'])$n;#end", { body })).toBe("10;20;30;");
    expect(render("$input.path('$.things').size()", { body })).toBe("3");
  });

  test("GIVEN a path that leads nowhere THEN json and path print nothing", () => {
    expect(render("[$input.json('$.missing')][$input.path('$.a.b.c')][$input.path('$.a[\"c d\"][7]')]", { body })).toBe(
      "[][][]",
    );
  });

  test("GIVEN the reference's request example THEN id, count and things as documented", () => {
    // The reference wraps things in $util.escapeJavaScript, which would escape its quotes and
    // break the documented output, so it is left out here.
    const template = [
      "{",
      '    "id" : "$input.params(\'id\')",',
      '    "count" : "$input.path(\'$.things\').size()",',
      "    \"things\" : $input.json('$.things')",
      "}",
    ].join("\n");
    const output = renderRequest(template, {
      body: '{"things":{"1":{},"2":{},"3":{}}}',
      pathParameters: { id: "abc" },
    });
    expect(JSON.parse(output)).toEqual({ id: "abc", count: "3", things: { 1: {}, 2: {}, 3: {} } });
  });

  test("GIVEN a form body THEN path('$') is the raw string, as API Gateway's lenient parser reads it", () => {
    const form = "grant_type=refresh_token&refresh_token=r1";
    expect(renderRequest(`"$input.path('$')"`, { body: form })).toBe(`"${form}"`);
    expect(renderRequest("$input.json('$')", { body: form })).toBe(JSON.stringify(form));
    expect(renderRequest(`#set($pairs = $input.path('$').split('&'))"$pairs.size() $pairs[1]"`, { body: form })).toBe(
      '"2 refresh_token=r1"',
    );
  });

  test("GIVEN an empty body THEN $input.body is {} and json('$') is {}", () => {
    expect(renderRequest(`{"body":"$util.escapeJavaScript($input.body)","json":$input.json('$')}`, { body: "" })).toBe(
      '{"body":"{}","json":{}}',
    );
  });

  test("GIVEN a broken JSON object WHEN a template reads it with json or path THEN API Gateway's 400 before the Lambda", () => {
    const error = gatewayErrorOf(() => renderRequest("$input.json('$')", { body: '{"a":' }));
    expect(error.response.status).toBe(400);
    expect(JSON.parse(error.response.body).message).toMatch(/^Could not parse request body into json/);
  });

  test("GIVEN a JSONPath feature outside the emulated subset THEN the template fails loudly", () => {
    expect(gatewayErrorOf(() => render("$input.json('$..a')", { body })).response.status).toBe(500);
  });

  test("GIVEN parameters WHEN params() THEN Java maps of path, header and querystring", () => {
    const request = {
      pathParameters: { id: "7" },
      headers: { "Content-Type": "text/plain", "X-Two": "2" },
      query: { state: "s", scope: "a b" },
    };
    const template = [
      "#set($all = $input.params())",
      "#foreach($type in $all.keySet())$type:#foreach($name in $all.get($type).keySet())$name=$all.get($type).get($name),#end;#end",
      "|$all.header.size() $all.querystring.containsKey('state') $all.querystring.containsKey('nope') $all.path.id",
    ].join("\n");
    expect(render(template, request)).toBe(
      "path:id=7,;header:Content-Type=text/plain,X-Two=2,;querystring:state=s,scope=a b,;|2 true false 7",
    );
  });

  test("GIVEN a name WHEN params(name) THEN path first, then query string, then header", () => {
    const request = {
      pathParameters: { both: "from-path" },
      query: { both: "from-query", q: "from-query" },
      headers: { both: "from-header", q: "from-header", h: "from-header" },
    };
    expect(render("$input.params('both') $input.params('q') $input.params('h') [$input.params('none')]", request)).toBe(
      "from-path from-query from-header []",
    );
  });

  test("GIVEN a header name in another case THEN the header is found, as HTTP field names ignore case", () => {
    const headers = { "content-type": "application/json", "X-Amzn-Trace-Id": "Root=1" };
    expect(render("$input.params('Content-Type') $input.params().header.get('x-amzn-trace-id')", { headers })).toBe(
      "application/json Root=1",
    );
  });
});

describe("$context", () => {
  test("GIVEN a request THEN the variables the reference lists, with API Gateway's formats", () => {
    const fields = [
      "requestId",
      "httpMethod",
      "resourcePath",
      "path",
      "stage",
      "requestTime",
      "requestTimeEpoch",
      "protocol",
      "domainName",
      "domainPrefix",
      "apiId",
    ];
    const template = fields.map((field) => `$context.${field}`).join("|");
    expect(render(template, { headers: { Host: "abc123.execute-api.eu-west-1.amazonaws.com" } }).split("|")).toEqual([
      "0d9f3a54-1b2c-4d5e-8f70-123456789abc",
      "POST",
      "/token",
      "/debug/token",
      "debug",
      "04/Nov/2025:09:05:07 +0000",
      "1762247107123",
      "HTTP/1.1",
      "abc123.execute-api.eu-west-1.amazonaws.com",
      "abc123",
      "local",
    ]);
  });

  test("GIVEN a request THEN extendedRequestId is shaped like API Gateway's and stable per request", () => {
    const extended = render("$context.extendedRequestId");
    expect(extended).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(render("$context.extendedRequestId")).toBe(extended);
  });

  test("GIVEN identity variables THEN source IP and User-Agent, and the null ones print nothing", () => {
    const headers = { "user-agent": "Apache-HttpClient/4.5.14 (Java/17.0.13)" };
    expect(
      render(
        "$context.identity.sourceIp|$context.identity.userAgent|$context.identity.apiKey|$context.identity.caller|",
        { headers },
      ),
    ).toBe("54.239.28.85|Apache-HttpClient/4.5.14 (Java/17.0.13)|||");
  });
});

describe("$context.responseOverride", () => {
  const respond = (template: string, defaultStatus = 200) =>
    renderResponseTemplate(template, {}, gatewayRequest(), defaultStatus);

  test("GIVEN status and header overrides THEN they replace the integration response's", () => {
    const template = [
      "#set($context.responseOverride.status = 401)",
      "#set($context.responseOverride.header.content-type = 'text/html')",
      "#set($context.responseOverride.header.WWW-Authenticate = 'Basic realm=\"x\"')",
      "<p>no</p>",
    ].join("\n");
    expect(respond(template)).toEqual({
      status: 401,
      headers: { "content-type": "text/html", "WWW-Authenticate": 'Basic realm="x"' },
      body: "<p>no</p>",
    });
  });

  test("GIVEN no override THEN the integration response's status and the template's Content-Type", () => {
    expect(respond("x", 502)).toEqual({ status: 502, headers: { "Content-Type": "application/json" }, body: "x" });
  });

  test("GIVEN a status that is not an integer from 100 to 599 THEN AWS ignores it", () => {
    expect(respond("#set($context.responseOverride.status = 99)x").status).toBe(200);
    expect(respond("#set($context.responseOverride.status = 'abc')x").status).toBe(200);
    expect(respond("#set($context.responseOverride.status = '404')x").status).toBe(404);
  });

  test("GIVEN an override set to null THEN nothing is set, as Velocity skips a null #set", () => {
    expect(respond("#set($context.responseOverride.header.Pragma = $input.path('$.missing'))x").headers).toEqual({
      "Content-Type": "application/json",
    });
  });

  test("GIVEN one header overridden twice THEN API Gateway's 500 ('overrides are final')", () => {
    const template =
      "#set($context.responseOverride.header.Pragma = 'a')#set($context.responseOverride.header.pragma = 'b')x";
    expect(gatewayErrorOf(() => respond(template)).response).toEqual({
      status: 500,
      headers: { "Content-Type": "application/json" },
      body: '{"message":"Internal server error"}',
    });
  });
});

describe("template output", () => {
  test("GIVEN directive-only lines and comments THEN they leave no blank line behind", () => {
    const template = [
      "## a comment",
      "#set($a = 1)",
      "#if($a == 1)",
      "#set($b = 'x')",
      "#end",
      "line $b",
      "#* block *#",
      "end",
    ].join("\n");
    expect(render(template)).toBe("line x\nend");
  });

  test("GIVEN a request template whose output is not JSON THEN API Gateway's 400 instead of invoking the Lambda", () => {
    const error = gatewayErrorOf(() =>
      renderRequest(`{"state":"$input.params('state')"}`, { query: { state: 'a"b' } }),
    );
    expect(error.response.status).toBe(400);
    expect(JSON.parse(error.response.body).message).toMatch(/^Could not parse request body into json: /);
  });
});

describe("template selection", () => {
  const form = "application/x-www-form-urlencoded";
  const templates = { [form]: "FORM", "application/json": "JSON", "text/plain": "TEXT" };

  test.each([
    ["Alexa's form with a charset", "application/x-www-form-urlencoded;charset=UTF-8", "FORM"],
    ["a missing Content-Type, which counts as application/json", undefined, "JSON"],
    ["text/plain", "text/plain", "TEXT"],
    ["another case and spacing", "Application/JSON ; charset=utf-8", "JSON"],
  ])("GIVEN %s THEN its template", (_name, contentType, template) => {
    expect(selectRequestTemplate(contentType, templates, "WHEN_NO_TEMPLATES")).toEqual({ kind: "template", template });
  });

  test("GIVEN an unmapped type THEN 415 under WHEN_NO_TEMPLATES and NEVER, the raw body under WHEN_NO_MATCH", () => {
    expect(selectRequestTemplate("application/xml", templates, "WHEN_NO_TEMPLATES")).toEqual({
      kind: "unsupported-media-type",
    });
    expect(selectRequestTemplate("application/xml", templates, "NEVER")).toEqual({ kind: "unsupported-media-type" });
    expect(selectRequestTemplate("application/xml", templates, "WHEN_NO_MATCH")).toEqual({ kind: "passthrough" });
  });

  test("GIVEN no Content-Type and no application/json template THEN 415 under WHEN_NO_TEMPLATES", () => {
    expect(selectRequestTemplate(undefined, { [form]: "FORM" }, "WHEN_NO_TEMPLATES")).toEqual({
      kind: "unsupported-media-type",
    });
  });

  test("GIVEN no template at all THEN passthrough under WHEN_NO_TEMPLATES, 415 under NEVER", () => {
    expect(selectRequestTemplate(form, {}, "WHEN_NO_TEMPLATES")).toEqual({ kind: "passthrough" });
    expect(selectRequestTemplate(form, {}, "NEVER")).toEqual({ kind: "unsupported-media-type" });
  });

  test("GIVEN a 415 THEN API Gateway's own message", () => {
    const response = unsupportedMediaTypeResponse();
    expect(response.status).toBe(415);
    expect(response.headers).toEqual({ "Content-Type": "application/json" });
    expect(JSON.parse(response.body)).toEqual({ message: "Unsupported Media Type" });
  });

  test("GIVEN an Accept header THEN the response template by Accept, then application/json, then the first", () => {
    const responses = { "text/html": "HTML", "application/json": "JSON" };
    expect(selectResponseTemplate("text/html, */*;q=0.1", responses)).toEqual({
      kind: "template",
      contentType: "text/html",
      template: "HTML",
    });
    expect(selectResponseTemplate(undefined, responses)).toMatchObject({ template: "JSON" });
    expect(selectResponseTemplate("application/xml", responses)).toMatchObject({ template: "JSON" });
    expect(selectResponseTemplate("application/xml", { "text/html": "HTML", "text/csv": "CSV" })).toMatchObject({
      template: "HTML",
    });
    expect(selectResponseTemplate("application/json", {})).toEqual({ kind: "passthrough" });
  });

  test("GIVEN the stack's integration responses THEN a crash picks 502 and a success the default", () => {
    const responses = [{ statusCode: "200" }, { statusCode: "502", selectionPattern: ".+" }];
    expect(selectIntegrationResponse(undefined, responses)?.statusCode).toBe("200");
    expect(selectIntegrationResponse("Task timed out after 29.00 seconds", responses)?.statusCode).toBe("502");
    // The pattern must match the whole errorMessage, and "." stops at a line break.
    expect(selectIntegrationResponse("first line\nsecond line", responses)?.statusCode).toBe("200");
  });
});

describe("the templates the stack deploys are the ones the local runtime reads", () => {
  const { json } = synthStack();
  const integration = Object.values(json.resource.aws_api_gateway_integration)[0];
  const responses = Object.values(json.resource.aws_api_gateway_integration_response);
  // status_code refers to the method response, so the integration responses are told apart by
  // their selection pattern: none for the default (200), ".+" for a failed Lambda (502).
  const responseTemplate = (selectionPattern: string | undefined) =>
    responses.find((response) => response.selection_pattern === selectionPattern)?.response_templates;

  test("GIVEN the synthesized integration THEN every request template is token-request.vtl", () => {
    const requestTemplates = Object.values<string>(integration.request_templates);
    expect(requestTemplates.length).toBeGreaterThan(0);
    for (const template of requestTemplates) expect(template).toBe(readTemplate("token-request"));
  });

  test("GIVEN the synthesized integration responses THEN token-response.vtl by default, the error one for a crash", () => {
    expect(responseTemplate(undefined)).toEqual({ "application/json": readTemplate("token-response") });
    expect(responseTemplate(".+")).toEqual({ "application/json": readTemplate("token-error-response") });
  });
});

/**
 * Who answered verify's request, from the answer alone, and the one-line summary a check shows
 * instead of the body.
 */
import { answerSummary, ATTEMPT_HEADER, identifyAnswerer } from "../../../scripts/verify/answerer";
import { notDeliveredCheck } from "../../../scripts/verify/path-checks";
import { hostNotFoundFinding, verifyFindings, verifyVerdict } from "../../../scripts/verify/verify-findings";
import { Answer } from "../../../scripts/verify/send-request";

const answer = (status: number, headers: Record<string, string>, body: string): Answer => ({ status, headers, body: Buffer.from(body) });
const HTML = "<!doctype html>\n<html><title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1></html>\n";

describe("who answered", () => {
  test("GIVEN the attempt header THEN the debugger", () => {
    expect(identifyAnswerer("https://x/token", answer(200, { [ATTEMPT_HEADER]: "a" }, "{}"))).toEqual({ kind: "debugger" });
  });

  test("GIVEN API Gateway's request id or error type, or its {\"message\"} body THEN API Gateway, with what it said", () => {
    expect(identifyAnswerer("https://x/token", answer(403, { "x-amzn-errortype": "MissingAuthenticationTokenException:http://internal" }, "{}"))).toMatchObject({
      kind: "api-gateway",
      errorType: "MissingAuthenticationTokenException",
    });
    expect(identifyAnswerer("https://x/token", answer(500, { "x-amzn-requestid": "r" }, "x"))).toMatchObject({ kind: "api-gateway" });
    expect(identifyAnswerer("http://127.0.0.1/token", answer(415, { "content-type": "application/json" }, '{"message":"Unsupported Media Type"}'))).toMatchObject({
      kind: "api-gateway",
      message: "Unsupported Media Type",
    });
  });

  test("GIVEN an HTML 500 with no API Gateway mark THEN not API Gateway, named by its Server header", () => {
    expect(identifyAnswerer("http://10.0.0.1/token", answer(500, { "content-type": "text/html", server: "nginx" }, HTML))).toEqual({
      kind: "not-api-gateway",
      name: 'another server (Server: "nginx"): a proxy, a load balancer or a different service',
    });
  });

  test("GIVEN the emulator's origin in AWS_ENDPOINT_URL, an invoke path or a Python server THEN an AWS emulator", () => {
    const html = answer(500, { "content-type": "text/html", server: "Werkzeug/3.1.8 Python/3.11.7" }, HTML);
    expect(identifyAnswerer("http://127.0.0.1:5000/restapis/a/prod/_user_request_/token", html, { AWS_ENDPOINT_URL: "http://127.0.0.1:5000" })).toMatchObject({
      name: expect.stringMatching(/^the AWS emulator at AWS_ENDPOINT_URL \(http:\/\/127\.0\.0\.1:5000, Server: "Werkzeug/),
    });
    expect(identifyAnswerer("http://127.0.0.1:5000/restapis/a/prod/_user_request_/token", html)).toMatchObject({ name: expect.stringMatching(/^an AWS emulator \(a moto or LocalStack invoke URL/) });
    expect(identifyAnswerer("http://127.0.0.1:5000/token", html)).toMatchObject({ name: expect.stringMatching(/^a Python web server .*as AWS emulators such as moto are$/) });
  });

  test("the summary: status, size, type and fingerprint on one line, never the body's text", () => {
    const summary = answerSummary(answer(500, { "content-type": "text/html; charset=utf-8" }, HTML));
    expect(summary).toMatch(new RegExp(`^500, ${Buffer.byteLength(HTML)} bytes text/html; charset=utf-8 \\[redacted len=${Buffer.byteLength(HTML)} hmac=[0-9a-f]+\\]$`));
    expect(answerSummary(answer(204, {}, ""))).toBe("204, empty body, no content type");
  });
});

describe("what verify concludes", () => {
  test("GIVEN an HTML 500 from another server THEN not-the-debugger and DEPLOY_PATH_NOT_API_GATEWAY, no redeploy", () => {
    const check = notDeliveredCheck("r", answer(500, { "content-type": "text/html" }, HTML), "https://api.example.com/token");
    expect(check).toMatchObject({ layer: "endpoint", ok: false });
    expect(check.detail).not.toContain("\n");
    expect(verifyVerdict([check], [])).toBe("not-the-debugger");
    const [finding] = verifyFindings([check], []);
    expect(finding.code).toBe("DEPLOY_PATH_NOT_API_GATEWAY");
    expect(finding.fix).not.toMatch(/redeploy|npm run deploy\b(?! prints)/i);
  });

  test("GIVEN API Gateway's own 500 (not the debugger's error template) THEN blocked and DEPLOY_PATH_GATEWAY_ERROR, no redeploy", () => {
    const check = notDeliveredCheck("r", answer(500, { "content-type": "application/json", "x-amzn-errortype": "InternalServerErrorException" }, '{"message": "Internal server error"}'));
    expect(check).toMatchObject({ layer: "API Gateway" });
    expect(check.detail).toMatch(/^API Gateway answered itself \(InternalServerErrorException "Internal server error"\), before the Lambda: 500, 36 bytes application\/json/);
    expect(verifyVerdict([check], [])).toBe("blocked");
    expect(verifyFindings([check], []).map((finding) => finding.code)).toEqual(["DEPLOY_PATH_GATEWAY_ERROR"]);
    expect(verifyFindings([check], [])[0].fix).not.toMatch(/redeploy/i);
  });

  test("GIVEN API Gateway's 415 THEN the request templates are named, and redeploying them is the advice", () => {
    const check = notDeliveredCheck("r", answer(415, { "content-type": "application/json" }, '{"message":"Unsupported Media Type"}'));
    expect(check.layer).toBe("request template");
    expect(verifyFindings([check], [])[0]).toMatchObject({ code: "DEPLOY_PATH_ALTERED_REQUEST", fix: expect.stringMatching(/^Redeploy/) });
  });

  test("GIVEN an execute-api host that does not resolve THEN it says what that means, and names AWS_ENDPOINT_URL when set", () => {
    const finding = hostNotFoundFinding("https://abc123.execute-api.us-east-1.amazonaws.com/prod/token", "ENOTFOUND", { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
    expect(finding.code).toBe("DEPLOY_PATH_HOST_NOT_FOUND");
    expect(finding.message).toMatch(/^The execute-api host abc123\.execute-api\.us-east-1\.amazonaws\.com does not resolve \(ENOTFOUND\)/);
    expect(finding.message).toContain("AWS_ENDPOINT_URL is set (http://127.0.0.1:4566)");
    expect(hostNotFoundFinding("https://auth.example.invalid/token", "ENOTFOUND").message).toBe("The host auth.example.invalid does not resolve (ENOTFOUND): nothing was sent.");
  });
});

/**
 * Who answered one of verify's requests, judged from the answer alone: the debugger (its
 * attempt header), API Gateway itself (its own headers or its default error body), or
 * something that is not API Gateway at all (an AWS emulator, a proxy, another server). Verify
 * blames a layer of the deployed path only when the answer came from that path. Pure.
 */
import { fingerprint } from "../../functions/token-url/fingerprint";
import { Answer } from "./send-request";

export type Answerer =
  | { readonly kind: "debugger" }
  | { readonly kind: "api-gateway"; readonly errorType?: string; readonly message?: string }
  | { readonly kind: "not-api-gateway"; readonly name: string };

/** The debugger's own header, naming the attempt record (infra/templates/token-response.vtl). */
export const ATTEMPT_HEADER = "x-token-debugger-attempt";

// API Gateway adds a request id to every answer it sends (x-amzn-RequestId, and the REST API's
// x-amz-apigw-id), and names its own errors in x-amzn-ErrorType (e.g.
// MissingAuthenticationTokenException). Its default gateway responses have the body
// {"message": "..."} ("Set up a gateway response", Amazon API Gateway developer guide).
const GATEWAY_HEADERS = ["x-amzn-requestid", "x-amz-apigw-id", "x-amzn-errortype"];

export function identifyAnswerer(url: string, answer: Answer, env: NodeJS.ProcessEnv = {}): Answerer {
  if (answer.headers[ATTEMPT_HEADER] !== undefined) return { kind: "debugger" };
  const message = gatewayMessage(answer);
  if (GATEWAY_HEADERS.some((name) => answer.headers[name] !== undefined) || message !== undefined) {
    return { kind: "api-gateway", errorType: answer.headers["x-amzn-errortype"]?.split(":")[0], message };
  }
  return { kind: "not-api-gateway", name: notGatewayName(url, answer, env) };
}

/** The message of API Gateway's default error body, `{"message":"…"}`, if that is the body. */
function gatewayMessage(answer: Answer): string | undefined {
  if (!/json/i.test(answer.headers["content-type"] ?? "")) return undefined;
  try {
    const parsed: unknown = JSON.parse(answer.body.toString("utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    const keys = Object.keys(parsed);
    const message = (parsed as { message?: unknown }).message;
    return keys.length === 1 && typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the server most likely is, in a few words, with the evidence: the AWS emulator that
 * AWS_ENDPOINT_URL points at, moto's or LocalStack's invoke path (`/restapis/<id>/<stage>/
 * _user_request_/`), a Python web server (moto runs on Werkzeug), or whatever its Server
 * header says.
 */
function notGatewayName(url: string, answer: Answer, env: NodeJS.ProcessEnv): string {
  const target = new URL(url);
  const server = answer.headers.server;
  const serverNote = server ? `Server: ${JSON.stringify(server.slice(0, 60))}` : "no Server header";
  const endpoint = env.AWS_ENDPOINT_URL;
  if (endpoint && sameOrigin(endpoint, target)) return `the AWS emulator at AWS_ENDPOINT_URL (${target.origin}, ${serverNote})`;
  if (/\/restapis\/[^/]+\/[^/]+\/_user_request_\//.test(target.pathname) || /localstack/i.test(target.hostname)) {
    return `an AWS emulator (a moto or LocalStack invoke URL, ${serverNote})`;
  }
  if (/werkzeug|python/i.test(server ?? "")) return `a Python web server (${serverNote}), as AWS emulators such as moto are`;
  return `another server (${serverNote}): a proxy, a load balancer or a different service`;
}

function sameOrigin(endpoint: string, target: URL): boolean {
  try {
    return new URL(endpoint).host === target.host;
  } catch {
    return false;
  }
}

/** An answer in one line, never its text: "500, 265 bytes text/html; charset=utf-8 [redacted len=265 hmac=…]". */
export function answerSummary(answer: Answer): string {
  const type = answer.headers["content-type"] ?? "no content type";
  if (answer.body.length === 0) return `${answer.status}, empty body, ${type}`;
  return `${answer.status}, ${answer.body.length} bytes ${type} ${fingerprint(answer.body.toString("utf8"))}`;
}

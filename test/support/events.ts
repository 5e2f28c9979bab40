import { basicAuthorization } from "../../scripts/probe/alexa-request";
import { TokenEvent } from "../../functions/token-url/event";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** An event exactly as infra/templates/token-request.vtl renders Alexa's token request. */
export function alexaEvent(options: {
  body: string;
  headers?: Record<string, string>;
  requestId?: string;
  /** When API Gateway received it; Alexa's 4.5 s clock starts here. @default now */
  requestTimeEpoch?: number;
}): TokenEvent {
  const headers = {
    "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
    "User-Agent": "Apache-HttpClient/UNAVAILABLE (Java/1.8.0_432)",
    ...options.headers,
  };
  return {
    bodyBase64: b64(options.body),
    headersBase64: Object.entries(headers).map(([name, value]) => [b64(name), b64(value)]),
    queryBase64: [],
    httpMethod: "POST",
    resourcePath: "/token",
    stage: "debug",
    requestId: options.requestId ?? "c0ffee00-0000-4000-8000-000000000001",
    requestTimeEpoch: options.requestTimeEpoch ?? Date.now(),
    sourceIp: "52.94.236.248",
    userAgentBase64: b64(headers["User-Agent"]),
  };
}

/** HTTP Basic as Alexa sends it: id and secret form-encoded first (RFC 6749 §2.3.1). */
export const basicAuth = basicAuthorization;

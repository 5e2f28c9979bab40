/** `$context` of API Gateway mapping templates, as the variable reference describes it. */
import { createHash } from "node:crypto";
import { GatewayRequest } from "./gateway-types";
import { javaString } from "./velocity";

/** $context.apiId of the local runtime (a real one is 10 characters such as `a1b2c3d4e5`). */
export const LOCAL_API_ID = "local";

/** The `$context` variable of a method request. */
export function contextVariable(request: GatewayRequest) {
  const domainName = headerValue(request.headers, "Host") ?? "localhost";
  return {
    apiId: LOCAL_API_ID,
    // "The full domain name used to invoke the API. This should be the same as the incoming
    // Host header."
    domainName,
    domainPrefix: domainName.split(".")[0],
    extendedRequestId: extendedRequestId(request.requestId),
    httpMethod: request.method,
    identity: {
      sourceIp: request.sourceIp,
      userAgent: headerValue(request.headers, "User-Agent") ?? null,
      // Null for an API without IAM, Cognito or API keys, as this stack's; printed as nothing.
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      user: null,
      userArn: null,
    },
    // "For a non-proxy request URL of https://{rest-api-id}.execute-api.{region}.amazonaws.com
    // /{stage}/root/child, the $context.path value is /{stage}/root/child."
    path: `/${request.stage}${request.resourcePath}`,
    protocol: request.protocol ?? "HTTP/1.1",
    requestId: request.requestId,
    requestTime: clfTime(request.requestTimeEpoch),
    requestTimeEpoch: request.requestTimeEpoch,
    resourcePath: request.resourcePath,
    stage: request.stage,
  };
}

/** A header's value whatever the case of its name. */
function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Shaped like API Gateway's (16 characters of base64, e.g. `BLWZ6GvlIAMF-Ag=`), derived from
 * the request id so that one request always shows the same pair. */
function extendedRequestId(requestId: string): string {
  return `${createHash("sha256").update(requestId).digest().subarray(0, 11).toString("base64url")}=`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "The CLF-formatted request time (dd/MMM/yyyy:HH:mm:ss +-hhmm)", in UTC. */
function clfTime(epochMs: number): string {
  const time = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${two(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}`;
  return `${date}:${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} +0000`;
}

/** What a response template asked for through `$context.responseOverride`. */
export interface ResponseOverrides {
  status?: number;
  headers: Record<string, string>;
  /** Names set more than once: "Trying to override the same parameter multiple times will
   * result in 5XX responses from Amazon API Gateway." */
  repeated: string[];
}

/**
 * `$context.responseOverride`, recording `#set($context.responseOverride.status = …)` and
 * `#set($context.responseOverride.header.<Name> = …)`. AWS applies overrides after the whole
 * template ran, so they are collected here and applied by the caller.
 */
export function responseOverride(): { variable: object; overrides: ResponseOverrides } {
  const overrides: ResponseOverrides = { headers: {}, repeated: [] };
  const seen = new Set<string>();
  // Velocity does not assign a null value (`#set` with a null right-hand side is skipped), and
  // velocityjs hangs an `eval` function on objects it calls methods on: neither is an override.
  const record = (name: string, value: unknown): boolean => {
    if (value === null || value === undefined || typeof value === "function") return false;
    if (seen.has(name.toLowerCase())) overrides.repeated.push(name);
    seen.add(name.toLowerCase());
    return true;
  };
  const header = new Proxy({} as Record<string, unknown>, {
    set: (target, name, value) => {
      if (typeof name === "string" && record(`header.${name}`, value)) overrides.headers[name] = javaString(value);
      target[name as string] = value;
      return true;
    },
  });
  const variable = new Proxy({ header } as Record<string, unknown>, {
    set: (target, name, value) => {
      if (name === "status" && record("status", value)) overrides.status = validStatus(value);
      if (name !== "header") target[name as string] = value;
      return true;
    },
  });
  return { variable, overrides };
}

/** AWS ignores a status override that is not an integer from 100 to 599 (observed against AWS
 * by localstack/localstack, execute_api/handlers/integration_response.py). */
function validStatus(value: unknown): number | undefined {
  const status = typeof value === "number" ? value : /^\d+$/.test(javaString(value)) ? Number(javaString(value)) : NaN;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/**
 * The series of Alexa-shaped requests verify sends, each built to break a careless mapping
 * template: quotes, backslashes, `+`, `%`, `&`, `=`, non-ASCII and emoji in values, a 2 KB code,
 * a secret with `:` and `+`, both client-auth schemes, JSON and text/plain bodies, a duplicate
 * field. Every value is made up per run; the codes are ones no server has issued, so a real
 * token URL refuses them and no real code is used up.
 */
import { randomBytes } from "node:crypto";
import { ClientAuth } from "../../functions/token-url/client-auth";
import { OutgoingTokenRequest } from "../../functions/token-url/upstream/capture-exchange";
import { basicAuthorization } from "../probe/alexa-request";

export interface CanaryRequest extends OutgoingTokenRequest {
  readonly label: string;
  /** What the Lambda should read: the first value of a repeated field, as form parsing does. */
  readonly expected: {
    readonly fields: Record<string, string>;
    readonly duplicateFields: string[];
    readonly clientAuth: ClientAuth;
    /** JSON and text/plain bodies must be recorded with REQUEST_NOT_FORM. */
    readonly notForm: boolean;
  };
}

export interface CanaryCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Characters that a template which escapes, decodes or trims would change. */
export const AWKWARD = `'"\\+%&=;<>#{}$ é ü ß 日本 😀`;

const FORM = "application/x-www-form-urlencoded;charset=UTF-8";
const ALEXA_USER_AGENT = "Apache-HttpClient/4.5.14 (Java/17.0.15)";
const REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/M2VERIFY";

/** Made up per run: a secret with ":" and "+" (Basic's separator, and a space once decoded). */
export function canaryCredentials(runId: string): CanaryCredentials {
  return { clientId: `verify-client+${runId}:é`, clientSecret: `verify:secret+${randomBytes(12).toString("base64url")}/=` };
}

/**
 * The series, all tagged with `runId` in the User-Agent: the records carry it in clear, so one
 * FilterLogEvents query finds all of them. `credentials` are the user's in proxy mode (so the
 * upstream judges a valid client), else made up; the request for the `:`/`+` secret always
 * uses a made-up one.
 */
export function canaryRequests(runId: string, credentials: CanaryCredentials): CanaryRequest[] {
  const canary = canaryCredentials(runId);
  const userAgent = `${ALEXA_USER_AGENT} token-url-debugger-verify/${runId}`;
  const code = (n: number, length = 40) => `verify-made-up-${n}-${runId}-${AWKWARD}`.padEnd(length, "x");
  const codeFields = (n: number, length?: number): [string, string][] => [
    ["grant_type", "authorization_code"],
    ["code", code(n, length)],
    ["redirect_uri", `${REDIRECT_URI}?state=${AWKWARD}`],
  ];
  const basic = (pairs: [string, string][], label: string, creds = credentials): CanaryRequest =>
    form(label, pairs, { authorization: basicAuthorization(creds.clientId, creds.clientSecret) }, "basic");
  const form = (label: string, pairs: [string, string][], extra: Record<string, string>, clientAuth: ClientAuth, contentType = FORM): CanaryRequest => ({
    label,
    body: Buffer.from(new URLSearchParams(pairs).toString(), "utf8"),
    headers: { "content-type": contentType, accept: "application/json", "user-agent": userAgent, ...extra },
    expected: { fields: firstValues(pairs), duplicateFields: duplicates(pairs), clientAuth, notForm: contentType !== FORM },
  });
  const inBody: [string, string][] = [
    ["client_id", credentials.clientId],
    ["client_secret", credentials.clientSecret],
  ];
  const jsonFields = Object.fromEntries([...codeFields(5), ...inBody]);
  return [
    basic(codeFields(1, 2048), "form, HTTP Basic, 2 KB code"),
    basic(codeFields(2), "form, HTTP Basic, secret with : and +", canary),
    form("form, credentials in body", [...codeFields(3), ...inBody], {}, "body"),
    form("form, duplicate field", [...codeFields(4), ["code", "verify-second-value"], ...inBody], {}, "body"),
    {
      label: "JSON body",
      body: Buffer.from(JSON.stringify(jsonFields), "utf8"),
      headers: { "content-type": "application/json", accept: "application/json", "user-agent": userAgent },
      expected: { fields: jsonFields, duplicateFields: [], clientAuth: "body", notForm: true },
    },
    form("text/plain body", [...codeFields(6), ...inBody], {}, "body", "text/plain;charset=UTF-8"),
  ];
}

/** Every secret value the series holds, for the canary checks of tests and the scrubbing of
 * error lines. */
export function canarySecrets(requests: readonly CanaryRequest[]): string[] {
  const values = new Set<string>();
  for (const request of requests) {
    for (const name of ["client_secret", "code"]) if (request.expected.fields[name]) values.add(request.expected.fields[name]);
    if (request.headers.authorization) values.add(request.headers.authorization);
  }
  return [...values];
}

function firstValues(pairs: [string, string][]): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of pairs) if (!(name in fields)) fields[name] = value;
  return fields;
}

function duplicates(pairs: [string, string][]): string[] {
  const names = pairs.map(([name]) => name);
  return [...new Set(names.filter((name, index) => names.indexOf(name) !== index))];
}

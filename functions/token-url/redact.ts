import { fingerprint } from "./fingerprint";
import { decodeFormComponent } from "./form";

/** Form fields and token-body fields that are never shown in clear (DESIGN §3.2). */
const SECRET_FIELDS = new Set([
  "client_secret",
  "code",
  "code_verifier",
  "refresh_token",
  "access_token",
  "id_token",
]);

export function redactFields(fields: Record<string, string>): Record<string, string> {
  const redacted: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(fields)) {
    redacted[name] = SECRET_FIELDS.has(name) ? fingerprint(value) : value;
  }
  return redacted;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const redacted: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    redacted[name] = name === "authorization" ? redactAuthorization(value) : value;
  }
  return redacted;
}

/** HTTP Basic shows the decoded client_id, so a wrong id is visible; the secret only as a
 * fingerprint. Any other scheme is fingerprinted whole. */
function redactAuthorization(value: string): string {
  const basic = parseBasicAuthorization(value);
  if (basic === undefined) return fingerprint(value);
  return `Basic client_id=${JSON.stringify(basic.clientId)} client_secret=${fingerprint(basic.clientSecret)}`;
}

export interface BasicCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64. */
export function parseBasicAuthorization(value: string): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  return {
    clientId: decodeFormComponent(decoded.slice(0, colon)),
    clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
  };
}

/** A token response body with its tokens fingerprinted; anything that is not a JSON object is
 * kept as sent (an HTML error page is the diagnosis). */
export function redactTokenBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return body;
  const redacted: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(parsed)) {
    redacted[name] = SECRET_FIELDS.has(name) && typeof value === "string" ? fingerprint(value) : value;
  }
  return JSON.stringify(redacted);
}

import { fingerprint } from "./fingerprint";
import { decodeFormComponent } from "./form";

/** Form fields and token-body fields that are never shown in clear (DESIGN §3.2). */
const SECRET_FIELDS = new Set([
  "client_secret",
  "client_assertion",
  "code",
  "code_verifier",
  "password",
  "refresh_token",
  "access_token",
  "id_token",
]);

// Credentials or sessions in headers, either way.
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

// Tokens that may be JWTs: their header and a few claims help, their signature never.
const JWT_FIELDS = new Set(["access_token", "id_token"]);
const SHOWN_JWT_CLAIMS = ["iss", "aud", "exp"];

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
    if (name === "authorization") redacted[name] = redactAuthorization(value);
    else redacted[name] = SECRET_HEADERS.has(name) ? fingerprint(value) : value;
  }
  return redacted;
}

/** The secret values a request carries, to scrub them wherever a server echoes them back. */
export function secretValues(fields: Record<string, string>, authorization: string | undefined): string[] {
  const secrets = Object.entries(fields)
    .filter(([name, value]) => SECRET_FIELDS.has(name) && value !== "")
    .map(([, value]) => value);
  if (authorization) {
    secrets.push(authorization);
    const basic = parseBasicAuthorization(authorization);
    if (basic?.clientSecret) secrets.push(basic.clientSecret);
  }
  return secrets;
}

/** Replaces every occurrence of a known secret (an error page that echoes the code, say). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret that contains another is replaced whole.
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((scrubbed, secret) => scrubbed.split(secret).join(fingerprint(secret)), text);
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

/**
 * A token response body with its tokens fingerprinted wherever they sit: in a JSON value at
 * any depth (an array answer too), or as `name=value` in a form-encoded or text body. The
 * rest is kept as sent: an HTML error page is the diagnosis.
 */
export function redactTokenBody(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.replace(/^\uFEFF/, ""));
  } catch {
    return body.replace(TOKEN_IN_TEXT, (_match, name: string, value: string) => `${name}=${redactToken(name, value)}`);
  }
  if (parsed === null || typeof parsed !== "object") return body;
  return JSON.stringify(redactJson(parsed));
}

const TOKEN_IN_TEXT = /\b(access_token|refresh_token|id_token|code)=([^&\s"'<>]+)/g;

function redactJson(value: unknown, name = ""): unknown {
  if (typeof value === "string") return SECRET_FIELDS.has(name) ? redactToken(name, value) : value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item));
  if (value === null || typeof value !== "object") return value;
  const redacted: Record<string, unknown> = Object.create(null);
  for (const [key, item] of Object.entries(value)) redacted[key] = redactJson(item, key);
  return redacted;
}

function redactToken(name: string, token: string): string {
  const jwt = JWT_FIELDS.has(name) ? describeJwt(token) : undefined;
  return jwt ? `${fingerprint(token)} jwt ${jwt}` : fingerprint(token);
}

/** "alg=RS256 typ=JWT iss=… aud=… exp=2026-…" for a well-formed JWT; undefined otherwise. */
function describeJwt(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (typeof header !== "object" || header === null || typeof claims !== "object" || claims === null) return undefined;
    const shown = [`alg=${header.alg}`, ...(header.typ ? [`typ=${header.typ}`] : [])];
    for (const claim of SHOWN_JWT_CLAIMS) {
      if (claims[claim] === undefined) continue;
      const value = claim === "exp" && typeof claims.exp === "number" ? new Date(claims.exp * 1000).toISOString() : claims[claim];
      shown.push(`${claim}=${Array.isArray(value) ? value.join(",") : String(value)}`);
    }
    return shown.join(" ");
  } catch {
    return undefined;
  }
}

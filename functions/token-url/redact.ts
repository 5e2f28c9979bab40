import { fingerprint } from "./fingerprint";
import { decodeFormComponent } from "./form";
import { isSecretName } from "./issued-tokens";
import { Scrubber } from "./scrubber";

/** Form fields and token-body fields that are never shown in clear (DESIGN §3.2); any other
 * name that says token or secret (issued-tokens.ts) counts too. */
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

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name) || isSecretName(name);
}

function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name) || isSecretName(name) || /(^|-)(api-?key|auth)$/.test(name);
}

export function redactFields(fields: Record<string, string>): Record<string, string> {
  const redacted: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(fields)) {
    redacted[name] = isSecretField(name) ? fingerprint(value) : value;
  }
  return redacted;
}

/** `credentials`: the request's, read once (readCredentials), so the Basic header is not parsed
 * again; without them the header is read here. */
export function redactHeaders(headers: Record<string, string>, credentials?: RequestCredentials): Record<string, string> {
  const redacted: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (name === "authorization") redacted[name] = redactAuthorization(value, credentials ? credentials.basic : parseBasicAuthorization(value));
    else redacted[name] = isSecretHeader(name) ? fingerprint(value) : value;
  }
  return redacted;
}

/** A request's credentials, read once per attempt: the Basic header decoded, and every secret
 * value the request carries (fields, Authorization, cookies), which the scrubber hunts for. */
export interface RequestCredentials {
  readonly basic: BasicCredentials | undefined;
  readonly secrets: readonly string[];
  /** The texts whose base64 gives a secret away, by secret: the `id:secret` pair. */
  readonly related: ReadonlyMap<string, readonly string[]>;
}

export function readCredentials(headers: Record<string, string>, fields: Record<string, string>): RequestCredentials {
  const secrets = Object.entries(fields)
    .filter(([name, value]) => isSecretField(name) && value !== "")
    .map(([, value]) => value);
  const related = new Map<string, string[]>();
  const authorization = headers.authorization;
  const basic = authorization === undefined ? undefined : parseBasicAuthorization(authorization);
  if (authorization && !basic) {
    secrets.push(authorization, authorization.replace(/^\S+\s+/, "").trim());
  }
  if (basic) {
    secrets.push(basic.clientSecret);
    // RFC 6749 §2.3.1 pair, encoded and not, as a server may re-encode it.
    const pairs = [`${basic.clientId}:${basic.clientSecret}`, `${encodeURIComponent(basic.clientId)}:${encodeURIComponent(basic.clientSecret)}`];
    // The blob as sent, too (any padding or spacing the client chose).
    const blob = authorization!.replace(/^\S+\s+/, "").trim();
    related.set(basic.clientSecret, [...pairs, Buffer.from(blob, "base64").toString("utf8")]);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name === "authorization" || !isSecretHeader(name)) continue;
    secrets.push(value);
    if (name === "cookie") for (const cookie of value.split(";")) secrets.push(cookie.replace(/^[^=]*=/, "").trim());
  }
  return { basic, secrets: secrets.filter((secret) => secret !== ""), related };
}

export function scrubberFor(credentials: RequestCredentials): Scrubber {
  return new Scrubber(credentials.secrets, credentials.related);
}

/** HTTP Basic shows the decoded client_id, so a wrong id is visible; the secret only as a
 * fingerprint. Any other scheme is fingerprinted whole. */
function redactAuthorization(value: string, basic: BasicCredentials | undefined): string {
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

/**
 * The tokens an answer issues, wherever they stand, so that they join the attempt's secrets
 * and are scrubbed in every form everywhere (the body, finding messages, headers): strict JSON
 * and near-JSON (trailing commas, a JSONP callback, single quotes), form-encoded and XML
 * answers, any name that says token or secret in snake_case, camelCase or kebab-case at any
 * depth, a Location's query and fragment, and headers whose name says token. Set-Cookie values
 * too: a session is as good as a token.
 */
import { answerReadings } from "./answer-text";

export function issuedTokens(body: Buffer, headers: Record<string, string>): string[] {
  const found = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (trimmed.length >= 2 && !/^\[redacted/.test(trimmed)) found.add(trimmed);
  };
  for (const text of answerReadings(body, headers["content-type"])) {
    for (const value of fromJson(text)) add(value);
    for (const value of fromPairs(text)) add(value);
    for (const value of fromXml(text)) add(value);
    for (const value of fromForm(text)) add(value);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (isSecretName(name)) add(value.replace(/^(Bearer|Basic)\s+/i, ""));
    if (name === "location" || name === "content-location" || name === "refresh" || name === "link") {
      for (const pair of fromPairs(value)) add(pair);
      for (const part of value.split(/[?#]/).slice(1)) for (const pair of fromForm(part)) add(pair);
    }
    if (name === "set-cookie") {
      for (const cookie of value.split(/,\s*(?=[^;=\s]+=)/)) add(cookie.split(";")[0].replace(/^[^=]*=/, ""));
    }
  }
  return [...found];
}

/** `access_token`, `accessToken`, `x-access-token`, `id_token`, `token`, `client_secret`,
 * `password`; not `token_type` or `expires_in`. */
export function isSecretName(name: string): boolean {
  const normal = name.replace(/^.*:/, "").replace(/[_.\s-]/g, "").toLowerCase();
  return /(token|secret|password|passwd|assertion|verifier|apikey|sessionid)$/.test(normal) || normal === "code" || normal === "authcode" || normal === "authorizationcode";
}

/** A value under "code" that is an error code (`invalid_grant`), not an authorization code. */
function isWordCode(name: string, value: string): boolean {
  return name.replace(/[_-]/g, "").toLowerCase() === "code" && /^[a-z_]+$|^\d{1,3}$/.test(value);
}

function fromJson(text: string): string[] {
  const candidates = [text.replace(/^\uFEFF/, "")];
  const jsonp = /^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/.exec(candidates[0]);
  if (jsonp) candidates.push(jsonp[1]);
  const lenient = candidates.map((candidate) => candidate.replace(/,(\s*[}\]])/g, "$1"));
  for (const candidate of [...candidates, ...lenient]) {
    try {
      const values: string[] = [];
      collect(JSON.parse(candidate), "", values);
      return values;
    } catch {
      // not this reading; the pair finder still reads it as text
    }
  }
  return [];
}

function collect(value: unknown, name: string, into: string[]): void {
  if (typeof value === "string") {
    if (isSecretName(name) && !isWordCode(name, value)) into.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, name, into);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collect(item, key, into);
  }
}

// name = value or name: value, the name bare or quoted, the value quoted or bare. Names are
// found alone and each value read where its name ends, so a value that swallows a quote (an
// echoed secret holding `"`) cannot hide the pair after it: `echo: a="b{"access_token":"T"}`.
// Runs are bounded: an unbounded name made this quadratic on a long run of word characters (a
// 1 MiB unterminated token took minutes), and a bare value stops at `=` but for base64 padding.
const NAME = /([A-Za-z][\w.-]{0,99})(["']?)\s*[:=]\s*/g;
const VALUE = /"((?:[^"\\]|\\.){0,16384})"|'((?:[^'\\]|\\.){0,16384})'|([^\s&,;<>"'}\]#)=]+={0,2})/y;

function fromPairs(text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(NAME)) {
    const name = match[1];
    if (!isSecretName(name)) continue;
    VALUE.lastIndex = match.index + match[0].length;
    const found = VALUE.exec(text);
    if (!found) continue;
    const raw = found[1] ?? found[2] ?? found[3] ?? "";
    const value = found[3] !== undefined ? percentDecode(raw) : jsonUnescape(raw);
    if (isWordCode(name, value)) continue;
    values.push(value);
    if (value !== raw) values.push(raw);
  }
  return values;
}

/** A form-encoded text (a body, a URL's query or fragment) read as a form parser reads it:
 * the pair finder's bare values stop at quotes and the like, which a form value may hold. */
function fromForm(text: string): string[] {
  if (!text.includes("=")) return [];
  const values: string[] = [];
  for (const [name, value] of new URLSearchParams(text.trim())) {
    if (isSecretName(name) && !isWordCode(name, value)) values.push(value);
  }
  return values;
}

const ELEMENT = /<((?:[\w.-]{1,100}:)?([\w.-]{1,100}))\b[^>]*>([^<]*)<\/\1\s*>/g;

function fromXml(text: string): string[] {
  const values: string[] = [];
  for (const match of text.matchAll(ELEMENT)) {
    const value = xmlUnescape(match[3]).trim();
    if (isSecretName(match[2]) && !isWordCode(match[2], value)) values.push(value);
  }
  return values;
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function jsonUnescape(text: string): string {
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function xmlUnescape(text: string): string {
  return text
    .replace(/&#x([0-9a-f]{1,6});/gi, (whole, hex: string) => codePoint(parseInt(hex, 16), whole))
    .replace(/&#(\d{1,7});/g, (whole, decimal: string) => codePoint(Number(decimal), whole))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name]!);
}

function codePoint(value: number, otherwise: string): string {
  return value <= 0x10ffff ? String.fromCodePoint(value) : otherwise;
}

/**
 * `$util` of API Gateway mapping templates, as the "API Gateway mapping template and access
 * logging variable reference" describes it. Unless it says otherwise, the charset is UTF-8.
 */
import { javaString } from "./velocity";

/**
 * "Escapes the characters in a string using JavaScript string rules": Apache Commons Lang's
 * StringEscapeUtils.escapeJavaScript, the Java library of that name and wording. So `'`
 * becomes `\'` (the reference warns that this is not valid JSON), `/` becomes `\/`, control
 * characters become `\b \t \n \f \r` or `\u00XX`, and every character above U+007F becomes
 * `\uXXXX` in upper-case hex, one escape per UTF-16 unit (an emoji gives two).
 */
export function escapeJavaScript(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let escaped = "";
  for (const char of javaString(value).split("")) escaped += ESCAPES[char] ?? escapeCode(char);
  return escaped;
}

const ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\n": "\\n",
  "\t": "\\t",
  "\f": "\\f",
  "\r": "\\r",
};

function escapeCode(char: string): string {
  const code = char.charCodeAt(0);
  if (code >= 0x20 && code <= 0x7f) return char;
  return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** "Encodes the data into a base64-encoded string." */
export function base64Encode(value: unknown): string {
  return Buffer.from(javaString(value), "utf8").toString("base64");
}

/** "Decodes the data from a base64-encoded string." */
export function base64Decode(value: unknown): string {
  return Buffer.from(javaString(value), "base64").toString("utf8");
}

/**
 * "Converts a string into application/x-www-form-urlencoded format": Java's URLEncoder, which
 * keeps only `A-Z a-z 0-9 . - * _`, writes a space as `+` and percent-encodes UTF-8 bytes.
 */
export function urlEncode(value: unknown): string {
  // Java writes an unpaired surrogate as "?"; encodeURIComponent would throw on it.
  const wellFormed = javaString(value).replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "?",
  );
  return encodeURIComponent(wellFormed)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/**
 * "Decodes an application/x-www-form-urlencoded string": Java's URLDecoder, so `+` is a space
 * and a malformed `%` escape is an error (which fails the template, as in API Gateway).
 */
export function urlDecode(value: unknown): string {
  const text = javaString(value);
  if (/%(?![0-9a-fA-F]{2})/.test(text)) throw new Error(`urlDecode: malformed escape in "${text}"`);
  return text
    .replace(/\+/g, " ")
    .replace(/(?:%[0-9a-fA-F]{2})+/g, (bytes) => Buffer.from(bytes.replace(/%/g, ""), "hex").toString("utf8"));
}

/** "Takes stringified JSON and returns an object representation of the result." */
export function parseJson(value: unknown): unknown {
  return JSON.parse(javaString(value));
}

/** The `$util` variable. */
export const vtlUtil = { escapeJavaScript, base64Encode, base64Decode, urlEncode, urlDecode, parseJson };

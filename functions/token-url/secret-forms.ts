/**
 * Finding one secret in text in every form a server echoes it: clear, percent- or
 * form-encoded (`%2F` or `%2f`, `+` or `%20` for a space, once or twice encoded), JSON string
 * escapes (`\u002f`, `\/`, `\"`), HTML/XML character references (`&#47;`, `&#x2F;`, `&amp;`), any
 * mix of them, and the base64 / base64url of the secret at any alignment (so also inside the
 * base64 of a longer text, such as the `id:secret` pair of a Basic header).
 *
 * Shorter runs: a secret of 8 characters or more also matches by its first 8 or more
 * characters (in any of the forms above), so that a server that shortens what it echoes
 * ("Invalid refresh token: 1b9f0c2e…") leaks no usable part of it. Eight characters of a
 * random secret carry ~48 bits, enough to narrow a guess; fewer are too common to tell from
 * ordinary text. A shorter secret matches whole only. Runs that do not start at the secret's
 * first character (its last 4, say) are not hunted: no server in the field echoes them, and
 * matching every 8-gram would blank ordinary words.
 */

/** Values shorter than this are hunted in clear only, and only as a whole word (`s3` in
 * `code s3 is invalid`, not in `https`): two- and three-character runs occur in any text,
 * and no real client secret, code or token is that short. A one-character value is not hunted
 * (its own field is still fingerprinted). */
export const MIN_SCRUBBED_LENGTH = 2;
const MIN_FORMS_LENGTH = 4;
const PREFIX_CHARS = 8;
const MIN_BASE64_CHARS = 8;

export interface Occurrence {
  readonly start: number;
  readonly end: number;
}

export class SecretForms {
  private readonly chars: string[];
  private readonly start: RegExp;
  private readonly base64: RegExp | undefined = undefined;
  private readonly minChars: number;

  /** `related` are texts whose base64 also gives the secret away (the `id:secret` pair). */
  constructor(
    readonly secret: string,
    related: readonly string[] = [],
  ) {
    this.chars = [...secret];
    if (this.chars.length < MIN_FORMS_LENGTH) {
      this.minChars = this.chars.length;
      this.start = new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(secret)}(?![A-Za-z0-9_-])`, "g");
      return;
    }
    this.minChars = this.chars.length < PREFIX_CHARS ? this.chars.length : PREFIX_CHARS;
    this.start = new RegExp(this.chars.slice(0, this.minChars).map(charSource).join(""), "g");
    // The base64 of the secret as sent in a form or a Basic pair too (percent- or
    // form-encoded first, RFC 6749 §2.3.1), whichever scheme this request used.
    const encoded = [secret, ...urlEncodings(secret), ...related].flatMap(base64Cores).filter((core) => core.length >= MIN_BASE64_CHARS);
    const unique = [...new Set(encoded)].sort((a, b) => b.length - a.length);
    this.base64 = unique.length ? new RegExp(unique.map(escapeRegExp).join("|"), "g") : undefined;
  }

  /** Every place the secret stands whole in any form (`prefixes`: or by its first 8+
   * characters), left to right. */
  find(text: string, prefixes = false): Occurrence[] {
    const found: Occurrence[] = [];
    this.start.lastIndex = 0;
    for (let match = this.start.exec(text); match; match = this.start.exec(text)) {
      let end = match.index + match[0].length;
      let i = this.minChars;
      for (; i < this.chars.length; i++) {
        const length = matchCharAt(text, end, this.chars[i]);
        if (length === 0) break;
        end += length;
      }
      if (prefixes || i === this.chars.length) found.push({ start: match.index, end });
      this.start.lastIndex = prefixes || i === this.chars.length ? end : match.index + 1;
    }
    if (this.base64 && !prefixes) {
      this.base64.lastIndex = 0;
      for (let match = this.base64.exec(text); match; match = this.base64.exec(text)) {
        found.push({ start: match.index, end: match.index + match[0].length });
      }
    }
    return found;
  }
}

function urlEncodings(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  return [...new Set([percent, percent.replace(/%20/g, "+"), new URLSearchParams({ v: secret }).toString().slice(2)])].filter((form) => form !== secret);
}

/** The base64 and base64url characters that depend on the secret's bytes alone, at each of
 * the three alignments a secret can have inside a longer encoded text (padding dropped). */
function base64Cores(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const cores: string[] = [Buffer.from(bytes).toString("base64")];
  for (let offset = 0; offset < 3; offset++) {
    const whole = bytes.subarray(offset, offset + Math.floor((bytes.length - offset) / 3) * 3);
    if (whole.length === 0) continue;
    const core = whole.toString("base64");
    cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}

const JSON_SHORT_ESCAPES: Record<string, string> = { '"': '\\\\"', "\\": "\\\\\\\\", "/": "\\\\/", "\n": "\\\\n", "\r": "\\\\r", "\t": "\\\\t", "\b": "\\\\b", "\f": "\\\\f" };
const HTML_NAMED: Record<string, string> = { "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "(?:apos|#39)" };

/** A regular expression for one character in any of its forms. */
function charSource(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = [escapeRegExp(char)];
  const bytes = [...Buffer.from(char, "utf8")];
  forms.push(bytes.map((byte) => `%(?:25)?${hexSource(byte, 2)}`).join(""));
  if (char === " ") forms.push("\\+");
  forms.push(jsonEscapeSource(code));
  if (JSON_SHORT_ESCAPES[char]) forms.push(JSON_SHORT_ESCAPES[char]);
  forms.push(`&#0*${code};`, `&#[xX]0*${hexSource(code, 0)};`);
  if (HTML_NAMED[char]) forms.push(`&${HTML_NAMED[char]};`);
  return `(?:${forms.join("|")})`;
}

function jsonEscapeSource(code: number): string {
  if (code <= 0xffff) return `\\\\u${hexSource(code, 4)}`;
  const high = 0xd800 + ((code - 0x10000) >> 10);
  const low = 0xdc00 + ((code - 0x10000) & 0x3ff);
  return `\\\\u${hexSource(high, 4)}\\\\u${hexSource(low, 4)}`;
}

/** `2f` as `2[fF]`: hex digits in either case. */
function hexSource(value: number, width: number): string {
  return [...value.toString(16).padStart(width, "0")].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join("");
}

/** How many characters of `text` at `pos` spell `char` in one of its forms; 0 when none. */
function matchCharAt(text: string, pos: number, char: string): number {
  if (text.startsWith(char, pos)) return char.length;
  const lead = text[pos];
  if (lead !== "%" && lead !== "+" && lead !== "\\" && lead !== "&") return 0;
  const sticky = charRegExp(char);
  sticky.lastIndex = pos;
  const match = sticky.exec(text);
  return match ? match[0].length : 0;
}

const charRegExps = new Map<string, RegExp>();

function charRegExp(char: string): RegExp {
  let found = charRegExps.get(char);
  if (!found) {
    found = new RegExp(charSource(char), "y");
    if (charRegExps.size > 4096) charRegExps.clear(); // a bound, not a cache policy
    charRegExps.set(char, found);
  }
  return found;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

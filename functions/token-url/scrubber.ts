/**
 * The one scrubber (DESIGN §3.2): every string that leaves the engine (record fields, finding
 * messages and fixes, reports, --json, the local runtime's lines) goes through `scrub`. It
 * knows the attempt's secrets (the request's credentials and every token the answer issued)
 * and finds each in every form (secret-forms.ts); it also fingerprints what is a credential by
 * its shape alone, whoever's it is: a JWT, a Basic or Bearer credential, a `token=…` pair. A
 * match in any form becomes the same fingerprint, so equal values still compare.
 */
import { fingerprint, FINGERPRINT_PATTERN } from "./fingerprint";
import { describeJwt } from "./jwt";
import { MIN_SCRUBBED_LENGTH, Occurrence, SecretForms } from "./secret-forms";

export class Scrubber {
  private readonly forms: SecretForms[];

  /** `secrets`: values to hide; `related`: texts whose base64 gives a secret away, e.g. the
   * Basic header's `id:secret` pair (its fingerprint is the secret's). `built`: the forms of
   * some of these secrets, already made (by `with`): making them is most of a scrubber's cost. */
  constructor(
    secrets: Iterable<string> = [],
    private readonly related: ReadonlyMap<string, readonly string[]> = new Map(),
    built: readonly SecretForms[] = [],
  ) {
    const unique = [...new Set(secrets)].filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH);
    // Longest first: a secret that contains another is replaced whole.
    unique.sort((a, b) => b.length - a.length);
    const ready = new Map(built.map((form) => [form.secret, form]));
    this.forms = unique.map((secret) => ready.get(secret) ?? new SecretForms(secret, related.get(secret) ?? []));
  }

  /** This scrubber and more secrets (the tokens an answer issued). */
  with(secrets: Iterable<string>, related: ReadonlyMap<string, readonly string[]> = new Map()): Scrubber {
    // A secret that gains related texts is made again; the others are reused as they are.
    const reusable = this.forms.filter((form) => !related.has(form.secret));
    return new Scrubber([...this.forms.map((form) => form.secret), ...secrets], new Map([...this.related, ...related]), reusable);
  }

  get secrets(): readonly string[] {
    return this.forms.map((form) => form.secret);
  }

  scrub(text: string): string {
    if (text.length < MIN_SCRUBBED_LENGTH) return text;
    // Credentials by shape first: a JWT replaced whole keeps its decoded header and claims,
    // which a secret matched by its first characters would otherwise cut apart.
    let scrubbed = scrubByShape(text);
    // Whole values first, all of them, then shortened runs: two tokens of one server often share
    // their first characters, and a run of one must not eat the start of the other.
    // The fingerprint (an HMAC) only where a form was found: computed for every string and
    // secret, it was nearly all of the scrubber's time (npm run bench -- scrubber).
    for (const prefixes of [false, true]) {
      for (const form of this.forms) {
        const occurrences = form.find(scrubbed, prefixes);
        if (occurrences.length > 0) scrubbed = replaceOccurrences(scrubbed, occurrences, fingerprint(form.secret));
      }
    }
    return scrubbed;
  }

  /** Every string in a JSON-shaped value, object keys included; the shape stays. */
  scrubDeep<T>(value: T): T {
    return scrubValue(value, (text) => this.scrub(text)) as T;
  }
}

/** A scrubber that knows no secret: shapes only (records written by older versions). */
export const SHAPE_SCRUBBER = new Scrubber();

function scrubValue(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub));
  if (value === null || typeof value !== "object") return value;
  const scrubbed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) scrubbed[scrub(key)] = scrubValue(item, scrub);
  }
  return scrubbed;
}

function replaceOccurrences(text: string, occurrences: Occurrence[], replacement: string): string {
  if (occurrences.length === 0) return text;
  occurrences.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = 0;
  for (const { start, end } of occurrences) {
    if (end <= at) continue;
    out += text.slice(at, Math.max(at, start)) + replacement;
    at = end;
  }
  return out + text.slice(at);
}

// Three or five base64url segments, the first a JSON header (`{"` is `eyJ`): a JWS or a JWE.
const JWT = /eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
// A Basic or Bearer credential in free text (a WWW-Authenticate echo, an error page).
const AUTH_CREDENTIAL = /\b(Basic|Bearer)(\s+|%20|\+)(?!client_id=)([A-Za-z0-9._~+/-]{8,}=*)/gi;
// `name=value` where the name says secret: form bodies, query strings and fragments.
const SECRET_PAIR =
  /(?<![A-Za-z0-9])((?:[A-Za-z]+[_-]?)?(?:token|Token|TOKEN)|code|client_secret|clientSecret|code_verifier|password|assertion|client_assertion)(=|%3[dD])(?!\[redacted)([^&\s"'<>#;,\\]{4,})/g;

function scrubByShape(text: string): string {
  return text
    .replace(JWT, (token) => {
      const jwt = describeJwt(token);
      return jwt ? `${fingerprint(token)} jwt ${jwt}` : fingerprint(token);
    })
    .replace(AUTH_CREDENTIAL, (whole, scheme: string, space: string, credential: string) => {
      if (FINGERPRINT_PATTERN.test(credential)) return whole;
      if (scheme.toLowerCase() === "basic") {
        const decoded = Buffer.from(credential, "base64").toString("utf8");
        return decoded.includes(":") ? `${scheme}${space}${fingerprint(credential)}` : whole;
      }
      return /\d/.test(credential) && credential.length >= 16 ? `${scheme}${space}${fingerprint(credential)}` : whole;
    })
    .replace(SECRET_PAIR, (_whole, name: string, equals: string, value: string) => `${name}${equals}${fingerprint(value)}`);
}

/**
 * The one way out for a record or a report (DESIGN §3.2): `sealRecord` scrubs every string of
 * it with the attempt's scrubber and bounds it to fit one CloudWatch Logs event; `safeJson` is
 * the one serializer, which escapes every control, bidi and invisible format character as a
 * `\u` escape, so that `--json` piped to a terminal cannot drive it and stays valid JSON.
 * attemptRecord() seals every record it makes; records read back from logs are sealed again
 * with the shape-only scrubber, since older versions sealed less.
 */
import { fingerprint } from "./fingerprint";
import { Scrubber } from "./scrubber";

/** CloudWatch Logs takes at most 256 KB per event (UTF-8 bytes plus 26); a record stays well
 * under it, leaving room for the Lambda's own line prefix and JSON log envelope. */
export const MAX_RECORD_BYTES = 192 * 1024;
/** A captured body is previewed up to this many characters; any other string up to 8 KB. */
export const BODY_PREVIEW_CHARS = 16 * 1024;
export const STRING_PREVIEW_CHARS = 8 * 1024;
/** Objects (form fields, headers) keep at most this many entries. */
export const MAX_ENTRIES = 200;

// Scrubbed before it is cut, with this much beyond the cut, so a cut through a secret never
// leaves its start readable (tokens run to a few KB).
const SCRUB_MARGIN_CHARS = 16 * 1024;

/** What a record says it cut, one entry per value: where, how big it was, and a fingerprint
 * of the whole, so two cut values can still be compared. Entries `by: "capture"` are bodies
 * the capture stopped reading at its cap (attempt-record.ts): their whole was never read. */
export interface CutValue {
  readonly path: string;
  /** Characters (a string) or entries (an object or array) in the whole value; for a cut by
   * the capture, the decoded bytes read before it stopped. */
  readonly size: number;
  readonly unit: "characters" | "entries" | "bytes";
  readonly fingerprint?: string;
  /** "capture": the upstream body was read only up to the capture's cap; absent: cut here. */
  readonly by?: "capture";
  /** By the capture: the bytes read off the wire for `size` decoded bytes. */
  readonly receivedBytes?: number;
  /** By the capture: the Content-Encoding decoded (gzip, deflate, br), or null. */
  readonly encoding?: string | null;
}

/** The captured upstream bodies: the first request's and the probe's second ones. */
const BODY_PATHS = /^(upstream|schemeRetry\.upstream|rotationCheck\.upstream)\.body$/;

/**
 * The record scrubbed, and cut to fit when it must be, with `cut` listing what was cut. Sealing
 * a sealed record again (the probe adds secrets, `logs` re-seals what it reads) changes nothing
 * more: a value already clipped is not clipped again, and the earlier `cut` entries, which
 * describe the whole values, are kept.
 */
export function sealRecord<T extends object>(record: T, scrubber: Scrubber): T & { readonly cut?: CutValue[] } {
  const { cut: earlierCut, ...rest } = record as T & { cut?: unknown };
  const earlier = Array.isArray(earlierCut) ? earlierCut.filter(isCutValue).slice(0, MAX_ENTRIES) : [];
  for (const [bodyChars, stringChars, entries] of [
    [BODY_PREVIEW_CHARS, STRING_PREVIEW_CHARS, MAX_ENTRIES],
    [4096, 1024, 50],
    [512, 160, 20],
  ]) {
    const cut: CutValue[] = [];
    const sealed = seal(rest, "", scrubber, { bodyChars, stringChars, entries }, cut) as T;
    const all = mergeCuts(earlier, cut, scrubber);
    const result = all.length ? { ...sealed, cut: all } : sealed;
    if (Buffer.byteLength(safeJson(result), "utf8") <= MAX_RECORD_BYTES) return result;
  }
  // Nothing of that size is a token attempt; keep what identifies it.
  const { type, version, attemptId, time, mode, verdict } = rest as Record<string, unknown>;
  return { type, version, attemptId, time, mode, verdict, request: null, upstream: null, response: { status: 0, contentType: null }, findings: [], cut: [{ path: "", size: 0, unit: "entries" }] } as unknown as T;
}

interface Caps {
  readonly bodyChars: number;
  readonly stringChars: number;
  readonly entries: number;
}

/** Earlier entries first (they saw the whole value); a new entry for a path they already name
 * is the same cut seen again. */
function mergeCuts(earlier: CutValue[], now: CutValue[], scrubber: Scrubber): CutValue[] {
  const seen = new Set(earlier.map((entry) => `${entry.by ?? ""} ${entry.path}`));
  // Rebuilt from the known fields: an entry read back from a file says nothing else.
  const kept = earlier.map(({ path, size, unit, fingerprint, by, receivedBytes, encoding }): CutValue => ({
    path: scrubber.scrub(path.slice(0, 300)),
    size,
    unit: unit === "entries" || unit === "bytes" ? unit : "characters",
    ...(typeof fingerprint === "string" && { fingerprint: scrubber.scrub(fingerprint.slice(0, 80)) }),
    ...(by === "capture" && {
      by,
      receivedBytes: typeof receivedBytes === "number" ? receivedBytes : size,
      encoding: typeof encoding === "string" ? scrubber.scrub(encoding.slice(0, 40)) : null,
    }),
  }));
  return [...kept, ...now.filter((entry) => !seen.has(` ${entry.path}`))];
}

function isCutValue(value: unknown): value is CutValue {
  const entry = value as CutValue;
  return typeof entry === "object" && entry !== null && typeof entry.path === "string" && typeof entry.size === "number";
}

// What `seal` appends to a clipped string; a string that ends so and fits its cap before it
// was clipped already.
const CLIPPED_MARK = /…\[clipped: \d+ characters in all\]$/;

function seal(value: unknown, path: string, scrubber: Scrubber, caps: Caps, cut: CutValue[]): unknown {
  if (typeof value === "string") {
    const cap = BODY_PATHS.test(path) ? caps.bodyChars : caps.stringChars;
    if (value.length <= cap) return scrubber.scrub(value);
    const mark = CLIPPED_MARK.exec(value);
    if (mark && mark.index <= cap) return scrubber.scrub(value);
    cut.push({ path, size: value.length, unit: "characters", fingerprint: fingerprint(value) });
    return `${scrubber.scrub(value.slice(0, cap + SCRUB_MARGIN_CHARS)).slice(0, cap)}…[clipped: ${value.length} characters in all]`;
  }
  if (Array.isArray(value)) {
    // Findings are never cut: they are the diagnosis, and there are few.
    const keep = path === "findings" ? value : value.slice(0, caps.entries);
    if (keep.length < value.length) cut.push({ path, size: value.length, unit: "entries" });
    return keep.map((item, index) => seal(item, `${path}[${index}]`, scrubber, caps, cut));
  }
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  const keep = path === "" ? entries : entries.slice(0, caps.entries);
  if (keep.length < entries.length) cut.push({ path, size: entries.length, unit: "entries" });
  const sealed: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  for (const [key, item] of keep) {
    const name = scrubber.scrub(key.length > caps.stringChars ? key.slice(0, caps.stringChars) : key);
    sealed[name] = seal(item, path ? `${path}.${key.slice(0, 64)}` : key, scrubber, caps, cut);
  }
  return sealed;
}

// C0 and C1 controls, DEL, soft hyphen, Arabic letter mark, zero-width and bidi marks,
// embeddings, overrides and isolates, invisible operators, BOM, interlinear annotations, and
// lone surrogates: JSON.stringify leaves all but C0 and lone surrogates raw.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** JSON for a terminal: what JSON.stringify gives, with every character that a terminal would
 * obey or hide escaped as `\uXXXX` (still the same JSON value). */
export function safeJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent);
  if (json === undefined) return "null";
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

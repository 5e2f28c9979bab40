/**
 * Plain-text layout for the terminal report: making record text safe to print, measuring it,
 * wrapping and truncating it. Styling comes after layout, so widths are always of plain text.
 */

const ANSI_SGR = /\u001b\[[0-9;]*m/g;

// C0 and C1 controls (newline aside), DEL, invisible format characters, bidi marks, embeddings,
// overrides and isolates (U+202A-202E, U+2066-2069), the Arabic letter mark (U+061C), the
// Mongolian vowel separator, deprecated format characters (U+206A-206F), interlinear
// annotations and lone surrogates: a token URL's body or headers, or a client's form field, may
// hold any of them, and printed raw they would move the cursor, recolor the terminal, set its
// title or reorder text.
const UNPRINTABLE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Only the characters a terminal would obey or hide, shown as escapes (`\u001b`, `\x07`);
 * newlines and tabs are kept. For text that is laid out elsewhere (an HTML page). */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => (char === "\t" ? char : escapeChar(char)));
}

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Text without ANSI styling, to measure what the reader sees. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, "");
}

/** Columns a line takes, counted in code points (ANSI codes take none). */
export function displayWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Record text made safe to print: tabs become two spaces (a tab's width depends on the
 * terminal), CRLF becomes LF, and every other control or invisible character is shown as an
 * escape such as `\u001b` or `\ufeff`, so it is visible, not obeyed.
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n/g, "\n")
    .replace(/\t/g, "  ")
    .replace(UNPRINTABLE, escapeChar);
}

/** Cuts text into pieces of at most `width` code points; never drops a character. */
export function chunk(text: string, width: number): string[] {
  const chars = [...text];
  if (chars.length === 0) return [""];
  const size = Math.max(1, width);
  const pieces: string[] = [];
  for (let start = 0; start < chars.length; start += size) pieces.push(chars.slice(start, start + size).join(""));
  return pieces;
}

/** How wrap() treats a word longer than a line. */
export interface WrapOptions {
  /** Cut it across lines (a terminal, where the width is real), or leave it whole on a line of
   * its own, wider than `width` (a pipe or a file, where a cut URL no longer works). @default true */
  readonly cutLongWords?: boolean;
}

/**
 * Word-wraps printable(text) into lines of at most `width` columns. Newlines are kept as line
 * breaks, a paragraph's indentation and the spacing between words are kept, and a word longer
 * than a line (a URL, a fingerprint) is cut across lines rather than lost, unless
 * `cutLongWords` is false.
 */
export function wrap(text: string, width: number, options: WrapOptions = {}): string[] {
  return wrapExact(printable(text), width, options).flatMap((paragraph) => paragraph.map((line) => line.trimEnd()));
}

/**
 * wrap() for text that is already printable, one array of lines per paragraph, each line
 * keeping the spaces it broke at: a paragraph's lines joined give it back exactly, so a
 * caller that shows only some lines can say exactly how much it left out.
 */
export function wrapExact(text: string, width: number, options: WrapOptions = {}): string[][] {
  return text.split("\n").map((paragraph) => wrapParagraph(paragraph, width, options.cutLongWords ?? true));
}

function wrapParagraph(paragraph: string, width: number, cutLongWords: boolean): string[] {
  const lines: string[] = [];
  let line = /^ */.exec(paragraph)?.[0] ?? "";
  // Each word with the spaces after it.
  for (const unit of paragraph.match(/[^ ]+ */g) ?? []) {
    const word = unit.trimEnd();
    if (displayWidth(line + word) <= width) {
      line += unit;
      continue;
    }
    if (line.trim() !== "") {
      lines.push(line);
      line = "";
    }
    if (!cutLongWords) {
      line += unit;
      continue;
    }
    const pieces = cutAtSeparators(line + word, width);
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1] + unit.slice(word.length);
  }
  lines.push(line);
  return lines;
}

// Where a URL or a field list reads well when cut: after a path, query or parameter separator.
const SEPARATORS = new Set(["/", "?", "&", "=", "#", ",", ";"]);

/**
 * chunk() for a word too long for a line, but each cut made just after the last separator
 * that leaves the line at least half full ("…/skill/link/" then "M2AAAA"), so a URL does not
 * break mid-word; a run with no separator (a fingerprint, a token) is cut at the width.
 */
export function cutAtSeparators(text: string, width: number): string[] {
  const size = Math.max(1, width);
  const pieces: string[] = [];
  let rest = [...text];
  while (rest.length > size) {
    let cut = size;
    for (let index = size - 1; index >= Math.ceil(size / 2); index -= 1) {
      if (SEPARATORS.has(rest[index - 1]) && !SEPARATORS.has(rest[index])) {
        cut = index;
        break;
      }
    }
    pieces.push(rest.slice(0, cut).join(""));
    rest = rest.slice(cut);
  }
  pieces.push(rest.join(""));
  return pieces;
}

/** printable(text) cut to at most `width` columns, ending in "…" when anything was cut. */
export function truncate(text: string, width: number): string {
  const chars = [...printable(text)];
  return chars.length <= width ? chars.join("") : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** A piece of one line with its own paint. */
export interface Segment {
  readonly text: string;
  readonly paint?: (text: string) => string;
}

/**
 * Joins segments into one line of at most `width` columns, painting each; when the plain text
 * is too long it ends in "…", so a cut is always visible.
 */
export function fitLine(segments: readonly Segment[], width: number): string {
  const total = segments.reduce((sum, segment) => sum + displayWidth(printable(segment.text)), 0);
  let budget = total <= width ? total : Math.max(0, width - 1);
  let line = "";
  for (const segment of segments) {
    const chars = [...printable(segment.text)].slice(0, budget);
    budget -= chars.length;
    const text = chars.join("");
    line += segment.paint ? segment.paint(text) : text;
  }
  return total <= width ? line : `${line}…`;
}

/** "2026-11-24 19:00:00" from an ISO time (always UTC); anything unparseable as it came. */
export function utcDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Terminal styling with no dependency: a handful of SGR codes, applied only when color is on,
 * so the same renderer serves a TTY, a pipe, a file and NO_COLOR users.
 */

/** Wraps text in one ANSI style, or returns it unchanged when color is off. */
export type Paint = (text: string) => string;

export interface Style {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly yellow: Paint;
  readonly green: Paint;
  readonly cyan: Paint;
  readonly magenta: Paint;
  readonly blue: Paint;
}

// Each style closes with its own reset (22 for intensity, 39 for foreground), not the full
// reset 0, so a painted word inside a painted line does not end the outer style.
const SGR: Record<keyof Style, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  blue: [34, 39],
};

const plain: Paint = (text) => text;

/** Paint functions that emit ANSI codes only when `enabled`; empty text stays empty. */
export function createStyle(enabled: boolean): Style {
  const paint = ([open, close]: [number, number]): Paint =>
    enabled ? (text) => (text === "" ? text : `\u001b[${open}m${text}\u001b[${close}m`) : plain;
  return {
    bold: paint(SGR.bold),
    dim: paint(SGR.dim),
    red: paint(SGR.red),
    yellow: paint(SGR.yellow),
    green: paint(SGR.green),
    cyan: paint(SGR.cyan),
    magenta: paint(SGR.magenta),
    blue: paint(SGR.blue),
  };
}

/**
 * Color only on a terminal, never with NO_COLOR, never with `--no-color` (`flag` false).
 * NO_COLOR counts when present and not empty, whatever its value (no-color.org). A `--color`
 * flag (true) does not force color into a pipe: escape codes there only garble files and greps.
 * Takes any stream-like object with `isTTY` (process.stdout, process.stderr, a tty.WriteStream).
 */
export function shouldUseColor(
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv,
  flag?: boolean,
): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return stream.isTTY === true && !noColor && flag !== false;
}

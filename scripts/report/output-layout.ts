import { shouldUseColor } from "./style";

/** How the CLIs lay a report out on one stream. */
export interface OutputLayout {
  readonly color: boolean;
  /** Columns for prose: the terminal's (at least 80), or COLUMNS / 80 for a pipe or a file. */
  readonly width: number;
  /** A pipe or a file: values stay whole and one-line summaries are never cut (see
   * renderAttempt's keepValuesWhole); a terminal keeps its width-fitted layout. */
  readonly keepValuesWhole: boolean;
}

const DEFAULT_WIDTH = 80;

/** `stream` is process.stdout (or anything with isTTY and columns); `colorFlag` false is --no-color. */
export function outputLayout(
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: NodeJS.ProcessEnv,
  colorFlag?: boolean,
): OutputLayout {
  const color = shouldUseColor(stream, env, colorFlag);
  if (stream.isTTY === true) {
    return { color, width: Math.max(DEFAULT_WIDTH, stream.columns ?? DEFAULT_WIDTH), keepValuesWhole: false };
  }
  const columns = Number(env.COLUMNS);
  return { color, width: Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH, keepValuesWhole: true };
}

/** The width for a one-line summary: never cut in a pipe. */
export function summaryWidth(layout: OutputLayout): number {
  return layout.keepValuesWhole ? Infinity : layout.width;
}

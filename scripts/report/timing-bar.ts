/**
 * Where the time went, as a bar: each phase of the exchange takes a share of the width in
 * proportion to its milliseconds, drawn with its own letter, so a slow TLS handshake or a
 * server that thinks for seconds is visible at a glance, color or not.
 */
import { UpstreamTimings } from "../../functions/token-url/diagnosis/exchange";
import { Paint, Style } from "./style";

/** A phase of the exchange as the model holds it; `color` names the terminal's paint and the
 * page's bar color alike. */
export interface MeasuredPhase {
  readonly symbol: string;
  readonly label: string;
  readonly ms: number;
  readonly color: "blue" | "cyan" | "magenta" | "yellow" | "dim";
}

export interface TimingPhase extends MeasuredPhase {
  readonly paint: Paint;
}

/** The phases that happened, in order, plus the rest of the total when there is any: the
 * body's transfer, or the time until a failure in a phase that has no figure of its own. */
export function measuredPhases(timings: UpstreamTimings): MeasuredPhase[] {
  const measured: [string, string, number | null, MeasuredPhase["color"]][] = [
    ["D", "DNS", timings.dnsMs, "blue"],
    ["C", "connect", timings.connectMs, "cyan"],
    ["T", "TLS", timings.tlsMs, "magenta"],
    ["W", "first byte", timings.ttfbMs, "yellow"],
  ];
  const phases = measured
    .filter((phase): phase is [string, string, number, MeasuredPhase["color"]] => phase[2] !== null)
    .map(([symbol, label, ms, color]) => ({ symbol, label, ms, color }));
  const rest = timings.totalMs - phases.reduce((sum, phase) => sum + phase.ms, 0);
  return rest > 0 ? [...phases, { symbol: ".", label: "other", ms: rest, color: "dim" }] : phases;
}

/** {@link measuredPhases} with each phase's terminal paint. */
export function paintedPhases(phases: readonly MeasuredPhase[], style: Style): TimingPhase[] {
  return phases.map((phase) => ({ ...phase, paint: style[phase.color] }));
}

export function timingPhases(timings: UpstreamTimings, style: Style): TimingPhase[] {
  return paintedPhases(measuredPhases(timings), style);
}

/**
 * Splits `cells` among `values` in proportion, summing to exactly `cells` (when any value is
 * positive): every positive value gets at least one cell, so a 1 ms phase does not vanish,
 * and rounding is settled where it was most unfair (largest remainder).
 */
export function allocateCells(values: readonly number[], cells: number): number[] {
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0);
  if (total <= 0 || cells <= 0) return values.map(() => 0);
  const exact = values.map((value) => (Math.max(0, value) / total) * cells);
  const counts = exact.map((share, index) => (values[index] > 0 ? Math.max(1, Math.floor(share)) : 0));
  const argmax = (score: (index: number) => number, eligible: (index: number) => boolean) =>
    counts.reduce((best, _count, index) => (eligible(index) && (best < 0 || score(index) > score(best)) ? index : best), -1);
  let spare = cells - counts.reduce((sum, count) => sum + count, 0);
  while (spare > 0) {
    counts[argmax((index) => exact[index] - counts[index], (index) => values[index] > 0)] += 1;
    spare -= 1;
  }
  while (spare < 0) {
    const index = argmax((index) => counts[index] - exact[index], (index) => counts[index] > 1);
    if (index < 0) break; // more phases than cells: each keeps its one
    counts[index] -= 1;
    spare += 1;
  }
  return counts;
}

/** The bar, `[DDCCCTTTTWWWW..]`, exactly `width` columns wide. */
export function timingBar(phases: readonly TimingPhase[], width: number): string {
  const cells = allocateCells(
    phases.map((phase) => phase.ms),
    Math.max(0, width - 2),
  );
  const drawn = phases.map((phase, index) => phase.paint(phase.symbol.repeat(cells[index]))).join("");
  const used = cells.reduce((sum, count) => sum + count, 0);
  return `[${drawn}${" ".repeat(Math.max(0, width - 2 - used))}]`;
}

/** The legend, "D DNS 10 ms   C connect 7 ms ...", packed into lines of at most `width`
 * columns, each letter in its phase's color. */
export function timingLegend(phases: readonly TimingPhase[], width: number): string[] {
  const gap = "   ";
  const lines: string[] = [];
  let plain = "";
  let painted = "";
  for (const phase of phases) {
    const entry = `${phase.label} ${phase.ms} ms`;
    const entryWidth = phase.symbol.length + 1 + entry.length;
    if (plain !== "" && plain.length + gap.length + entryWidth > width) {
      lines.push(painted);
      plain = painted = "";
    }
    const separator = plain === "" ? "" : gap;
    plain += `${separator}${phase.symbol} ${entry}`;
    painted += `${separator}${phase.paint(phase.symbol)} ${entry}`;
  }
  if (painted !== "") lines.push(painted);
  return lines;
}

/**
 * `npm run logs -- --timeline`: each link chain as one line per step (time, grant, what the
 * token URL answered, verdict, the leading finding), then the chain's state and its findings,
 * in the full report's style. `linkChainJson` is the --json line.
 */
import { safeJson } from "../../functions/token-url/record-exit";
import { LinkChain } from "../../functions/token-url/diagnosis/link-chains";
import { OutputLayout, summaryWidth } from "./output-layout";
import { findingLines, Layout, painted } from "./render-attempt";
import { createStyle, Style } from "./style";
import { fitLine, Segment, wrap } from "./text";
import { buildTimelineReport, ORIGIN_TEXT, TimelineChain, TimelineStep } from "./timeline-model";
import { severityMark, verdictMark } from "./verdict";

const GRANT_WIDTH = 7; // "refresh"

/** Every chain, newest first, separated by a blank line. Step lines are fitted like the
 * one-line summaries (never cut in a pipe), findings wrapped like the full report's. */
export function renderTimeline(chains: readonly LinkChain[], output: OutputLayout): string {
  const layout: Layout = { width: Math.max(40, output.width), style: createStyle(output.color), keepValuesWhole: output.keepValuesWhole };
  const stepWidth = summaryWidth({ ...output, width: layout.width });
  // Wrapped once: a busy day has thousands of chains and only two ways to start one.
  const origins = { code: originLines(ORIGIN_TEXT.code, layout), earlier: originLines(ORIGIN_TEXT.earlier, layout) };
  return buildTimelineReport(chains)
    .map((chain) => chainLines(chain, origins[chain.origin], stepWidth, layout).join("\n"))
    .join("\n\n");
}

/** The --json line: one per chain. */
export function linkChainJson(chain: LinkChain): string {
  return safeJson({
    type: "link-chain",
    state: chain.state,
    origin: chain.origin,
    steps: chain.steps.map(({ attemptId, time, grantType, status, verdict }) => ({ attemptId, time, grantType, status, verdict })),
    findings: chain.findings.map(({ code, severity, message, fix }) => ({ code, severity, message, fix })),
  });
}

function originLines(text: string, layout: Layout): string[] {
  return wrap(text, layout.width - 2).map((line) => `  ${layout.style.dim(line)}`);
}

function chainLines(chain: TimelineChain, origin: string[], stepWidth: number, layout: Layout): string[] {
  const { style } = layout;
  const number = String(chain.steps.length).length;
  const state = painted(chain.state, style);
  return [
    `${style.bold(style.cyan(chain.title))}  ${typeof state === "string" ? state : state.paint(state.text)}`,
    ...origin,
    ...chain.steps.map((step) => stepLine(step, number, stepWidth, style)),
    ...chain.findings.flatMap((finding) => findingLines(finding, layout)),
  ];
}

/** `  2  2026-12-01 10:03:00Z ✓ refresh 200 EXPIRES_IN_OVERRIDDEN` */
function stepLine(step: TimelineStep, numberWidth: number, width: number, style: Style): string {
  const { mark, paint } = verdictMark(step.verdict, style);
  const segments: Segment[] = [
    { text: `  ${String(step.position).padStart(numberWidth)}  ` },
    { text: `${step.time} `, paint: style.dim },
    { text: mark, paint: (text) => style.bold(paint(text)) },
    { text: ` ${step.grant.padEnd(GRANT_WIDTH)} ${step.answer.padEnd(3)} ` },
    { text: step.finding?.code ?? "-", paint: step.finding ? severityMark(step.finding.severity, style).paint : undefined },
  ];
  return fitLine(segments, width);
}

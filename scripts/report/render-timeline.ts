/**
 * `npm run logs -- --timeline`: each link chain as one line per step (time, grant, what the
 * token URL answered, verdict, the leading finding), then the chain's state and its findings,
 * in the full report's style. `linkChainJson` is the --json line.
 */
import { LinkChain } from "../../functions/token-url/diagnosis/link-chains";
import { OutputLayout, summaryWidth } from "./output-layout";
import { findingLines, Layout } from "./render-attempt";
import { createStyle, Style } from "./style";
import { fitLine, Segment, utcDateTime, wrap } from "./text";
import { bySeverity, headlineOf, leadingFinding, severityMark, verdictMark } from "./verdict";

const GRANT_WIDTH = 7; // "refresh"
const SHORT_GRANTS: Record<string, string> = { authorization_code: "code", refresh_token: "refresh" };

/** Every chain, newest first, separated by a blank line. Step lines are fitted like the
 * one-line summaries (never cut in a pipe), findings wrapped like the full report's. */
export function renderTimeline(chains: readonly LinkChain[], output: OutputLayout): string {
  const layout: Layout = { width: Math.max(40, output.width), style: createStyle(output.color), keepValuesWhole: output.keepValuesWhole };
  const stepWidth = summaryWidth({ ...output, width: layout.width });
  // Wrapped once: a busy day has thousands of chains and only two ways to start one.
  const origins = {
    code: originLines("starts with a code exchange", layout),
    earlier: originLines("starts with a refresh token issued before this window (or before the debugger was in place)", layout),
  };
  return chains
    .map((chain, index) => chainLines(chain, `Link ${index + 1} of ${chains.length}`, origins[chain.origin], stepWidth, layout).join("\n"))
    .join("\n\n");
}

/** The --json line: one per chain. */
export function linkChainJson(chain: LinkChain): string {
  return JSON.stringify({
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

function chainLines(chain: LinkChain, title: string, origin: string[], stepWidth: number, layout: Layout): string[] {
  const { style } = layout;
  const number = String(chain.steps.length).length;
  return [
    `${style.bold(style.cyan(title))}  ${stateText(chain, style)}`,
    ...origin,
    ...chain.steps.map((step, index) => stepLine(step, index + 1, number, stepWidth, style)),
    ...bySeverity(chain.findings).flatMap((finding) => findingLines(finding, layout)),
  ];
}

function stateText(chain: LinkChain, style: Style): string {
  const { state } = chain;
  switch (state.kind) {
    case "healthy":
      return style.green("healthy");
    case "waiting":
      return style.yellow(`waiting for a refresh (access token expired ${utcDateTime(state.expiredAt)}Z)`);
    case "broken": {
      const byCode = (candidate: { code: string }) => candidate.code === state.reason;
      const finding = chain.findings.find(byCode) ?? chain.steps[state.step - 1].record.findings.find(byCode);
      return style.red(`broken at step ${state.step}: ${state.reason}${finding ? ` (${headlineOf(finding)})` : ""}`);
    }
  }
}

/** `  2  2026-12-01 10:03:00Z ✓ refresh 200 EXPIRES_IN_OVERRIDDEN` */
function stepLine(step: LinkChain["steps"][number], index: number, numberWidth: number, width: number, style: Style): string {
  const { mark, paint } = verdictMark(step.verdict, style);
  const grant = step.grantType ?? "-";
  const finding = leadingFinding(step.record.findings) ?? step.record.findings[0];
  const segments: Segment[] = [
    { text: `  ${String(index).padStart(numberWidth)}  ` },
    { text: `${utcDateTime(step.time)}Z `, paint: style.dim },
    { text: mark, paint: (text) => style.bold(paint(text)) },
    { text: ` ${(SHORT_GRANTS[grant] ?? grant).padEnd(GRANT_WIDTH)} ${(step.record.upstream?.error?.code ?? String(step.status ?? "-")).padEnd(3)} ` },
    { text: finding?.code ?? "-", paint: finding ? severityMark(finding.severity, style).paint : undefined },
  ];
  return fitLine(segments, width);
}

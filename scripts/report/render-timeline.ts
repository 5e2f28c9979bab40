/**
 * `npm run logs -- --timeline`: each link chain as one line per step (time, grant, what the
 * token URL answered, verdict, the leading finding), then the chain's state and its findings,
 * in the full report's style. `linkChainJson` is the --json line.
 */
import { LinkChain } from "../../functions/token-url/diagnosis/link-chains";
import { findingLines } from "./render-attempt";
import { createStyle, Style } from "./style";
import { fitLine, Segment, utcDateTime, wrap } from "./text";
import { bySeverity, headlineOf, leadingFinding, severityMark, verdictMark } from "./verdict";

export interface RenderTimelineOptions {
  color: boolean;
  /** Columns; @default 80 */
  width?: number;
}

const GRANT_WIDTH = 7; // "refresh"
const SHORT_GRANTS: Record<string, string> = { authorization_code: "code", refresh_token: "refresh" };

/** Every chain, newest first, separated by a blank line. */
export function renderTimeline(chains: readonly LinkChain[], options: RenderTimelineOptions): string {
  const width = Math.max(40, options.width ?? 80);
  const style = createStyle(options.color);
  // Wrapped once: a busy day has thousands of chains and only two ways to start one.
  const origins = {
    code: originLines("starts with a code exchange", width, style),
    earlier: originLines("starts with a refresh token issued before this window (or before the debugger was in place)", width, style),
  };
  return chains.map((chain, index) => chainLines(chain, `Link ${index + 1} of ${chains.length}`, origins[chain.origin], width, style).join("\n")).join("\n\n");
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

function originLines(text: string, width: number, style: Style): string[] {
  return wrap(text, width - 2).map((line) => `  ${style.dim(line)}`);
}

function chainLines(chain: LinkChain, title: string, origin: string[], width: number, style: Style): string[] {
  const number = String(chain.steps.length).length;
  return [
    `${style.bold(style.cyan(title))}  ${stateText(chain, style)}`,
    ...origin,
    ...chain.steps.map((step, index) => stepLine(step, index + 1, number, width, style)),
    ...bySeverity(chain.findings).flatMap((finding) => findingLines(finding, { width, style, keepValuesWhole: false })),
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
      const finding = chain.findings.find((candidate) => candidate.code === state.reason) ?? chain.steps[state.step - 1].record.findings.find((candidate) => candidate.code === state.reason);
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

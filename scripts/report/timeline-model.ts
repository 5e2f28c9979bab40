/**
 * What `logs --timeline` says about each link chain, decided once for the terminal
 * (render-timeline.ts) and the page (render-html.ts): the chain's state, where it starts, one
 * entry per step, and its findings in order.
 */
import { LinkChain } from "../../functions/token-url/diagnosis/link-chains";
import { Finding, Verdict } from "../../functions/token-url/diagnosis/finding";
import { ReportValue } from "./report-model";
import { utcDateTime } from "./text";
import { bySeverity, headlineOf, leadingFinding } from "./verdict";

export interface TimelineStep {
  /** 1 for the oldest. */
  readonly position: number;
  /** "2026-12-01 10:03:00Z" */
  readonly time: string;
  readonly verdict: Verdict;
  /** "code", "refresh", or the grant as it came ("-" for none). */
  readonly grant: string;
  /** The upstream error code, else the status ("-" for none). */
  readonly answer: string;
  readonly finding?: Pick<Finding, "code" | "severity">;
}

export interface TimelineChain {
  /** "Link 1 of 3", newest first. */
  readonly title: string;
  readonly state: ReportValue;
  readonly origin: "code" | "earlier";
  readonly steps: readonly TimelineStep[];
  /** Errors, then warnings, then info. */
  readonly findings: readonly Finding[];
}

const BREAKS = "the refresh token dies then unless the skill is used before (Alexa refreshes only on use)";

const SHORT_GRANTS: Record<string, string> = { authorization_code: "code", refresh_token: "refresh" };

export const ORIGIN_TEXT: Record<TimelineChain["origin"], string> = {
  code: "starts with a code exchange",
  earlier: "starts with a refresh token issued before this window (or before the debugger was in place)",
};

export function buildTimelineReport(chains: readonly LinkChain[]): TimelineChain[] {
  return chains.map((chain, index) => ({
    title: `Link ${index + 1} of ${chains.length}`,
    state: stateOf(chain),
    origin: chain.origin,
    steps: chain.steps.map((step, stepIndex) => {
      const grant = step.grantType ?? "-";
      const finding = leadingFinding(step.record.findings) ?? step.record.findings[0];
      return {
        position: stepIndex + 1,
        time: `${utcDateTime(step.time)}Z`,
        verdict: step.verdict,
        grant: SHORT_GRANTS[grant] ?? grant,
        answer: step.record.upstream?.error?.code ?? String(step.status ?? "-"),
        ...(finding && { finding: { code: finding.code, severity: finding.severity } }),
      };
    }),
    findings: bySeverity(chain.findings),
  }));
}

function stateOf(chain: LinkChain): ReportValue {
  const { state } = chain;
  switch (state.kind) {
    case "healthy":
      return state.refreshTokenExpiresAt
        ? { text: `healthy until ${utcDateTime(state.refreshTokenExpiresAt)}Z: ${BREAKS}`, tone: "warn" }
        : { text: "healthy", tone: "good" };
    case "waiting": {
      const waiting = `waiting for a refresh (access token expired ${utcDateTime(state.expiredAt)}Z)`;
      return state.refreshTokenExpiresAt
        ? { text: `${waiting}; breaks at ${utcDateTime(state.refreshTokenExpiresAt)}Z: ${BREAKS}`, tone: "warn" }
        : { text: waiting, tone: "warn" };
    }
    case "lapsed":
      return {
        text:
          `breaks at the skill's next use: the refresh token Alexa holds died ${utcDateTime(state.refreshTokenExpiredAt)}Z, ` +
          "so Alexa's next refresh is refused and the user gets a card to link again",
        tone: "bad",
      };
    case "broken": {
      const byCode = (candidate: { code: string }) => candidate.code === state.reason;
      const finding = chain.findings.find(byCode) ?? chain.steps[state.step - 1].record.findings.find(byCode);
      return { text: `broken at step ${state.step}: ${state.reason}${finding ? ` (${headlineOf(finding)})` : ""}`, tone: "bad" };
    }
  }
}

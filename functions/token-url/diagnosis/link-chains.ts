/**
 * Link chains for `npm run logs -- --timeline`: a code exchange that issued refresh token R1, the
 * refresh that presented R1 and got R2, and so on, matched by the fingerprints of the records'
 * `lineage`. A pure function (records in, chains out) beside the per-attempt rules; its findings
 * are about the chain, which no single attempt can see.
 */
import { withProductFixes } from "./server-knowledge";
import { AttemptRecord } from "../attempt-record";
import { isObject, parseJson } from "./answer-body";
import { Finding } from "./finding";

export interface ChainStep {
  readonly attemptId: string;
  readonly time: string;
  readonly grantType: string | null;
  /** What the token URL answered (the dummy's answer in dummy mode); null without an answer. */
  readonly status: number | null;
  readonly verdict: AttemptRecord["verdict"];
  readonly record: AttemptRecord;
}

/** `refreshTokenExpiresAt`: when the refresh token Alexa holds dies, as its answer said
 * (lineage.ts); the link breaks then unless the skill is used before. Absent when no answer said. */
export type ChainState =
  | { readonly kind: "healthy"; readonly refreshTokenExpiresAt?: string }
  /** The access token Alexa holds has expired; Alexa refreshes on the skill's next use. */
  | { readonly kind: "waiting"; readonly expiredAt: string; readonly refreshTokenExpiresAt?: string }
  /** The refresh token Alexa holds has died with no refresh since: Alexa's next refresh (at the
   * skill's next use) is refused, and the user gets a card to link again. */
  | { readonly kind: "lapsed"; readonly refreshTokenExpiredAt: string }
  /** `step` counts from 1; `reason` is the finding code that broke it. */
  | { readonly kind: "broken"; readonly step: number; readonly reason: string };

export interface LinkChain {
  /** Oldest first. */
  readonly steps: ChainStep[];
  /** "code": starts at a code exchange. "earlier": starts at a refresh presenting a token no
   * attempt in the window issued (issued before the window, or before the debugger was in place). */
  readonly origin: "code" | "earlier";
  readonly state: ChainState;
  readonly findings: Finding[];
}

const REFRESH = "refresh_token";

interface OpenChain {
  readonly steps: ChainStep[];
  readonly origin: LinkChain["origin"];
  /** Each with the step (from 1) it is about. */
  readonly findings: { readonly step: number; readonly finding: Finding }[];
  /** Refresh tokens a successful refresh exchanged for a different one. */
  readonly redeemed: Set<string>;
}

/**
 * Every attempt in one chain, chains newest first (by their latest step). Records from before
 * lineage was recorded still count: a refresh's presented token is also in its redacted request
 * fields; what they issued is unknown, so nothing links to them.
 */
export function buildLinkChains(records: readonly AttemptRecord[], now: Date): LinkChain[] {
  const chains: OpenChain[] = [];
  // Refresh token fingerprint → the chain that holds it (issued or redeemed there).
  const holders = new Map<string, OpenChain>();
  const ordered = [...records].sort((a, b) => a.time.localeCompare(b.time));
  for (const record of ordered) {
    const presented = presentedToken(record);
    let chain = record.request.grantType === REFRESH && presented ? holders.get(presented) : undefined;
    if (!chain) {
      chain = { steps: [], origin: record.request.grantType === REFRESH ? "earlier" : "code", findings: [], redeemed: new Set() };
      chains.push(chain);
    }
    const step = stepOf(record);
    chain.steps.push(step);
    const number = chain.steps.length;
    const issued = succeeded(step) ? (record.lineage?.refreshTokenIssued ?? null) : null;
    if (record.request.grantType === REFRESH && presented) {
      holders.set(presented, chain);
      for (const finding of knownServer(record, refreshFindings(chain, step, number, presented, issued))) chain.findings.push({ step: number, finding });
      if (succeeded(step) && issued && issued !== presented) chain.redeemed.add(presented);
    }
    if (issued) holders.set(issued, chain);
  }
  return chains
    .map(({ steps, origin, findings }) => {
      const state = stateOf(steps, findings, now);
      const overdue = state.kind === "waiting" ? [refreshOverdue(state.expiredAt)] : [];
      return { steps, origin, state, findings: [...findings.map(({ finding }) => finding), ...overdue] };
    })
    .sort((a, b) => latest(b).localeCompare(latest(a)));
}

/** A chain finding's fix in the product's own settings, when the record named the server. */
function knownServer(record: AttemptRecord, findings: Finding[]): Finding[] {
  if (!record.server) return findings;
  return withProductFixes(findings, record.server, { tokenUrl: record.upstream?.url ?? "", redirectUri: null });
}

function refreshFindings(chain: OpenChain, step: ChainStep, number: number, presented: string, issued: string | null): Finding[] {
  const reused = chain.redeemed.has(presented);
  if (reused) return [refreshTokenReused(step, number)];
  if (rejected(step)) return [refreshTokenRejected(step, number)];
  if (succeeded(step) && step.record.lineage && issued === null) return [refreshWithoutNewRefreshToken(number)];
  return [];
}

function stepOf(record: AttemptRecord): ChainStep {
  return {
    attemptId: record.attemptId,
    time: record.time,
    grantType: record.request.grantType,
    status: record.upstream ? record.upstream.status : record.response.status,
    verdict: record.verdict,
    record,
  };
}

function presentedToken(record: AttemptRecord): string | null {
  return record.lineage?.refreshTokenPresented ?? record.request.fields?.refresh_token ?? null;
}

/** Alexa got tokens: a 2xx from the token URL (or the dummy) and no error finding. */
function succeeded(step: ChainStep): boolean {
  return step.verdict !== "fail" && step.record.response.status >= 200 && step.record.response.status < 300;
}

/** The token URL itself refused the grant (a 4xx answer), as opposed to failing to answer. */
function rejected(step: ChainStep): boolean {
  return step.status !== null && step.status >= 400 && step.status < 500;
}

/** Broken when the latest step failed (a failure that a later success recovered from is history,
 * not the state), at the first step of that run of failures; else waiting once the access token
 * Alexa holds has expired; else healthy. */
function stateOf(steps: readonly ChainStep[], findings: OpenChain["findings"], now: Date): ChainState {
  let first = steps.length;
  while (first > 0 && !succeeded(steps[first - 1])) first -= 1;
  if (first < steps.length) {
    const step = steps[first];
    const chainFinding = findings.find((tagged) => tagged.step === first + 1 && tagged.finding.severity === "error")?.finding;
    const reason = chainFinding?.code ?? step.record.findings.find((finding) => finding.severity === "error")?.code ?? `HTTP ${step.status ?? "-"}`;
    return { kind: "broken", step: first + 1, reason };
  }
  const last = steps[steps.length - 1];
  const dies = refreshTokenDeath(steps);
  if (dies !== undefined && Date.parse(dies) < now.getTime()) return { kind: "lapsed", refreshTokenExpiredAt: dies };
  const breaks = dies === undefined ? {} : { refreshTokenExpiresAt: dies };
  const expiresIn = last.record.lineage?.expiresIn;
  if (typeof expiresIn !== "number") return { kind: "healthy", ...breaks };
  const expiredAt = new Date(Date.parse(last.time) + expiresIn * 1000);
  return expiredAt.getTime() < now.getTime()
    ? { kind: "waiting", expiredAt: expiredAt.toISOString(), ...breaks }
    : { kind: "healthy", ...breaks };
}

/** When the refresh token Alexa holds dies: that of the latest successful step that issued one
 * (a refresh answer without a new one leaves the old one in use), if its answer said. */
function refreshTokenDeath(steps: readonly ChainStep[]): string | undefined {
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const lineage = steps[index].record.lineage;
    if (succeeded(steps[index]) && lineage?.refreshTokenIssued) return lineage.refreshTokenExpiresAt;
  }
  return undefined;
}

function latest(chain: LinkChain): string {
  return chain.steps[chain.steps.length - 1].time;
}

/** `invalid_grant: Refresh token is expired`, from the server's own RFC 6749 error, if any. */
function serverSaid(step: ChainStep): string {
  const body = parseJson(step.record.upstream?.body ?? "");
  if (!isObject(body) || typeof body.error !== "string") return `HTTP ${step.status}`;
  return typeof body.error_description === "string" ? `${body.error}: ${body.error_description}` : body.error;
}

function refreshTokenRejected(step: ChainStep, number: number): Finding {
  return {
    code: "REFRESH_TOKEN_REJECTED",
    severity: "error",
    message:
      `The refresh at step ${number} was refused (${serverSaid(step)}), so the link is broken until the user links again. ` +
      "Likely causes: the refresh token expired, it was revoked (password change, sign-out, an admin), or it was bound " +
      "to the login session (issued without offline_access, or with a session lifetime).",
    fix:
      "Issue Alexa a long-lived refresh token: request offline_access (or your server's equivalent) in the skill's " +
      "scopes, and make its lifetime longer than the gaps between skill uses; then link the skill again.",
  };
}

function refreshTokenReused(step: ChainStep, number: number): Finding {
  const refused = !succeeded(step);
  return {
    code: "REFRESH_TOKEN_REUSED",
    severity: refused ? "error" : "warning",
    message:
      `The refresh at step ${number} presented a refresh token that an earlier refresh in this link had already redeemed` +
      `${refused ? ` and was refused (${serverSaid(step)})` : ", and the server accepted it anyway"}. ` +
      "The server rotates refresh tokens and Alexa did not keep the new one, or the server's rotation policy revokes " +
      "the whole grant when an old token comes back.",
    fix:
      "Make sure each refresh answer carries the new refresh_token (Alexa keeps what the answer holds), or allow a " +
      "reuse interval for rotated tokens; then link the skill again.",
  };
}

function refreshWithoutNewRefreshToken(number: number): Finding {
  return {
    code: "REFRESH_WITHOUT_NEW_REFRESH_TOKEN",
    severity: "info",
    message: `The refresh answer at step ${number} carried no refresh token, so Alexa keeps using the old one.`,
    fix: "Nothing to do if your server does not rotate refresh tokens; if it does, return the new one in the answer.",
  };
}

function refreshOverdue(expiredAt: string): Finding {
  return {
    code: "REFRESH_OVERDUE",
    severity: "info",
    message:
      `The access token Alexa holds expired at ${expiredAt} and no refresh has been seen since. ` +
      "Alexa refreshes when it next needs a token, on the next use of the skill.",
    fix: "Use the skill (or ask Alexa something that needs the link), then run this again to see the refresh.",
  };
}

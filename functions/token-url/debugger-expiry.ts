/**
 * A deployed debugger expires on its own (DEBUG_TTL_HOURS), so that a forgotten wrapper stops
 * forwarding users' codes and tokens. Pure decisions, shared by the Lambda (refuse), `npm run
 * logs` (warn) and `npm run link` (refuse to link).
 */
import { Finding } from "./diagnosis/finding";
import { oauthError, TokenResponse } from "./token-response";

/** Less than this left, and logs warns and link refuses: a linking session takes longer. */
export const EXPIRY_WARNING_MS = 60 * 60 * 1000;

export type ExpiryState = "never" | "running" | "expiring" | "expired";

/** Where the debugger stands at `now`; no expiry (DEBUG_TTL_HOURS=0, or npm start) is "never". */
export function expiryState(expiresAt: Date | undefined, now: Date): ExpiryState {
  if (expiresAt === undefined) return "never";
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return "expired";
  return left < EXPIRY_WARNING_MS ? "expiring" : "running";
}

/** "2026-12-02 21:40 UTC", as the reports print times. */
export function formatExpiry(expiresAt: Date): string {
  return `${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export const EXTEND_COMMAND = "npm run deploy -- --extend";

/** The handler's first decision: an expired debugger answers this and forwards nothing. */
export function expiredAnswer(expiresAt: Date | undefined, now: Date): { response: TokenResponse; finding: Finding } | null {
  if (expiresAt === undefined || expiryState(expiresAt, now) !== "expired") return null;
  const when = formatExpiry(expiresAt);
  return {
    // 503 + temporarily_unavailable: RFC 6749 §5.2's closest error, and nothing Alexa caches.
    response: oauthError(
      503,
      "temporarily_unavailable",
      `The token URL debugger expired at ${when}; nothing was forwarded. Point the skill back at the real token URL.`,
    ),
    finding: {
      code: "DEBUGGER_EXPIRED",
      severity: "error",
      message: `The debugger expired at ${when} (DEBUG_TTL_HOURS after its deploy) and answered 503 without forwarding the request.`,
      fix: `Point the skill back at the real token URL (npm run unlink) and destroy the stack (npm run destroy), or restart its clock on purpose: ${EXTEND_COMMAND}.`,
    },
  };
}

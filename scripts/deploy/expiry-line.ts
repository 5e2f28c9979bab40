import { EXTEND_COMMAND, formatExpiry } from "../../functions/token-url/debugger-expiry";

export interface ExpiryPlan {
  /** DEBUG_TTL_HOURS; 0: never. */
  readonly ttlHours: number;
  readonly extend: boolean;
  /** The deployed clock's start; undefined for a new stack (or one deployed without a clock). */
  readonly startedAt?: Date;
  readonly now: Date;
}

/** The deploy line that says when the debugger will stop forwarding once this deploy is done. */
export function expiryLine({ ttlHours, extend, startedAt, now }: ExpiryPlan): string {
  if (ttlHours === 0) {
    return "The debugger never expires (DEBUG_TTL_HOURS=0): destroy it when done, it forwards every user's codes and tokens";
  }
  if (extend || startedAt === undefined) {
    const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
    return `The debugger expires ${ttlHours} h after this deploy, at about ${formatExpiry(expiresAt)}${extend ? " (--extend restarts its clock)" : ""}`;
  }
  const expiresAt = new Date(startedAt.getTime() + ttlHours * 3_600_000);
  const since = `${ttlHours} h after its clock started at ${formatExpiry(startedAt)}`;
  return expiresAt <= now
    ? `The debugger expired at ${formatExpiry(expiresAt)} (${since}) and forwards nothing: ${EXTEND_COMMAND} restarts its clock`
    : `The debugger expires at ${formatExpiry(expiresAt)} (${since}; ${EXTEND_COMMAND} restarts it)`;
}

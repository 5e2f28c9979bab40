import { EXTEND_COMMAND, expiryState, formatExpiry } from "../../functions/token-url/debugger-expiry";
import { Style } from "../report/style";

export interface ExpiryHeader {
  readonly text: string;
  /** Less than an hour left, or past: worth a line on stderr even with --json. */
  readonly warning: boolean;
}

/** The first line of `npm run logs`: when the deployed debugger stops forwarding. */
export function expiryHeader(expiresAt: Date | undefined, now: Date, style: Style): ExpiryHeader | undefined {
  const state = expiryState(expiresAt, now);
  if (state === "never") return undefined; // not deployed here, or DEBUG_TTL_HOURS=0
  const when = formatExpiry(expiresAt!);
  if (state === "running") {
    return { text: style.dim(`Debugger expires ${when} (in ${hoursLeft(expiresAt!, now)}).`), warning: false };
  }
  if (state === "expiring") {
    return {
      text: style.yellow(`⚠ The debugger expires ${when}, in ${hoursLeft(expiresAt!, now)}: ${EXTEND_COMMAND} to keep it, or unlink and destroy it.`),
      warning: true,
    };
  }
  return {
    text: style.red(`✗ The debugger expired at ${when}: it answers 503 and forwards nothing. Unlink and destroy it, or ${EXTEND_COMMAND}.`),
    warning: true,
  };
}

function hoursLeft(expiresAt: Date, now: Date): string {
  const minutes = Math.ceil((expiresAt.getTime() - now.getTime()) / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

import { AlexaWait, DiagnosisContext, UpstreamExchange, UpstreamTimings } from "./exchange";
import { Finding } from "./finding";

/**
 * Alexa's clock. Amazon: "the authorization server must respond to the token request within
 * 4.5 seconds" (Alexa Skills Kit docs, Account Linking, "Configure an Authorization Code Grant",
 * https://developer.amazon.com/en-US/docs/alexa/account-linking/configure-authorization-code-grant.html).
 * Behind the wrapper the same 4.5 s also covers API Gateway and the Lambda, cold start included.
 */
export const ALEXA_DEADLINE_MS = 4_500;

const DEADLINE_TEXT = "Alexa's 4.5 s deadline";
const AMAZON_SAYS = '(Amazon: "the authorization server must respond to the token request within 4.5 seconds")';

/**
 * ALEXA_TIMEOUT when Alexa waited longer than its deadline for a complete answer, else
 * SLOW_RESPONSE when the answer used most of it. Judged on what Alexa waited (`wait`), which in
 * the wrapper includes the debugger's own time; `upstream` null means nothing was forwarded
 * (dummy). A failed exchange has its own finding, whose message names the deadline.
 */
export function deadlineFindings(
  upstream: UpstreamExchange | null,
  wait: AlexaWait,
  context: DiagnosisContext,
): Finding[] {
  if (upstream && (upstream.error !== null || upstream.status === null)) return [];
  const { waitedMs, upstreamMs, debuggerMs } = wait;
  const where = upstream ? ` (${phases(upstream.timings)})` : "";
  const shares =
    upstreamMs === null || debuggerMs === 0 ? "" : `: the token URL took ${upstreamMs} ms and the debugger ${debuggerMs} ms`;

  if (waitedMs > ALEXA_DEADLINE_MS) {
    if (upstreamMs === null) {
      return [
        alexaTimeout(
          `Alexa waited ${waitedMs} ms for the dummy token, past ${DEADLINE_TEXT}: the debugger itself (API ` +
            "Gateway and the Lambda, most likely a cold start) took that long, so Alexa gave up.",
          "Link again: a warm function answers in milliseconds. If it recurs, keep the attempt record and " +
            "look at the Lambda's REPORT line (npm run logs) for its init and run time.",
        ),
      ];
    }
    if (upstreamMs <= ALEXA_DEADLINE_MS) {
      return [
        alexaTimeout(
          `Alexa waited ${waitedMs} ms for this answer, past ${DEADLINE_TEXT} ${AMAZON_SAYS}, so it gave up. ` +
            `The token URL itself answered in ${upstreamMs} ms${where}, inside the deadline, but API Gateway and ` +
            `the debugger (cold start included) added ${debuggerMs} ms. Without the debugger the server may ` +
            `pass, but with only ${ALEXA_DEADLINE_MS - upstreamMs} ms to spare.`,
          "Make the token endpoint answer well inside 4.5 s (look at slow database or identity provider calls, " +
            "and keep it warm), then link again; `npm run probe -- <token-url>` times the server without the " +
            "debugger in front of it.",
        ),
      ];
    }
    return [
      alexaTimeout(
        `The token URL answered after ${upstreamMs} ms${where}, later than ${DEADLINE_TEXT} ${AMAZON_SAYS}` +
          `${debuggerMs > 0 ? ` (Alexa waited ${waitedMs} ms in all, the debugger's ${debuggerMs} ms included)` : ""}: ` +
          "Alexa had already given up, so linking fails even though the answer may be right.",
        "Make the token endpoint answer within 4.5 s, with a margin: find what it waits on (database, upstream " +
          "identity provider, cold start of a function or container) in the phases above and in its own logs.",
      ),
    ];
  }
  if (waitedMs > context.slowResponseMs) {
    const used = Math.round((waitedMs / ALEXA_DEADLINE_MS) * 100);
    const subject = upstream ? `The answer came after ${waitedMs} ms${where}${shares}` : `The dummy answered after ${waitedMs} ms`;
    return [
      {
        code: "SLOW_RESPONSE",
        severity: "warning",
        message:
          `${subject}: inside ${DEADLINE_TEXT}, but ${used}% of it (more than ${context.slowResponseMs} ms), ` +
          `${ALEXA_DEADLINE_MS - waitedMs} ms short of linking failing. A little more load, and Alexa gives up.`,
        fix:
          "Make the token endpoint answer within a second or two: look at slow database or identity provider " +
          "calls and at cold starts (keep the function or container warm).",
      },
    ];
  }
  return [];
}

function alexaTimeout(message: string, fix: string): Finding {
  return { code: "ALEXA_TIMEOUT", severity: "error", message, fix };
}

/** "DNS 3 ms, connect 10 ms, TLS 20 ms, first byte 4000 ms": where the time went. */
function phases(timings: UpstreamTimings): string {
  const parts: [string, number | null][] = [
    ["DNS", timings.dnsMs],
    ["connect", timings.connectMs],
    ["TLS", timings.tlsMs],
    ["first byte", timings.ttfbMs],
  ];
  return parts
    .filter((part): part is [string, number] => part[1] !== null)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(", ");
}

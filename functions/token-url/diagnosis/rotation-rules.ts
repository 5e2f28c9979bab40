/**
 * Refresh token rotation: a refresh answer that issues a new refresh token (REFRESH_TOKEN_ROTATED,
 * from any refresh), and what `probe --check-rotation` learns by presenting the old token once
 * more (REFRESH_ROTATION_IMMEDIATE / REFRESH_ROTATION_TOLERANT).
 *
 * Why it matters: Amazon asks that an authorization server not invalidate a refresh token the
 * moment it issues a new one. Its blog "The most common problems with setting up account linking
 * for your smart home Alexa skill" (developer.amazon.com/en-US/blogs/alexa/device-makers/2024/07/
 * alexa-account-linking-july-2024): "Failure to handle these tokens correctly such as
 * prematurely invalidating access and refreshing tokens can lead to authentication failures";
 * DESIGN §4 summarizes the account linking FAQ's ask (its exact words were not in the sources
 * searched for this change). If the answer
 * to a refresh is lost (a timeout, Alexa's 4.5 s deadline, a retry), Alexa still holds the old
 * token, and a server that revoked it at once has broken the link.
 */
import { issuedTokenAnswer } from "./answer-body";
import { CapturedRequest, DiagnosisContext, ProbeOptionsGiven, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";

/** How a token is fingerprinted (fingerprint.ts), passed in so the rule stays data in, findings out. */
export type FingerprintOf = (token: string) => string;

/** The refresh token a token answer issued, in clear (for comparison only), or null (none, or
 * no token answer). */
export function issuedRefreshToken(upstream: UpstreamExchange): string | null {
  const body = issuedTokenAnswer(upstream);
  return body && typeof body.refresh_token === "string" && body.refresh_token !== "" ? body.refresh_token : null;
}

/** REFRESH_TOKEN_ROTATED when a refresh answer carries a refresh token other than the one presented. */
export function rotationFindings(
  request: CapturedRequest,
  upstream: UpstreamExchange,
  context: Pick<DiagnosisContext, "mode" | "probeOptions">,
  fingerprintOf: FingerprintOf,
): Finding[] {
  if (request.grantType !== "refresh_token" || !request.refreshTokenPresented) return [];
  const issued = issuedRefreshToken(upstream);
  if (issued === null || fingerprintOf(issued) === request.refreshTokenPresented) return [];
  return [
    {
      code: "REFRESH_TOKEN_ROTATED",
      severity: "info",
      message:
        context.mode === "probe"
          ? "The refresh answer carries a new refresh token: the server rotates refresh tokens, so the one you passed may " +
            `no longer work. ${probeAdvice(context.probeOptions)}`
          : "The refresh answer carries a new refresh token (the server rotates refresh tokens); Alexa keeps the new one " +
            "and presents it at the next refresh.",
      fix:
        "Nothing to do while refreshes succeed. Make sure the server accepts the previous refresh token for a while after " +
        "rotating (Amazon asks that it not be invalidated at once), so a lost answer does not unlink the user.",
    },
  ];
}

/** Where the new token is, and how to learn whether the old one still works: worded from the
 * options the probe was given, so it never advises one that was passed. */
function probeAdvice(given: ProbeOptionsGiven = { checkRotation: false }): string {
  const kept = given.saveTokensFile
    ? `The new one goes to ${given.saveTokensFile} (--save-tokens)`
    : "The new one is shown only as a fingerprint; --save-tokens FILE keeps it";
  const checked = given.checkRotation
    ? "the rotation check (the old one presented once more) tells whether the old one still works"
    : "--check-rotation tells whether the old one still works";
  return `${kept}; ${checked}.`;
}

/** What `--check-rotation`'s second request (the old refresh token again) got. */
export interface ReuseOutcome {
  /** The answer issued tokens. */
  readonly accepted: boolean;
  /** The HTTP status, or the transport error's code when no answer came. */
  readonly answer: string;
  /** The server's RFC 6749 error, when it refused ("invalid_grant: Refresh token is invalid"). */
  readonly serverSaid: string | null;
  /** When accepted: whether the answer handed back the token the first refresh issued
   * ("same"), another new one ("new"), or none ("none"). */
  readonly issued?: "same" | "new" | "none";
  /** --save-tokens: the file the probe writes what the server issued to. */
  readonly saveTokensFile?: string;
}

/** The finding for `--check-rotation`: the old refresh token presented once more after a
 * refresh that rotated it. Null when the second answer tells nothing (no answer, or a server
 * error rather than a refusal). */
export function reuseFinding(outcome: ReuseOutcome): Finding | null {
  if (outcome.accepted) {
    const issued =
      outcome.issued === "same"
        ? "and answered with the same new refresh token as the first refresh, so that one stays current"
        : outcome.issued === "new"
          ? "and issued yet another refresh token; whether the first refresh's token still works was not tried " +
            "(it would spend another request): a server with reuse detection may have revoked it"
          : "and issued no refresh token, so the first refresh's token stays current";
    return {
      code: "REFRESH_ROTATION_TOLERANT",
      severity: "info",
      message: `The old refresh token still worked right after the server rotated it (${outcome.answer}), ${issued}. ` +
        "A lost refresh answer does not unlink the user, as Amazon asks.",
      fix:
        "Nothing to do. The tokens this probe holds now are the last answer's " +
        (outcome.saveTokensFile ? `(they go to ${outcome.saveTokensFile}).` : "(--save-tokens FILE keeps them)."),
    };
  }
  const refused = outcome.answer.startsWith("4");
  if (!refused) return null;
  return {
    code: "REFRESH_ROTATION_IMMEDIATE",
    severity: "warning",
    message:
      `The server revoked the old refresh token the moment it issued a new one: presented again right after the refresh, ` +
      `it was refused (${outcome.serverSaid ?? `HTTP ${outcome.answer}`}). Amazon asks that an old refresh token not be ` +
      "invalidated immediately: if a refresh answer is lost on the way (a timeout, a retry), Alexa still holds the old " +
      "token, its next refresh is refused, and the user has to link the skill again.",
    fix:
      "Keep the previous refresh token valid for a grace period after rotating (a reuse interval of minutes to hours), " +
      "or stop rotating refresh tokens for this client.",
  };
}

/** `--check-rotation` asked, but a second request would have told nothing. */
export function rotationNotChecked(why: string): Finding {
  return {
    code: "REFRESH_ROTATION_NOT_CHECKED",
    severity: "info",
    message: `The rotation check sent no second request: ${why}.`,
    fix: "Nothing to check here; see the other findings about the refresh.",
  };
}

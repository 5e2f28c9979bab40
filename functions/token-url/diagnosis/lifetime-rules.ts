/**
 * Will the link last? Findings about token lifetimes, from any answer that issued tokens (a
 * code exchange or a refresh; the wrapper, the probe, and so `logs`): an access token shorter
 * than Amazon's minimum, a refresh token the answer says will die, and an `offline_access`
 * scope the server offers but the grant lacks.
 *
 * Sources:
 * - Amazon, account linking FAQ (developer.amazon.com/docs/alexaplus/account-linking/faq): "Access
 *   tokens must have a lifetime of at least six minutes (360 seconds)"; "Account Linking for
 *   Smart Home and Other Domains": "the expires_in parameter of your access token response must
 *   be greater than or equal to 360". Neither says what Alexa does with a shorter one.
 * - Amazon, "Use Access Tokens" (docs/alexaplus/account-linking/use-access-tokens.html): "If the
 *   access token expires, Alexa automatically calls the access token URI with the refresh token":
 *   it refreshes when a request to the skill needs a token, i.e. only when the skill is used; a
 *   refused refresh deletes the tokens and the user gets a card to link again (DESIGN §4).
 * - Keycloak, Server Administration Guide, "Session and token timeouts": Access Token Lifespan
 *   (default 5 minutes: expires_in 300); SSO Session Idle bounds the refresh token and is reset
 *   by each refresh (by default 30 minutes: refresh_expires_in 1800, and the refresh token JWT's
 *   exp, as users report in openid/AppAuth-Android issue 416, "refresh tokens that expire within
 *   30 minutes"); an offline token, bound to Offline Session Idle instead of the login session,
 *   only when the client requests the offline_access scope.
 * - Logto issues session-bound refresh tokens unless offline_access is requested (logto issues
 *   7840, 8155).
 */
import { issuedTokenAnswer } from "./answer-body";
import { durationInWords, utcInstant } from "./duration-words";
import { DiagnosisContext, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { RefreshTokenLifetime, tokenLifetimesOf } from "./token-lifetimes";

/** Amazon's minimum access token lifetime (FAQ above). */
export const AMAZON_MIN_ACCESS_TOKEN_SECONDS = 360;

/**
 * A refresh token that dies sooner than this after it is issued is worth a warning. Alexa
 * refreshes only when the skill is used, so the refresh token must outlive the longest gap
 * between two uses: a holiday or a season (a heating skill in summer) is weeks, and a month
 * covers those. Below it, the UTC time the message gives is a date a real user may well miss.
 */
export const REFRESH_TOKEN_WARN_BELOW_SECONDS = 30 * 86_400;

const OFFLINE_ACCESS = "offline_access";

export function lifetimeFindings(upstream: UpstreamExchange, context: Pick<DiagnosisContext, "now" | "serverMetadata">): Finding[] {
  const body = issuedTokenAnswer(upstream);
  if (!body) return [];
  const lifetimes = tokenLifetimesOf(body, context.now);
  const findings: Finding[] = [];
  const access = lifetimes.accessTokenSeconds;
  if (access !== null && access < AMAZON_MIN_ACCESS_TOKEN_SECONDS) findings.push(accessTokenLifetimeShort(access));
  const refresh = lifetimes.refreshToken;
  if (refresh && refresh.seconds < REFRESH_TOKEN_WARN_BELOW_SECONDS) findings.push(refreshTokenExpires(refresh));
  const offered = context.serverMetadata?.scopesSupported?.includes(OFFLINE_ACCESS) ?? false;
  const granted = lifetimes.grantedScope;
  if (offered && granted !== null && !granted.includes(OFFLINE_ACCESS)) {
    findings.push(offlineAccessNotRequested(granted, context.serverMetadata!.url));
  }
  return findings;
}

function accessTokenLifetimeShort(seconds: number): Finding {
  return {
    code: "ACCESS_TOKEN_LIFETIME_SHORT",
    severity: "warning",
    message:
      `The access token lives ${seconds} seconds (expires_in ${seconds}); Amazon's account linking FAQ asks for at least ` +
      `${AMAZON_MIN_ACCESS_TOKEN_SECONDS} seconds (six minutes). Amazon does not document what Alexa does with a shorter one.`,
    fix:
      `Set the server's access token lifetime for this client to ${AMAZON_MIN_ACCESS_TOKEN_SECONDS} seconds or more ` +
      "(an hour, 3600, is common); the refresh token keeps the link alive beyond it.",
  };
}

function refreshTokenExpires(refresh: RefreshTokenLifetime): Finding {
  const said = refresh.source === "refresh_expires_in" ? `refresh_expires_in ${refresh.seconds}` : "the refresh token's JWT exp";
  return {
    code: "REFRESH_TOKEN_EXPIRES",
    severity: "warning",
    message:
      `The refresh token dies ${durationInWords(refresh.seconds)} after this answer (${said}): unless the skill is used ` +
      `before ${utcInstant(refresh.expiresAt)}, the link breaks. Alexa refreshes only when the skill is used (after the ` +
      "access token has expired); a refused refresh makes it delete the tokens and send the user a card to link again.",
    fix:
      "Give Alexa a refresh token that outlives the longest gap between two uses of the skill (weeks, not hours): request " +
      "a long-lived (offline) refresh token in the skill's Scope setting, e.g. offline_access, or raise the server's " +
      "refresh token or session idle lifetime for this client; then link the skill again.",
  };
}

function offlineAccessNotRequested(granted: readonly string[], metadataUrl: string): Finding {
  return {
    code: "OFFLINE_ACCESS_NOT_REQUESTED",
    severity: "warning",
    message:
      `The authorization server offers the offline_access scope (scopes_supported at ${metadataUrl}), but these tokens ` +
      `were granted ${granted.length === 0 ? "no scope" : `"${granted.join(" ")}"`} without it. Without offline_access ` +
      "many servers (Keycloak, Logto, ...) tie the refresh token to the login session, so the link breaks when that " +
      "session ends.",
    fix:
      "Add offline_access to the skill's Scope setting (Alexa developer console, Account Linking, Scope) and allow this " +
      "client to request it on the server; then link the skill again so that Alexa gets an offline refresh token.",
  };
}

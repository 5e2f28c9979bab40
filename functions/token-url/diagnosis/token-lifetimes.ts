/**
 * What a token answer says about how long its tokens live: the facts behind the lifetime rules
 * (lifetime-rules.ts) and the link timeline's "breaks at" (lineage.ts). Pure: a parsed answer
 * and the time it was issued in, facts out; no judgement here.
 */
import { jwtClaims } from "../jwt";

export interface RefreshTokenLifetime {
  /** Seconds from the answer to the refresh token's death. */
  readonly seconds: number;
  readonly expiresAt: Date;
  /** Where the answer says so: `refresh_expires_in` (Keycloak and others) or the `exp` claim of
   * a refresh token that is a JWT. */
  readonly source: "refresh_expires_in" | "JWT exp";
}

export interface TokenLifetimes {
  /** `expires_in` when a JSON number; null otherwise (the token body rules judge its type). */
  readonly accessTokenSeconds: number | null;
  /** Null when the answer carries no refresh token, or does not say when it dies (the usual
   * case, and the healthy one: most servers' refresh tokens live until revoked or unused for long). */
  readonly refreshToken: RefreshTokenLifetime | null;
  /** The granted `scope` (RFC 6749 §5.1), else the access token's `scope` claim when it is a
   * JWT; null when the answer does not say (then it is the scope requested, which the token
   * request does not carry). */
  readonly grantedScope: readonly string[] | null;
}

export function tokenLifetimesOf(body: Record<string, unknown>, issuedAt: Date): TokenLifetimes {
  return {
    accessTokenSeconds: typeof body.expires_in === "number" && Number.isFinite(body.expires_in) ? body.expires_in : null,
    refreshToken: typeof body.refresh_token === "string" && body.refresh_token !== "" ? refreshLifetimeOf(body, issuedAt) : null,
    grantedScope: grantedScopeOf(body),
  };
}

function refreshLifetimeOf(body: Record<string, unknown>, issuedAt: Date): RefreshTokenLifetime | null {
  const stated = body.refresh_expires_in;
  // Keycloak answers refresh_expires_in 0 for an offline token without a maximum lifetime:
  // it does not die by time.
  if (typeof stated === "number" && Number.isFinite(stated)) {
    return stated > 0 ? lifetime(stated, issuedAt, "refresh_expires_in") : null;
  }
  const exp = jwtClaims(body.refresh_token as string)?.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return null;
  return lifetime(exp - issuedAt.getTime() / 1000, issuedAt, "JWT exp");
}

function lifetime(seconds: number, issuedAt: Date, source: RefreshTokenLifetime["source"]): RefreshTokenLifetime {
  const whole = Math.max(0, Math.round(seconds));
  return { seconds: whole, expiresAt: new Date(issuedAt.getTime() + whole * 1000), source };
}

function grantedScopeOf(body: Record<string, unknown>): readonly string[] | null {
  const scope = typeof body.scope === "string" ? body.scope : typeof body.access_token === "string" ? jwtClaims(body.access_token)?.scope : undefined;
  if (typeof scope === "string") return scope.split(/\s+/).filter((item) => item !== "");
  if (Array.isArray(scope)) return scope.filter((item): item is string => typeof item === "string");
  return null;
}

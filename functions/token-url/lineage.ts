import { isObject, parseJson } from "./diagnosis/answer-body";
import { tokenLifetimesOf } from "./diagnosis/token-lifetimes";
import { fingerprint } from "./fingerprint";
import { TokenResponse } from "./token-response";

/**
 * What chains one attempt to the next (`npm run logs -- --timeline`): a refresh presents the
 * refresh token an earlier answer issued. Fingerprints only, made exactly as the redaction makes
 * them, so they match the `refresh_token` shown in a record's request fields.
 */
export interface TokenLineage {
  /** The refresh token a refresh grant presented; null for other grants. */
  readonly refreshTokenPresented: string | null;
  /** The tokens in the answer Alexa received; null when it carried none. */
  readonly refreshTokenIssued: string | null;
  readonly accessTokenIssued: string | null;
  /** The `expires_in` Alexa was given (after EXPIRES_IN_OVERRIDE), when a number. */
  readonly expiresIn: number | null;
  /** When the answer says its refresh token dies (refresh_expires_in, a JWT refresh token's
   * exp): the link breaks then unless the skill is used before. Absent when it does not say. */
  readonly refreshTokenExpiresAt?: string;
}

export function tokenLineage(
  fields: Record<string, string>,
  answer: Pick<TokenResponse, "statusCode" | "body">,
  issuedAt: Date = new Date(),
): TokenLineage {
  const body = answer.statusCode >= 200 && answer.statusCode < 300 ? parseJson(answer.body) : undefined;
  const token = (name: string): string | null =>
    isObject(body) && typeof body[name] === "string" && body[name] !== "" ? fingerprint(body[name] as string) : null;
  const refreshDies = isObject(body) ? tokenLifetimesOf(body, issuedAt).refreshToken?.expiresAt : undefined;
  const presented = fields.grant_type === "refresh_token" ? fields.refresh_token : undefined;
  return {
    refreshTokenPresented: presented ? fingerprint(presented) : null,
    refreshTokenIssued: token("refresh_token"),
    accessTokenIssued: token("access_token"),
    expiresIn: isObject(body) && typeof body.expires_in === "number" ? body.expires_in : null,
    ...(refreshDies && { refreshTokenExpiresAt: refreshDies.toISOString() }),
  };
}

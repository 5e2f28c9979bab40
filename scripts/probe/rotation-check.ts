/**
 * `probe --grant refresh_token --check-rotation`: after a refresh that rotated the refresh
 * token, the probe presents the old one once more (run-probe.ts sends it) and this says what the
 * two answers show (rotation-rules.ts words the findings). Two token requests at most: the
 * second only when the first rotated, and never a third to try the newest token.
 */
import { issuedTokenAnswer } from "../../functions/token-url/diagnosis/answer-body";
import { CapturedRequest, UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { oauthErrorOf, quoteOAuthError } from "../../functions/token-url/diagnosis/oauth-error-rules";
import { issuedRefreshToken, reuseFinding, rotationNotChecked } from "../../functions/token-url/diagnosis/rotation-rules";
import { fingerprint } from "../../functions/token-url/fingerprint";

/** The refresh token a refresh issued in place of the one presented; null when it issued none
 * or the same one (nothing rotated, nothing to check). */
export function rotatedRefreshToken(exchange: UpstreamExchange, request: CapturedRequest): string | null {
  const issued = issuedRefreshToken(exchange);
  return issued !== null && request.refreshTokenPresented !== fingerprint(issued) ? issued : null;
}

/** The check's finding: the old token's second answer judged, or why there was no second request. */
export function rotationCheckFindings(first: UpstreamExchange, rotated: string | null, reuse: UpstreamExchange | null): Finding[] {
  if (reuse === null || rotated === null) {
    return [
      rotationNotChecked(
        issuedTokenAnswer(first) !== undefined
          ? "the refresh issued no new refresh token, so there is no rotation to check"
          : "the refresh itself did not succeed",
      ),
    ];
  }
  const again = issuedRefreshToken(reuse);
  const finding = reuseFinding({
    accepted: issuedTokenAnswer(reuse) !== undefined,
    answer: reuse.error?.code ?? String(reuse.status ?? "no answer"),
    serverSaid: serverSaid(reuse),
    issued: again === null ? "none" : again === rotated ? "same" : "new",
  });
  return finding ? [finding] : [rotationNotChecked(`the second request got no answer that tells (${reuse.error?.code ?? `HTTP ${reuse.status}`})`)];
}

/** `"invalid_grant": "Refresh token is invalid"`, the server's RFC 6749 error as the other
 * findings quote it; null when the answer is no such error. */
function serverSaid(exchange: UpstreamExchange): string | null {
  const error = oauthErrorOf(exchange);
  return error && quoteOAuthError(error);
}

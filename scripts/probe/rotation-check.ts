/**
 * `probe --grant refresh_token --check-rotation`: after a refresh that rotated the refresh
 * token, the probe presents the old one once more and this says what the two answers show
 * (rotation-rules.ts words the findings). Two token requests at most: the second only when the
 * first rotated, and never a third to try the newest token.
 */
import { issuedTokenAnswer } from "../../functions/token-url/diagnosis/answer-body";
import { CapturedRequest, UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { oauthErrorOf, quoteOAuthError } from "../../functions/token-url/diagnosis/oauth-error-rules";
import { issuedRefreshToken, reuseFinding, rotationNotChecked } from "../../functions/token-url/diagnosis/rotation-rules";
import { fingerprint } from "../../functions/token-url/fingerprint";

/** A request as sent and answered: the first refresh, or the old token presented again. */
interface Sent {
  readonly read: { readonly captured: CapturedRequest };
  readonly exchange: UpstreamExchange;
}

/**
 * The rotation check after the first refresh: when it rotated the refresh token,
 * `presentAgain` sends the old one once more (and judges the answer, for the record); the
 * findings say what the two answers show, or why there was no second request.
 */
export async function checkRotation<T extends Sent>(
  first: T,
  presentAgain: () => Promise<T>,
  /** --save-tokens: where what the server issued goes. */
  saveTokensFile?: string,
): Promise<{ readonly reuse: T | null; readonly findings: Finding[] }> {
  const rotated = rotatedRefreshToken(first.exchange, first.read.captured);
  // The old refresh token once more, right after the refresh that replaced it.
  const reuse = rotated === null ? null : await presentAgain();
  return { reuse, findings: rotationCheckFindings(first.exchange, rotated, reuse?.exchange ?? null, saveTokensFile) };
}

/** The refresh token a refresh issued in place of the one presented; null when it issued none
 * or the same one, or no refresh token was presented (nothing rotated, nothing to check). */
export function rotatedRefreshToken(exchange: UpstreamExchange, request: CapturedRequest): string | null {
  const issued = issuedRefreshToken(exchange);
  if (issued === null || !request.refreshTokenPresented) return null;
  return request.refreshTokenPresented !== fingerprint(issued) ? issued : null;
}

/** The check's finding: the old token's second answer judged, or why there was no second request. */
export function rotationCheckFindings(first: UpstreamExchange, rotated: string | null, reuse: UpstreamExchange | null, saveTokensFile?: string): Finding[] {
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
    ...(saveTokensFile !== undefined && { saveTokensFile }),
  });
  return finding ? [finding] : [rotationNotChecked(`the second request got no answer that tells (${reuse.error?.code ?? `HTTP ${reuse.status}`})`)];
}

/** `"invalid_grant": "Refresh token is invalid"`, the server's RFC 6749 error as the other
 * findings quote it; null when the answer is no such error. */
function serverSaid(exchange: UpstreamExchange): string | null {
  const error = oauthErrorOf(exchange);
  return error && quoteOAuthError(error);
}

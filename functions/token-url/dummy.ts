import { randomBytes } from "node:crypto";
import { Finding } from "./diagnosis/finding";
import { JSON_UTF8, TokenResponse } from "./token-response";

/** A valid RFC 6749 §5.1 answer to any grant, a fresh pair each time (a refresh too): if linking
 * succeeds with it, everything but the real token URL works. */
export function dummyTokenResponse(expiresIn = 3600): TokenResponse {
  return {
    statusCode: 200,
    headers: { contentType: JSON_UTF8, cacheControl: "no-store", pragma: "no-cache" },
    body: JSON.stringify({
      access_token: `dummy-access-${randomBytes(24).toString("hex")}`,
      token_type: "Bearer",
      expires_in: expiresIn,
      refresh_token: `dummy-refresh-${randomBytes(24).toString("hex")}`,
    }),
  };
}

export const DUMMY_RESPONSE: Finding = {
  code: "DUMMY_RESPONSE",
  severity: "info",
  message:
    "Answered by the dummy token URL, not by your OAuth server. If linking succeeds now, the rest of your account-linking setup works and the fault is in the real token URL.",
  fix: "Redeploy with TOKEN_URL set to your real token URL (proxy mode) to see what it answers.",
};

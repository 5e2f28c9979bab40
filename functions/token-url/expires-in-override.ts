import { isObject, parseJson } from "./diagnosis/answer-body";
import { Finding } from "./diagnosis/finding";
import { TokenResponse } from "./token-response";

/**
 * The answer with `expires_in` set to `seconds` (EXPIRES_IN_OVERRIDE), so Alexa refreshes within
 * minutes instead of an hour; undefined for anything but a successful token answer (200, a JSON
 * object with an access token), which goes to Alexa untouched. `original` is the server's value.
 */
export function withExpiresIn(response: TokenResponse, seconds: number): { response: TokenResponse; original: unknown } | undefined {
  if (response.statusCode !== 200) return undefined;
  const body = parseJson(response.body);
  if (!isObject(body) || typeof body.access_token !== "string") return undefined;
  return { response: { ...response, body: JSON.stringify({ ...body, expires_in: seconds }) }, original: body.expires_in };
}

export function expiresInOverridden(original: unknown, seconds: number): Finding {
  const server = original === undefined ? "no expires_in" : `expires_in ${JSON.stringify(original)}`;
  return {
    code: "EXPIRES_IN_OVERRIDDEN",
    severity: "info",
    message:
      `Alexa was told expires_in ${seconds} (EXPIRES_IN_OVERRIDE); your server answered ${server}, as this record shows. ` +
      "Alexa refreshes when it next needs a token after that, i.e. when the skill is next used.",
    fix: "Unset EXPIRES_IN_OVERRIDE and redeploy once the refresh cycle is verified: Alexa should get your server's own lifetime.",
  };
}

/**
 * An authorization URI that requires PKCE: asked without a code_challenge (Alexa sends one only
 * when PKCE is enabled for the skill), it refuses the request with an error that names PKCE or
 * code_challenge, in a redirect back (RFC 6749 §4.1.2.1) or on its own page. Named for what it
 * is instead of a generic authorization error. Pure: the answers in, findings out.
 */
import { AuthorizeAnswer } from "./authorize-rules";
import { Finding } from "./finding";
import { asksForPkce, SKILL_PKCE_SETTING } from "./pkce-rules";

/** What the answer says about itself: a redirect's error and error_description, or the page. */
function refusalText(answer: AuthorizeAnswer): string | null {
  if (answer.status === null) return null;
  if (answer.location !== null) {
    if (!URL.canParse(answer.location, "https://authorization.invalid/")) return null;
    const url = new URL(answer.location, "https://authorization.invalid/");
    const params = url.searchParams.get("error") !== null ? url.searchParams : new URLSearchParams(url.hash.replace(/^#/, ""));
    const error = params.get("error");
    return error === null ? null : `error=${error}${params.get("error_description") ? ` ("${params.get("error_description")}")` : ""}`;
  }
  return answer.status >= 400 ? answer.body.slice(0, 4096) : null;
}

/** PKCE_REQUIRED when the request went without a code_challenge and the server asked for one. */
export function authorizePkceFindings(answers: readonly AuthorizeAnswer[], challengeSent: boolean): Finding[] {
  if (challengeSent) return [];
  const asking = answers.map(refusalText).find((text) => text !== null && asksForPkce(text));
  if (asking === undefined || asking === null) return [];
  const said = asking.startsWith("error=") ? ` (${asking.slice(0, 300)})` : "";
  return [
    {
      code: "PKCE_REQUIRED",
      severity: "error",
      message:
        `The authorization URI requires PKCE: asked without a code_challenge, as Alexa asks when PKCE is not enabled ` +
        `for the skill, it refused${said}. Users get an error page instead of the login.`,
      fix: `Either ${SKILL_PKCE_SETTING} (Alexa uses S256; check it with probe --pkce), or stop requiring PKCE for this client at the server.`,
    },
  ];
}

/** A refusal that PKCE_REQUIRED explains needs no generic AUTHORIZE_OAUTH_ERROR beside it. */
export function withoutExplainedErrors(findings: readonly Finding[], pkce: readonly Finding[]): Finding[] {
  if (pkce.length === 0) return [...findings];
  return [...findings.filter((finding) => !(finding.code === "AUTHORIZE_OAUTH_ERROR" && /error=invalid_request/.test(finding.message))), ...pkce];
}

/**
 * Is each Alexa region's redirect URL registered at the authorization server? Judged by
 * difference: the same authorization request goes out once per region and once with a redirect
 * URL no server can have registered; a region answered like that bogus URL is rejected like it.
 * Pure: the answers in, standings and findings out.
 */
import { createHash } from "node:crypto";
import { Finding } from "./finding";

/** What a browser sees of the authorization URI's answer, following no redirect. */
export interface AuthorizeAnswer {
  /** The redirect_uri the request carried. */
  readonly redirectUri: string;
  /** null: no answer (the transport findings say why). */
  readonly status: number | null;
  readonly location: string | null;
  readonly body: string;
}

export interface RegionAnswer {
  readonly region: string;
  readonly answer: AuthorizeAnswer;
}

/** ✓ registered, ✗ rejected, ? untestable (no answer, or no difference to tell by). */
export type RedirectStanding = "registered" | "rejected" | "untestable";

export interface RegionStanding {
  readonly region: string;
  readonly redirectUri: string;
  readonly standing: RedirectStanding;
  /** The OAuth error a redirect named in its query (RFC 6749 §4.1.2.1), if any. */
  readonly oauthError: string | null;
}

export interface RedirectJudgement {
  readonly regions: RegionStanding[];
  readonly findings: Finding[];
}

/** What each OAuth error at the authorization step usually means for an Alexa skill. */
const ERROR_FIXES: Record<string, string> = {
  invalid_request:
    "A parameter is missing or not accepted; when only some redirect URLs get it, those are not registered.",
  unauthorized_client:
    "The client may not use the authorization-code grant: allow it for this client id, and check that " +
    "Your Client ID in the Alexa console is the server's client id.",
  access_denied: "The server refused the request outright: check the client's status and its allowed users.",
  unsupported_response_type: 'Enable response_type "code" (the authorization-code grant) for this client.',
  invalid_scope: "Make the console's Scopes the ones the server knows for this client.",
  server_error: "The authorization server failed; look in its logs for this request.",
  temporarily_unavailable: "The authorization server was overloaded or down; try again and watch its health.",
};

/**
 * Each region's standing, and the findings: AUTHORIZE_REDIRECT_URI_REJECTED for the regions
 * answered like the bogus URL while another region was answered differently;
 * AUTHORIZE_REDIRECT_UNTESTED when every answer looks alike; AUTHORIZE_OAUTH_ERROR for an error a
 * redirect names for a region that is not rejected (a rejected one has it in its own message).
 */
export function judgeRedirects(regions: readonly RegionAnswer[], bogus: AuthorizeAnswer): RedirectJudgement {
  const reference = signatureOf(bogus);
  const signatures = regions.map(({ answer }) => signatureOf(answer));
  const told = reference !== null && signatures.some((signature) => signature !== null && signature !== reference);
  const standings = regions.map(({ region, answer }, index): RegionStanding => {
    const signature = signatures[index];
    const standing = !told || signature === null ? "untestable" : signature === reference ? "rejected" : "registered";
    return { region, redirectUri: answer.redirectUri, standing, oauthError: oauthErrorOf(answer) };
  });

  const findings: Finding[] = [];
  const rejected = standings.filter((region) => region.standing === "rejected");
  if (rejected.length > 0) {
    const accepted = standings.filter((region) => region.standing === "registered").map((region) => region.region);
    const named = rejected.map((region) => `${region.region} ${region.redirectUri}`).join("; ");
    const error = rejected[0].oauthError ? ` (a redirect with error=${rejected[0].oauthError})` : "";
    findings.push({
      code: "AUTHORIZE_REDIRECT_URI_REJECTED",
      severity: "error",
      message:
        `The authorization URI answers the ${list(rejected.map((region) => region.region))} redirect URL` +
        `${rejected.length === 1 ? "" : "s"} as it answers a made-up one${error}, and ${list(accepted)} differently: ` +
        `${rejected.length === 1 ? "it is" : "they are"} ` +
        `not registered. Users of Alexa in that region cannot link (often "redirect URI does not match"), and ` +
        "the token step fails with invalid_grant when the two steps disagree.",
      fix: `Add to the client's allowed redirect URIs at the authorization server, exactly: ${named}. Alexa lists its redirect URLs under "Alexa Redirect URLs" in the console's Account Linking page.`,
    });
  }
  const answered = signatures.filter((signature) => signature !== null);
  if (!told && reference !== null && answered.length > 0) {
    findings.push({
      code: "AUTHORIZE_REDIRECT_UNTESTED",
      severity: "info",
      message:
        "The authorization URI answers every region's redirect URL as it answers a made-up one: it does not " +
        "check redirect_uri at this step, or only after the user has logged in. The token step will tell: it " +
        "fails with invalid_grant when the redirect_uri does not match.",
      fix:
        "Log in once through the Alexa app from each region you serve, or check the client's allowed redirect " +
        'URIs at the server against the "Alexa Redirect URLs" in the console.',
    });
  }
  const byError = new Map<string, string[]>();
  for (const region of standings) {
    if (region.oauthError && region.standing !== "rejected") {
      byError.set(region.oauthError, [...(byError.get(region.oauthError) ?? []), region.region]);
    }
  }
  for (const [error, names] of byError) {
    findings.push({
      code: "AUTHORIZE_OAUTH_ERROR",
      severity: "error",
      message: `The authorization URI redirected the request for ${list(names)} with error=${error}: Alexa's user gets no login page.`,
      fix: ERROR_FIXES[error] ?? "Look the error up in the server's documentation and its logs for this request.",
    });
  }
  return { regions: standings, findings };
}

/**
 * What makes two answers alike: the status, and where a redirect points (back to the
 * redirect_uri, with which error, or elsewhere), or for a page its body with what the request
 * put in it (redirect URL, host) and per-request tokens (CSRF, nonces) blanked out.
 */
export function signatureOf(answer: AuthorizeAnswer): string | null {
  if (answer.status === null) return null;
  if (answer.location !== null) return `${answer.status} → ${locationClassOf(answer)}`;
  return `${answer.status} body ${bodyFingerprint(normalizedBody(answer))}`;
}

/** The OAuth error a redirect's query (or fragment) names, if any. */
export function oauthErrorOf(answer: AuthorizeAnswer): string | null {
  const url = locationUrl(answer);
  if (!url) return null;
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  return url.searchParams.get("error") ?? fragment.get("error");
}

function locationClassOf(answer: AuthorizeAnswer): string {
  const url = locationUrl(answer);
  if (!url) return `unreadable ${answer.location}`;
  const error = oauthErrorOf(answer);
  const where = sameResource(url, answer.redirectUri) ? "redirect_uri" : `${url.origin}${url.pathname}`;
  return error ? `${where} error=${error}` : where;
}

function locationUrl(answer: AuthorizeAnswer): URL | null {
  if (answer.location === null) return null;
  // A relative Location is resolved against any base: only its path and query matter here.
  return URL.canParse(answer.location, "https://authorization.invalid/")
    ? new URL(answer.location, "https://authorization.invalid/")
    : null;
}

function sameResource(url: URL, redirectUri: string): boolean {
  if (!URL.canParse(redirectUri)) return false;
  const sent = new URL(redirectUri);
  return url.origin === sent.origin && url.pathname.replace(/\/$/, "") === sent.pathname.replace(/\/$/, "");
}

function normalizedBody({ body, redirectUri }: AuthorizeAnswer): string {
  const host = URL.canParse(redirectUri) ? new URL(redirectUri).host : redirectUri;
  const echoes = [redirectUri, encodeURIComponent(redirectUri), redirectUri.replaceAll("/", "\\/"), host]
    .filter((echo) => echo !== "")
    .sort((a, b) => b.length - a.length); // the whole URL before the host it contains
  let text = body;
  for (const echo of echoes) text = text.replaceAll(echo, "{redirect_uri}");
  return text.replace(/[A-Za-z0-9_-]{16,}/g, "#");
}

function bodyFingerprint(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 12);
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "no region";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

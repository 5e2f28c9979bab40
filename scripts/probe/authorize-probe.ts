/**
 * `probe --authorize-url`: the authorization request Alexa's app opens in a browser, once per
 * redirect URL (each Alexa region's, or with --skill-id every one the skill lists) and once with
 * one no server can have registered, all at once;
 * the answers judged by difference (authorize-rules.ts), the authorization URI's URL and
 * certificate by the same rules as the token URL's.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { AnswerSummary, AttemptRecord, AuthorizationSection } from "../../functions/token-url/attempt-record";
import { alexaRedirectUri, alexaRegionOf, alexaRegions } from "../../functions/token-url/diagnosis/alexa-region";
import { authorizePkceFindings, withoutExplainedErrors } from "../../functions/token-url/diagnosis/authorize-pkce-rules";
import { AuthorizeAnswer, judgeRedirects } from "../../functions/token-url/diagnosis/authorize-rules";
import { AUTHORIZATION_ENDPOINT } from "../../functions/token-url/diagnosis/endpoint";
import { UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { Finding, Verdict, verdictOf } from "../../functions/token-url/diagnosis/finding";
import { tlsFindings } from "../../functions/token-url/diagnosis/tls-rules";
import { transportFindings } from "../../functions/token-url/diagnosis/transport-rules";
import { urlFindings } from "../../functions/token-url/diagnosis/url-rules";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_SLOW_RESPONSE_MS } from "../../functions/token-url/settings";
import { captureExchange } from "../../functions/token-url/upstream/capture-exchange";
import { ProbeContext } from "./run-probe";

export interface AuthorizeProbeOptions {
  readonly authorizeUrl: string;
  readonly clientId: string;
  /** Space-separated, as the console's Scopes are sent; omitted: no scope parameter. */
  readonly scope?: string;
  /** The skill vendor's id in the redirect URLs ("M2…"); a made-up one tells as well. */
  readonly vendorId: string;
  readonly timeoutMs: number;
  /** --pkce: send code_challenge (S256) and code_challenge_method, as Alexa does with PKCE on. */
  readonly pkce?: boolean;
  /** --skill-id: the skill's own redirect URLs (SMAPI's redirectUrls), each checked; unset: one per Alexa region. */
  readonly redirectUrls?: readonly string[];
}

/** What `probe --authorize-url` alone prints with --json. */
export interface AuthorizeCheckRecord {
  readonly type: "authorize-check";
  readonly version: 1;
  readonly checkId: string;
  readonly time: string;
  readonly mode: "probe";
  readonly verdict: Verdict;
  readonly authorization: AuthorizationSection;
  readonly findings: Finding[];
}

/** A host under .invalid (RFC 2606), which no DNS resolves and so no server can have registered. */
export const BOGUS_REDIRECT_HOST = "unregistered-redirect.token-url-debugger.invalid";

// Parameters of a Location that carry a credential (a server with a session may redirect straight back with a code).
const SECRET_PARAMS = ["code", "access_token", "id_token", "refresh_token"];

/** Runs the requests (one per redirect URL, one made-up) concurrently and returns the section and its findings. Never throws
 * for anything the server does. */
export async function probeAuthorization(
  options: AuthorizeProbeOptions,
  context: ProbeContext = {},
): Promise<{ section: AuthorizationSection; findings: Finding[] }> {
  const now = context.now ?? new Date();
  const targets = [
    ...redirectTargets(options),
    { region: "bogus", redirectUri: alexaRedirectUri(BOGUS_REDIRECT_HOST, options.vendorId) },
  ];
  const exchanges = await Promise.all(targets.map(({ redirectUri }) => visit(options, redirectUri, context)));
  const answers = exchanges.map((exchange, index): AuthorizeAnswer => answerOf(exchange, targets[index].redirectUri));
  const bogusIndex = targets.length - 1;
  const judgement = judgeRedirects(
    targets.slice(0, bogusIndex).map(({ region }, index) => ({ region, answer: answers[index] })),
    answers[bogusIndex],
  );

  const first = exchanges[0];
  const diagnosis = { mode: "probe" as const, now, slowResponseMs: DEFAULT_SLOW_RESPONSE_MS };
  const findings = [
    ...urlFindings(options.authorizeUrl, AUTHORIZATION_ENDPOINT),
    ...transportFindings(first, AUTHORIZATION_ENDPOINT),
    ...tlsFindings(first, diagnosis, AUTHORIZATION_ENDPOINT),
    ...withoutExplainedErrors(judgement.findings, authorizePkceFindings(answers, options.pkce === true)),
  ];
  return {
    section: {
      url: options.authorizeUrl,
      clientId: options.clientId,
      scope: options.scope ?? null,
      vendorId: options.vendorId,
      tls: first.tls,
      timings: first.timings,
      regions: judgement.regions.map((standing, index) => ({ ...standing, answer: summarize(exchanges[index]) })),
      bogus: { redirectUri: targets[bogusIndex].redirectUri, answer: summarize(exchanges[bogusIndex]) },
    },
    findings,
  };
}

/** The check as a record of its own, for `probe --authorize-url` without a token URL. */
export function authorizeCheckRecord(section: AuthorizationSection, findings: Finding[], now: Date): AuthorizeCheckRecord {
  return {
    type: "authorize-check",
    version: 1,
    checkId: randomUUID(),
    time: now.toISOString(),
    mode: "probe",
    verdict: verdictOf(findings),
    authorization: section,
    findings,
  };
}

/** A token URL's record with the authorization checks beside it: their findings after the
 * token URL's, and the verdict over both. */
export function withAuthorization(record: AttemptRecord, section: AuthorizationSection, findings: Finding[]): AttemptRecord {
  const merged = [...record.findings, ...findings];
  return { ...record, verdict: verdictOf(merged), authorization: section, findings: merged };
}

/** The authorization request as the Alexa app's browser sends it. */
export function authorizationRequestUrl(options: AuthorizeProbeOptions, redirectUri: string): string {
  const url = new URL(options.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", options.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", randomBytes(16).toString("hex"));
  if (options.scope !== undefined) url.searchParams.set("scope", options.scope);
  if (options.pkce) {
    // RFC 7636 §4.2: S256 of a fresh verifier; the check never redeems a code, so it is not kept.
    url.searchParams.set("code_challenge", createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url"));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.toString();
}

/** The skill's redirect URLs (every one, named by region where Alexa's), else one per region. */
function redirectTargets(options: AuthorizeProbeOptions): { region: string; redirectUri: string }[] {
  if (options.redirectUrls && options.redirectUrls.length > 0) {
    return options.redirectUrls.map((redirectUri) => ({ region: alexaRegionOf(redirectUri)?.region ?? hostOf(redirectUri), redirectUri }));
  }
  return alexaRegions().map(({ host, region }) => ({ region, redirectUri: alexaRedirectUri(host, options.vendorId) }));
}

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : url);

function visit(options: AuthorizeProbeOptions, redirectUri: string, context: ProbeContext): Promise<UpstreamExchange> {
  return captureExchange(
    {
      method: "GET",
      body: Buffer.alloc(0),
      headers: {
        accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "user-agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      },
    },
    {
      tokenUrl: authorizationRequestUrl(options, redirectUri),
      connectTimeoutMs: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, options.timeoutMs),
      upstreamTimeoutMs: options.timeoutMs,
      tlsBypass: false, // Alexa's app refuses a bad certificate as well
      trustedCa: context.trustedCa,
    },
  );
}

function answerOf(exchange: UpstreamExchange, redirectUri: string): AuthorizeAnswer {
  const complete = exchange.error === null;
  return {
    redirectUri,
    status: complete ? exchange.status : null,
    location: exchange.headers.location ?? null,
    body: exchange.body.toString("utf8"),
  };
}

function summarize(exchange: UpstreamExchange): AnswerSummary {
  return {
    status: exchange.status,
    location: redactLocation(exchange.headers.location ?? null),
    bodyBytes: exchange.body.length,
    bodyFingerprint: fingerprint(exchange.body.toString("utf8")),
    error: exchange.error,
  };
}

function redactLocation(location: string | null): string | null {
  if (location === null || !URL.canParse(location, "https://authorization.invalid/")) return location;
  const relative = !URL.canParse(location);
  const url = new URL(location, "https://authorization.invalid/");
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  let changed = false;
  for (const params of [url.searchParams, fragment]) {
    for (const name of SECRET_PARAMS) {
      const value = params.get(name);
      if (value !== null) {
        params.set(name, fingerprint(value));
        changed = true;
      }
    }
  }
  if (!changed) return location;
  if (url.hash !== "") url.hash = fragment.toString();
  return relative ? `${url.pathname}${url.search}${url.hash}` : url.toString();
}

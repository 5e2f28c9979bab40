/**
 * A bot challenge instead of the token URL's answer: a page that only a browser running its
 * JavaScript gets past, which Alexa's Java client (Apache-HttpClient) never does. Told apart
 * from a plain block (HTTP_FORBIDDEN), because the fix differs: a challenge comes from bot
 * protection, and Cloudflare's Bot Fight Mode cannot be exempted by a rule at all.
 * Pure: the exchange in, at most one finding out.
 */
import { bodyText } from "./answer-body";
import { UpstreamExchange } from "./exchange";
import { Finding } from "./finding";

/** Where Cloudflare's dashboard keeps Bot Fight Mode (Cloudflare docs, "Bot Fight Mode"); the
 * product settings (product-settings.ts) name the same place. */
export const BOT_FIGHT_MODE_SETTING = "Security > Bots (newer dashboards: Security > Settings, Bot traffic)";

type ChallengeSource = "cloudflare" | "aws-waf";

interface BotChallenge {
  readonly source: ChallengeSource;
  /** What showed it, for the message: "cf-mitigated: challenge", "the \"Just a moment...\" page". */
  readonly shownBy: string;
}

// Cloudflare's challenge page markers ("Detect a Challenge Page response" documents the
// header; the page title and script paths are what the page itself carries).
const CLOUDFLARE_PAGE = /<title>\s*Just a moment\.\.\.\s*<\/title>|_cf_chl_opt|\/cdn-cgi\/challenge-platform\//i;

/** The challenge an answer is, or null when it is none. */
function botChallengeOf(upstream: UpstreamExchange): BotChallenge | null {
  const headers = upstream.headers;
  // Cloudflare: "For the cf-mitigated header, challenge is the only valid value. The header is
  // set for all Challenge Page types." (Cloudflare docs, "Detect a Challenge Page response").
  if (/^challenge$/i.test(headers["cf-mitigated"] ?? "")) return { source: "cloudflare", shownBy: "cf-mitigated: challenge" };
  const cloudflare = headers["cf-ray"] !== undefined || /^cloudflare/i.test(headers.server ?? "");
  if (cloudflare && (upstream.status === 403 || upstream.status === 503) && CLOUDFLARE_PAGE.test(bodyText(upstream.body).slice(0, 64 * 1024))) {
    return { source: "cloudflare", shownBy: 'Cloudflare\'s "Just a moment..." challenge page' };
  }
  // AWS WAF: a Challenge action answers 202 with "x-amzn-waf-action: challenge", a CAPTCHA
  // action 405 with "x-amzn-waf-action: captcha" (AWS WAF API Reference, ChallengeAction,
  // CaptchaAction).
  const waf = headers["x-amzn-waf-action"];
  if (waf !== undefined && /^(challenge|captcha)$/i.test(waf)) return { source: "aws-waf", shownBy: `x-amzn-waf-action: ${waf.toLowerCase()}` };
  return null;
}

/** BOT_CHALLENGE for an answer that is a challenge; none otherwise. */
export function botChallengeFindings(upstream: UpstreamExchange): Finding[] {
  const challenge = botChallengeOf(upstream);
  if (!challenge) return [];
  const status = upstream.status === null ? "" : ` (${upstream.status})`;
  const paths = protectedPaths(upstream.url);
  if (challenge.source === "cloudflare") {
    return [
      {
        code: "BOT_CHALLENGE",
        severity: "error",
        message:
          `Cloudflare answered the token request with a challenge${status}, shown by ${challenge.shownBy}, instead of ` +
          "passing it to the OAuth server. Alexa's Java client cannot solve a challenge, so linking fails. On a token " +
          "endpoint this is most often Bot Fight Mode, which challenges requests from cloud addresses with a non-browser " +
          "user agent, as Alexa's are.",
        fix:
          `In the Cloudflare dashboard, ${BOT_FIGHT_MODE_SETTING}: turn Bot Fight Mode off. A WAF custom rule with the Skip action ` +
          "cannot exempt Bot Fight Mode (Cloudflare docs, \"Bot Fight Mode\": its checks do not run in the Ruleset Engine, " +
          "so Skip, Bypass and Allow do not apply). To keep bot protection, use Super Bot Fight Mode (Pro plan and above) " +
          `with a WAF custom rule that skips it for the token and authorization paths (${paths}). If Security > Events ` +
          "names another service (a custom rule, I'm Under Attack mode), exempt those paths there.",
      },
    ];
  }
  return [
    {
      code: "BOT_CHALLENGE",
      severity: "error",
      message:
        `AWS WAF answered the token request with a ${challenge.shownBy.endsWith("captcha") ? "CAPTCHA" : "challenge"}${status}, ` +
        `shown by ${challenge.shownBy}, instead of passing it on. Alexa's Java client cannot solve it, so linking fails. ` +
        "Such actions come from a rule with the Challenge or CAPTCHA action, often in the Bot Control rule group " +
        "(AWSManagedRulesBotControlRuleSet).",
      fix:
        "In the AWS WAF console, open the web ACL in front of the token URL and find the rule in its sampled requests or " +
        "logs. Give that rule (or the Bot Control rule group) a scope-down statement that leaves out the token and " +
        `authorization paths (${paths}), or override its action to Count for them (AWS WAF Developer Guide, ` +
        '"CAPTCHA and Challenge in AWS WAF").',
    },
  ];
}

/** "/oauth/token and the authorization path": the token path as the URL has it. */
function protectedPaths(url: string): string {
  const path = URL.canParse(url) ? new URL(url).pathname : "/token";
  return `${path} and your authorization URI's path`;
}

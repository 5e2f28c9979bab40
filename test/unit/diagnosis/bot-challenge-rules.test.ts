import { diagnose } from "../../../functions/token-url/diagnosis/diagnose";
import { aContext, anAnswer, aRequest, codesAndSeverities } from "./builders";

const CHALLENGE_PAGE = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={}</script></body></html>";
const diagnosed = (status: number, body: string, headers: Record<string, string>) =>
  diagnose(aRequest(), anAnswer(status, body, { "content-type": "text/html", ...headers }), aContext());

describe("bot challenges", () => {
  test.each([
    ["403 with cf-mitigated: challenge", 403, { "cf-mitigated": "challenge", "cf-ray": "8c1f-FRA", server: "cloudflare" }],
    ["503 with Cloudflare's \"Just a moment...\" page and no cf-mitigated", 503, { "cf-ray": "8c1f-FRA", server: "cloudflare" }],
  ])("GIVEN Cloudflare's %s THEN BOT_CHALLENGE names Bot Fight Mode and the fix that works, not a generic 403/5xx", (_, status, headers) => {
    const findings = diagnosed(status, CHALLENGE_PAGE, headers);
    expect(codesAndSeverities(findings)).toEqual(["BOT_CHALLENGE:error", "SERVER_IDENTIFIED:info"]);
    const [challenge] = findings;
    expect(challenge.message).toContain("Bot Fight Mode");
    expect(challenge.fix).toContain("Security > Bots (newer dashboards: Security > Settings, Bot traffic): turn Bot Fight Mode off");
    expect(challenge.fix).toContain("cannot exempt Bot Fight Mode");
    expect(challenge.fix).toContain("Super Bot Fight Mode");
    expect(challenge.fix).toContain("/oauth/token");
    expect(findings[1].message).toContain("Cloudflare (cf-ray header");
  });

  test("GIVEN a plain Cloudflare 403 (no challenge) THEN HTTP_FORBIDDEN, whose fix gains Cloudflare's own settings", () => {
    const findings = diagnosed(403, "<html>Access denied | Cloudflare</html>", { "cf-ray": "8c1f-FRA", server: "cloudflare" });
    expect(codesAndSeverities(findings)).toEqual(["HTTP_FORBIDDEN:error", "SERVER_IDENTIFIED:info"]);
    expect(findings[0].fix).toContain('Cloudflare ("Security Events", "Bot Fight Mode"): Security > Events names the service');
  });

  test("GIVEN AWS WAF's challenge (202, x-amzn-waf-action: challenge) THEN BOT_CHALLENGE naming Bot Control and scope-down, no token-body findings", () => {
    const findings = diagnosed(202, "", { "x-amzn-waf-action": "challenge" });
    expect(codesAndSeverities(findings)).toEqual(["BOT_CHALLENGE:error", "SERVER_IDENTIFIED:info"]);
    expect(findings[0].message).toContain("AWSManagedRulesBotControlRuleSet");
    expect(findings[0].fix).toContain("scope-down statement");
  });

  test("GIVEN a 503 HTML page without Cloudflare's headers THEN HTTP_SERVER_ERROR, no challenge", () => {
    expect(diagnosed(503, CHALLENGE_PAGE, {}).map((finding) => finding.code)).not.toContain("BOT_CHALLENGE");
  });
});

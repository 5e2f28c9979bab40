/**
 * What knowing the server adds to a diagnosis: each finding's fix gains the identified
 * product's own setting (product-settings.ts), and SERVER_IDENTIFIED says who answered and on
 * what evidence. Applied after every rule has run; applying it again (the probe does, after
 * its scheme retry) changes nothing twice.
 */
import { alexaRegionOf } from "./alexa-region";
import { Finding } from "./finding";
import { PRODUCT_FIXES, SettingContext } from "./product-settings";
import { IdentifiedProduct, ServerIdentity } from "./server-identification";

export interface KnowledgeContext {
  readonly tokenUrl: string;
  /** The redirect_uri the token request carried: it names the Alexa region. */
  readonly redirectUri: string | null;
  /** The probe sent a code it made up (DiagnosisContext.madeUpCode). */
  readonly madeUpCode?: boolean;
}

/** The findings with product fixes, and SERVER_IDENTIFIED last when anything was named. */
export function withServerKnowledge(findings: readonly Finding[], identity: ServerIdentity, context: KnowledgeContext): Finding[] {
  const fixed = withProductFixes(
    findings.filter((finding) => finding.code !== "SERVER_IDENTIFIED"),
    identity,
    context,
  );
  const identified = serverIdentifiedFinding(identity);
  return identified ? [...fixed, identified] : fixed;
}

/** The findings with the identified products' settings in their fixes, nothing added: for
 * findings about a chain of attempts (`logs --timeline`), told from the records' `server`. */
export function withProductFixes(findings: readonly Finding[], identity: ServerIdentity, context: KnowledgeContext): Finding[] {
  const settings = settingContextOf(context);
  const known = [identity.server, identity.front].filter((product) => product !== null);
  return findings
    .map((finding) => (identity.server ? expectedOfProduct(finding, identity.server, context) : finding))
    .map((finding) => known.reduce((current, product) => withProductFix(current, product, settings), finding));
}

/**
 * An answer that is the product's normal one to a probe: Home Assistant answers a code it does
 * not know with 400 invalid_request "Invalid code" instead of RFC 6749's invalid_grant
 * (home-assistant/core components/auth/__init__.py, after the client id has passed), so for a
 * made-up code it means what invalid_grant means elsewhere: the client got through.
 */
function expectedOfProduct(finding: Finding, server: IdentifiedProduct, context: KnowledgeContext): Finding {
  if (server.product !== "home-assistant" || !context.madeUpCode) return finding;
  if (finding.code !== "OAUTH_INVALID_REQUEST" || finding.severity === "info" || !finding.message.includes('"Invalid code"')) return finding;
  return {
    ...finding,
    severity: "info",
    message:
      "Expected for a probe, which sends a made-up code: Home Assistant answers an unknown code with invalid_request " +
      '"Invalid code" (not invalid_grant), after it has accepted the client id. ' +
      finding.message,
    fix: `Nothing to fix for a made-up code; for a real one: ${finding.fix}`,
  };
}

function withProductFix(finding: Finding, product: IdentifiedProduct, settings: SettingContext): Finding {
  const entry = PRODUCT_FIXES[product.product][finding.code];
  if (!entry) return finding;
  const text = entry(settings);
  return finding.fix.includes(text) ? finding : { ...finding, fix: `${finding.fix} ${text}` };
}

/** SERVER_IDENTIFIED (info), or null when nothing was named. */
function serverIdentifiedFinding(identity: ServerIdentity): Finding | null {
  const { server, front } = identity;
  if (!server && !front) return null;
  const described = (product: IdentifiedProduct) => `${product.name} (${product.evidence.join("; ")})`;
  const parts = [
    server ? `The token URL is served by ${described(server)}` : "The token URL's server product is not clear",
    front ? `${server ? ", behind" : "; in front of it is"} ${described(front)}` : "",
  ];
  return {
    code: "SERVER_IDENTIFIED",
    severity: "info",
    message: `${parts.join("")}.`,
    fix: `Nothing to fix. The fixes above name ${[server, front].filter((product) => product !== null).map((product) => `${product.name}'s`).join(" and ")} own settings where the product decides.`,
  };
}

function settingContextOf({ tokenUrl, redirectUri }: KnowledgeContext): SettingContext {
  const region = alexaRegionOf(redirectUri);
  return {
    regionOrigin: region ? `https://${region.host}/` : null,
    regionName: region?.region ?? null,
    tokenPath: URL.canParse(tokenUrl) ? new URL(tokenUrl).pathname : "/token",
  };
}

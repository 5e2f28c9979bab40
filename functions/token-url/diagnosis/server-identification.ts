/**
 * Which product answers the token URL, and what stands in front of it, told from what the
 * exchange already showed: the URL's host and path, the answer's headers and body, and the
 * server's metadata document when one was found. Evidence-weighted: each signal has a weight
 * (a vendor's own domain or header is strong, a path shape or error wording medium, a generic
 * server name or port weak), and a product is named only when its signals add up to
 * IDENTIFIED_AT and no other product scores as high. A name merely mentioned (in an error text,
 * in a host such as keycloak.example.com) is never enough on its own.
 * Pure: facts in, identity out. Sources are cited beside each product's signals.
 */
import { bodyText, isObject, parseJson } from "./answer-body";
import { UpstreamExchange } from "./exchange";
import { ServerMetadata } from "../upstream/server-metadata";

export type ServerProduct = "home-assistant" | "keycloak" | "cognito" | "auth0" | "okta" | "entra-id" | "google";
export type FrontProduct = "cloudflare" | "aws-waf" | "cloudfront";
export type Product = ServerProduct | FrontProduct;

export const PRODUCT_NAMES: Record<Product, string> = {
  "home-assistant": "Home Assistant",
  keycloak: "Keycloak",
  cognito: "Amazon Cognito",
  auth0: "Auth0",
  okta: "Okta",
  "entra-id": "Microsoft Entra ID",
  google: "Google",
  cloudflare: "Cloudflare",
  "aws-waf": "AWS WAF",
  cloudfront: "Amazon CloudFront",
};

/** A product named, with the signals that named it (in the record, so a user can judge). */
export interface IdentifiedProduct {
  readonly product: Product;
  readonly name: string;
  /** The sum of the signals' weights (IDENTIFIED_AT or more). */
  readonly score: number;
  readonly evidence: readonly string[];
}

/** The attempt record's `server` field: null where nothing was clear. */
export interface ServerIdentity {
  /** The authorization server product. */
  readonly server: IdentifiedProduct | null;
  /** A CDN, WAF or bot protection in front of it. */
  readonly front: IdentifiedProduct | null;
}

/** What identification reads. */
export interface IdentificationFacts {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly metadata: ServerMetadata | null;
}

const STRONG = 3;
const MEDIUM = 2;
const WEAK = 1;
/** One strong signal, or a medium and a weak one, or three weak ones. */
export const IDENTIFIED_AT = 3;

interface Seen {
  readonly host: string;
  readonly path: string;
  readonly port: string;
  readonly headers: Record<string, string>;
  readonly json: Record<string, unknown> | null;
  readonly metadata: ServerMetadata | null;
}

/** A signal: its weight, and the sentence that goes into the evidence when it is seen. */
type Signal = readonly [weight: number, evidence: string, seen: (facts: Seen) => boolean];

const header = (name: string) => (facts: Seen) => facts.headers[name] !== undefined;
const headerMatches = (name: string, pattern: RegExp) => (facts: Seen) => pattern.test(facts.headers[name] ?? "");
const hostMatches = (pattern: RegExp) => (facts: Seen) => pattern.test(facts.host);
const pathMatches = (pattern: RegExp) => (facts: Seen) => pattern.test(facts.path);
const jsonHas = (...fields: string[]) => (facts: Seen) => facts.json !== null && fields.every((field) => field in facts.json!);
const errorSays = (error: string, description: RegExp) => (facts: Seen) =>
  facts.json?.error === error && typeof facts.json.error_description === "string" && description.test(facts.json.error_description);
const issuerMatches = (pattern: RegExp) => (facts: Seen) => pattern.test(facts.metadata?.issuer ?? "");

const SIGNALS: Record<Product, readonly Signal[]> = {
  // developers.home-assistant.io "Authentication API": token endpoint /auth/token, client_id a
  // URL (IndieAuth); home-assistant/core homeassistant/components/auth/__init__.py answers
  // 400 {"error":"invalid_request","error_description":"Invalid client id"} when client_id is
  // absent from the body or not a URL. HA serves HTTP with aiohttp on port 8123 by default;
  // Nabu Casa's remote UI addresses end in .ui.nabu.casa.
  "home-assistant": [
    [STRONG, "host is a Nabu Casa remote UI address (*.ui.nabu.casa)", hostMatches(/\.ui\.nabu\.casa$/)],
    [MEDIUM, 'answer is Home Assistant\'s "invalid_request": "Invalid client id"', errorSays("invalid_request", /^Invalid client id$/)],
    [MEDIUM, 'answer is Home Assistant\'s "invalid_request": "Invalid code"', errorSays("invalid_request", /^Invalid code$/)],
    [WEAK, "path is /auth/token (Home Assistant's token endpoint)", pathMatches(/^\/auth\/token\/?$/)],
    [WEAK, "Server header names aiohttp (Home Assistant's web server)", headerMatches("server", /aiohttp/i)],
    [WEAK, "port 8123 (Home Assistant's default)", (facts) => facts.port === "8123"],
    [
      MEDIUM,
      "metadata names /auth/authorize and /auth/token",
      (facts) => /\/auth\/authorize$/.test(facts.metadata?.authorizationEndpoint ?? "") && /\/auth\/token$/.test(facts.metadata?.tokenEndpoint ?? ""),
    ],
  ],
  // Keycloak Server Administration Guide ("OpenID Connect endpoints"): the token endpoint is
  // /realms/{realm}/protocol/openid-connect/token (/auth/realms/… before Keycloak 17), the
  // issuer /realms/{realm}; its AccessTokenResponse carries refresh_expires_in and
  // "not-before-policy"; its client authenticator answers "Invalid client or Invalid client
  // credentials" (keycloak/keycloak ClientIdAndSecretAuthenticator).
  keycloak: [
    [MEDIUM, "path is /realms/<realm>/protocol/openid-connect/token", pathMatches(/^(\/auth)?\/realms\/[^/]+\/protocol\/openid-connect\/token\/?$/)],
    [STRONG, 'answer has Keycloak\'s "refresh_expires_in" and "not-before-policy" fields', jsonHas("refresh_expires_in", "not-before-policy")],
    [MEDIUM, 'answer says "Invalid client or Invalid client credentials" (Keycloak\'s wording)', (facts) => facts.json?.error_description === "Invalid client or Invalid client credentials"],
    [MEDIUM, "metadata issuer is a /realms/<realm> URL", issuerMatches(/\/realms\/[^/]+\/?$/)],
    [WEAK, 'host name contains "keycloak"', hostMatches(/keycloak/)],
  ],
  // Amazon Cognito Developer Guide ("The token endpoint"): https://<domain>.auth.<region>.
  // amazoncognito.com/oauth2/token; the issuer https://cognito-idp.<region>.amazonaws.com/<pool>;
  // answers carry x-amz-cognito-request-id.
  cognito: [
    [STRONG, "host is a Cognito user pool domain (*.auth.<region>.amazoncognito.com)", hostMatches(/\.auth\.[a-z0-9-]+\.amazoncognito\.com$/)],
    [STRONG, "x-amz-cognito-request-id header", header("x-amz-cognito-request-id")],
    [STRONG, "metadata issuer is cognito-idp.<region>.amazonaws.com", issuerMatches(/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\//)],
    [WEAK, "path is /oauth2/token", pathMatches(/^\/oauth2\/token\/?$/)],
  ],
  // Auth0 Authentication API ("Get Token"): POST https://{yourDomain}/oauth/token; tenant
  // domains end in .auth0.com; answers carry x-auth0-requestid.
  auth0: [
    [STRONG, "host is an Auth0 tenant domain (*.auth0.com)", hostMatches(/\.auth0\.com$/)],
    [STRONG, "x-auth0-requestid header", header("x-auth0-requestid")],
    [STRONG, "metadata issuer is an Auth0 tenant", issuerMatches(/^https:\/\/[^/]+\.auth0\.com\/?$/)],
    [WEAK, "path is /oauth/token", pathMatches(/^\/oauth\/token\/?$/)],
  ],
  // Okta OpenID Connect & OAuth 2.0 API: /oauth2/v1/token (org server) and
  // /oauth2/{authorizationServerId}/v1/token (custom, e.g. "default"); org domains
  // *.okta.com, *.oktapreview.com, *.okta-emea.com; answers carry x-okta-request-id.
  okta: [
    [STRONG, "host is an Okta org domain", hostMatches(/\.(okta|oktapreview|okta-emea)\.com$/)],
    [STRONG, "x-okta-request-id header", header("x-okta-request-id")],
    [MEDIUM, "path is Okta's /oauth2[/<server>]/v1/token", pathMatches(/^\/oauth2\/([^/]+\/)?v1\/token\/?$/)],
  ],
  // Microsoft identity platform ("OAuth 2.0 authorization code flow"; "Microsoft Entra
  // authentication and authorization error codes"): https://login.microsoftonline.com/{tenant}/
  // oauth2/v2.0/token; errors carry error_codes, trace_id, correlation_id and AADSTS codes;
  // answers carry x-ms-ests-server.
  "entra-id": [
    [STRONG, "host is a Microsoft Entra sign-in host", hostMatches(/^login\.(microsoftonline\.(com|us)|partner\.microsoftonline\.cn)$|\.ciamlogin\.com$/)],
    [STRONG, "x-ms-ests-server header", header("x-ms-ests-server")],
    [STRONG, "error answer has error_codes, trace_id and correlation_id", jsonHas("error_codes", "trace_id", "correlation_id")],
    [MEDIUM, "path is /<tenant>/oauth2[/v2.0]/token", pathMatches(/^\/[^/]+\/oauth2\/(v2\.0\/)?token\/?$/)],
  ],
  // Google Identity ("Using OAuth 2.0 for Web Server Applications"): token endpoint
  // https://oauth2.googleapis.com/token, issuer https://accounts.google.com; Google's front ends
  // answer with "Server: scaffolding on HTTPServer2".
  google: [
    [STRONG, "host is Google's OAuth 2.0 endpoint", hostMatches(/^(oauth2\.googleapis\.com|accounts\.google\.com|www\.googleapis\.com)$/)],
    [STRONG, "metadata issuer is https://accounts.google.com", issuerMatches(/^https:\/\/accounts\.google\.com\/?$/)],
    [MEDIUM, 'Server header "scaffolding on HTTPServer2" (Google\'s front end)', headerMatches("server", /^scaffolding on HTTPServer2$/i)],
  ],
  // Cloudflare docs: every proxied answer carries cf-ray; a Challenge Page carries
  // "cf-mitigated: challenge" ("Detect a Challenge Page response"); __cf_bm is the Bot
  // Management cookie.
  cloudflare: [
    [STRONG, "cf-ray header", header("cf-ray")],
    [STRONG, "cf-mitigated header", header("cf-mitigated")],
    [MEDIUM, "Server: cloudflare", headerMatches("server", /^cloudflare/i)],
    [MEDIUM, "__cf_bm cookie (Cloudflare bot management)", headerMatches("set-cookie", /(^|[\s,;])__cf_bm=/)],
  ],
  // AWS WAF Developer Guide / API Reference ChallengeAction and CaptchaAction: a challenge or
  // CAPTCHA answer carries "x-amzn-waf-action: challenge|captcha".
  "aws-waf": [[STRONG, "x-amzn-waf-action header", header("x-amzn-waf-action")]],
  // CloudFront Developer Guide: answers carry X-Amz-Cf-Id, and Via / X-Cache name CloudFront.
  cloudfront: [
    [STRONG, "x-amz-cf-id header", header("x-amz-cf-id")],
    [MEDIUM, "Via or X-Cache names CloudFront", (facts) => /cloudfront/i.test(`${facts.headers.via ?? ""} ${facts.headers["x-cache"] ?? ""}`)],
    [MEDIUM, "Server: CloudFront", headerMatches("server", /^cloudfront$/i)],
  ],
};

const SERVERS: readonly ServerProduct[] = ["home-assistant", "keycloak", "cognito", "auth0", "okta", "entra-id", "google"];
const FRONTS: readonly FrontProduct[] = ["cloudflare", "aws-waf", "cloudfront"];

/** The product and the front an exchange shows; null where the evidence is not clear. */
export function identifyServer(facts: IdentificationFacts): ServerIdentity {
  const seen = seenOf(facts);
  return { server: best(SERVERS, seen), front: best(FRONTS, seen) };
}

/** identifyServer() over a captured exchange (and the metadata, when one was found). */
export function identifyExchange(upstream: UpstreamExchange, metadata: ServerMetadata | null | undefined): ServerIdentity {
  return identifyServer({ url: upstream.url, headers: upstream.headers, body: bodyText(upstream.body), metadata: metadata ?? null });
}

function seenOf(facts: IdentificationFacts): Seen {
  const url = URL.canParse(facts.url) ? new URL(facts.url) : null;
  const value = parseJson(facts.body.slice(0, 64 * 1024));
  return {
    host: url?.hostname.toLowerCase() ?? "",
    path: url?.pathname ?? "",
    port: url?.port ?? "",
    headers: facts.headers,
    json: isObject(value) ? value : null,
    metadata: facts.metadata,
  };
}

/** The highest score at IDENTIFIED_AT or more; none on a tie (the evidence does not decide). */
function best(products: readonly Product[], seen: Seen): IdentifiedProduct | null {
  const scored = products
    .map((product): IdentifiedProduct => {
      const matched = SIGNALS[product].filter(([, , isSeen]) => isSeen(seen));
      return {
        product,
        name: PRODUCT_NAMES[product],
        score: matched.reduce((sum, [weight]) => sum + weight, 0),
        evidence: matched.map(([, evidence]) => evidence),
      };
    })
    .filter((candidate) => candidate.score >= IDENTIFIED_AT)
    .sort((a, b) => b.score - a.score);
  // AWS WAF acting behind CloudFront shows both; the WAF is the one that acted.
  const waf = scored.find((candidate) => candidate.product === "aws-waf");
  if (waf) return waf;
  if (scored.length === 0) return null;
  if (scored.length > 1 && scored[1].score === scored[0].score) return null;
  return scored[0];
}

/**
 * Findings about a skill's own account-linking settings, as SMAPI returns them (the Alexa
 * console's Account Linking page): data in, findings out. Used by `npm run link -- --dry-run`
 * and by `npm run probe -- --skill-id`.
 */
import { Finding } from "./finding";

/** The fields the rules read; SMAPI's JSON as it came, so every one is checked for its type. */
export interface SkillAccountLinking {
  readonly type?: unknown;
  readonly authorizationUrl?: unknown;
  readonly accessTokenUrl?: unknown;
  readonly accessTokenScheme?: unknown;
  readonly domains?: unknown;
  readonly defaultTokenExpirationInSeconds?: unknown;
}

export interface SkillSettingsContext {
  /** The debugger's own Access Token URI: Alexa calls it server to server, so its host needs no
   * Domain List entry. */
  readonly debugTokenUrl?: string;
  /** The client-auth scheme the token URL accepted when both were tried. */
  readonly acceptedScheme?: "basic" | "body";
}

/** SMAPI's names for the console's "Your Authentication Scheme". */
export const SCHEME_OF_SMAPI: Record<string, "basic" | "body"> = {
  HTTP_BASIC: "basic",
  REQUEST_BODY_CREDENTIALS: "body",
};
const CONSOLE_SCHEME = { basic: '"HTTP Basic"', body: '"Credentials in request body"' } as const;

export function skillSettingsFindings(settings: SkillAccountLinking, context: SkillSettingsContext = {}): Finding[] {
  return [
    ...grantTypeFindings(settings.type),
    ...urlFindings("Access Token URI", "accessTokenUrl", settings.accessTokenUrl),
    ...urlFindings("Your Web Authorization URI", "authorizationUrl", settings.authorizationUrl),
    ...schemeFindings(settings.accessTokenScheme, context.acceptedScheme),
    ...domainFindings(settings, context),
    ...expirationFindings(settings.defaultTokenExpirationInSeconds),
  ];
}

function grantTypeFindings(type: unknown): Finding[] {
  if (type !== "IMPLICIT") return [];
  return [
    {
      code: "SKILL_IMPLICIT_GRANT",
      severity: "warning",
      message:
        'The skill uses the implicit grant ("Implicit Grant"): Alexa never calls the Access Token URI and ' +
        "gets no refresh token, so the link breaks when the access token expires, and a token URL debugger sees nothing. " +
        "Smart home and video skills require the authorization code grant.",
      fix: 'Choose "Auth Code Grant" in the Alexa developer console (your skill > Account Linking) and set the Access Token URI.',
    },
  ];
}

function urlFindings(label: string, field: string, value: unknown): Finding[] {
  if (typeof value !== "string" || value === "") return [];
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "https:") {
    return [
      {
        code: "SKILL_URL_NOT_HTTPS",
        severity: "error",
        message: `The skill's ${label} (${field}) is "${value}", which is not an https URL; Alexa requires HTTPS on port 443.`,
        fix: `Serve it over HTTPS on port 443 and enter the https URL as ${label} in the Alexa developer console (Account Linking).`,
      },
    ];
  }
  if (url.port === "") return [];
  return [
    {
      code: "SKILL_URL_NON_STANDARD_PORT",
      severity: "warning",
      message: `The skill's ${label} (${field}) uses port ${url.port}; Alexa requires port 443, and other ports may not be reachable from Alexa.`,
      fix: `Serve it on port 443 and drop ":${url.port}" from the ${label}.`,
    },
  ];
}

function schemeFindings(scheme: unknown, accepted: "basic" | "body" | undefined): Finding[] {
  const configured = typeof scheme === "string" ? SCHEME_OF_SMAPI[scheme] : undefined;
  if (accepted === undefined || configured === undefined || configured === accepted) return [];
  return [
    {
      code: "SKILL_SCHEME_MISMATCH",
      severity: "error",
      message:
        `The skill's "Your Authentication Scheme" is ${CONSOLE_SCHEME[configured]} (${scheme}), but the token URL ` +
        `accepts only ${CONSOLE_SCHEME[accepted]}: Alexa's token requests are refused.`,
      fix: `Set "Your Authentication Scheme" to ${CONSOLE_SCHEME[accepted]} in the Alexa developer console (Account Linking), or make the server accept the other scheme.`,
    },
  ];
}

/**
 * The Domain List names the domains the login page may fetch content from. It matters when the
 * linking flow spans hosts: the login page on one, the OAuth server on another. A single host
 * needs no entry, and the debugger's host never does (Alexa calls it server to server).
 */
function domainFindings(settings: SkillAccountLinking, context: SkillSettingsContext): Finding[] {
  const tokenUrl = settings.accessTokenUrl === context.debugTokenUrl ? undefined : settings.accessTokenUrl;
  const hosts = [...new Set([hostOf(settings.authorizationUrl), hostOf(tokenUrl)].filter((host) => host !== undefined))];
  if (hosts.length < 2) return [];
  const domains = Array.isArray(settings.domains) ? settings.domains.filter((domain) => typeof domain === "string") : [];
  return hosts
    .filter((host) => !domains.some((domain) => covers(domain, host)))
    .map((host) => ({
      code: "SKILL_DOMAIN_NOT_LISTED",
      severity: "info" as const,
      message:
        `The skill's authorization and token URLs are on different hosts, and the Domain List (domains) does not cover ${host}: ` +
        "if the login page loads content from it or redirects through it, the Alexa app will not show that page.",
      fix: `Add ${host} to the Domain List in the Alexa developer console (Account Linking), if the login page uses it.`,
    }));
}

function hostOf(value: unknown): string | undefined {
  return typeof value === "string" && URL.canParse(value) ? new URL(value).hostname : undefined;
}

function covers(domain: string, host: string): boolean {
  const bare = domain.trim().toLowerCase().replace(/^\*\./, "");
  return host === bare || host.endsWith(`.${bare}`);
}

function expirationFindings(seconds: unknown): Finding[] {
  if (typeof seconds !== "number") return [];
  return [
    {
      code: "SKILL_DEFAULT_TOKEN_EXPIRATION",
      severity: "info",
      message:
        `When the token URL's answer has no expires_in, Alexa takes the access token as valid for ${seconds} seconds ` +
        '(the skill\'s "Default Access Token Expiration Time") and refreshes it then.',
      fix: "Nothing to fix if that matches your tokens' lifetime; better, have the token URL send expires_in as a JSON number.",
    },
  ];
}

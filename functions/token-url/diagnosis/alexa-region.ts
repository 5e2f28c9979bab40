/** Alexa's account-linking redirect hosts (DESIGN §4): the redirect_uri tells which region's
 * Alexa service made the request, which is what the developer sees in the console. */
const ALEXA_REGIONS: Record<string, string> = {
  "pitangui.amazon.com": "North America",
  "layla.amazon.com": "Europe",
  "alexa.amazon.co.jp": "Far East",
};

/** Alexa's redirect URL for one region: where the authorization server sends the user back. */
export function alexaRedirectUri(host: string, vendorId: string): string {
  return `https://${host}/api/skill/link/${vendorId}`;
}

/** Every region, North America first (the console's order). */
export function alexaRegions(): AlexaRedirect[] {
  return Object.entries(ALEXA_REGIONS).map(([host, region]) => ({ host, region }));
}

export interface AlexaRedirect {
  readonly host: string;
  readonly region: string;
}

/** The Alexa region a redirect_uri belongs to; null when absent, malformed or not Alexa's. */
export function alexaRegionOf(redirectUri: string | null): AlexaRedirect | null {
  if (!redirectUri || !URL.canParse(redirectUri)) return null;
  const host = new URL(redirectUri).hostname.toLowerCase();
  const region = ALEXA_REGIONS[host];
  return region ? { host, region } : null;
}

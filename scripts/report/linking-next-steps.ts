/**
 * What to check when the token URL did its part and linking still fails: guidance, not findings
 * (nothing here was observed), kept in this one place with its sources, in order of likelihood.
 * Every report renderer shows it at the end of a record that earns it ({@link nextStepsFor}).
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";

export interface NextStep {
  readonly text: string;
  /** Where the fact comes from. */
  readonly source: string;
  /** Only for a dummy-mode attempt. */
  readonly dummyOnly?: true;
}

export const IF_LINKING_STILL_FAILS_TITLE = "If linking still fails";

const REDIRECT_URLS_STEP: NextStep = {
  text:
    "The redirect URLs of all three Alexa regions (pitangui.amazon.com, layla.amazon.com, " +
    "alexa.amazon.co.jp, as listed under \"Alexa Redirect URLs\") must be registered at the authorization " +
    "server; one missing fails linking for that region's users. Check with " +
    "`npm run probe -- --authorize-url <Your Web Authorization URI> --client-id <id>`.",
  // Amazon's page says the authorization request carries redirect_uri; the three hosts are as
  // the console lists them (not found in a stored Amazon page; DESIGN §4 has a capture).
  source:
    "https://developer.amazon.com/en-US/docs/alexa/account-linking/configure-authorization-code-grant.html " +
    "(the authorization request carries redirect_uri); the console's Account Linking page, \"Alexa Redirect URLs\"",
};

export const LINKING_NEXT_STEPS: readonly NextStep[] = [
  {
    text:
      'Smart home skill with "Send Alexa Events" on: after the token exchange Alexa sends the skill an ' +
      "Alexa.Authorization.AcceptGrant directive. The skill must redeem that grant code at LWA " +
      "(https://api.amazon.com/auth/o2/token) within minutes and answer AcceptGrant.Response, or the user " +
      'sees "unable to link" although the token URL worked. Look in the skill\'s own logs for the directive.',
    source:
      "https://developer.amazon.com/en-US/docs/alexa/device-apis/alexa-authorization.html (the AcceptGrant directive); " +
      "https://developer.amazon.com/en-US/docs/alexa/smarthome/authenticate-a-customer-permissions.html " +
      "(redeem the code right away: it is valid a few minutes)",
  },
  REDIRECT_URLS_STEP,
  {
    text:
      'The skill\'s "Domain List" must hold every domain the login page loads content from (scripts, ' +
      "styles, images, an identity provider it sends the user to; up to 15), or the page cannot load in the Alexa app.",
    source:
      "https://developer.amazon.com/en-US/docs/alexa/smapi/account-linking-schemas.html " +
      '(domains: "additional domains that your login page fetches content from")',
  },
  {
    text:
      "This attempt was answered by the dummy token URL, so the token URL is not the fault. Switch to proxy " +
      "mode next (set TOKEN_URL and deploy again), link once more, and read the real exchange with `npm run logs`.",
    source: 'Amazon\'s blog "Alexa Account Linking: Debugging OAuth Token URL using API wrapper" (2020); README "The flow"',
    dummyOnly: true,
  },
];

/**
 * The steps to show after a record: when a proxy-mode exchange or a probe passed, or a
 * dummy-mode attempt got its token response; none when the token URL itself failed (its
 * findings come first). The redirect URL step is left out when the record's own authorization
 * check found every redirect URL it tested registered.
 */
export function nextStepsFor(record: Pick<AttemptRecord, "mode" | "verdict" | "response" | "authorization">): readonly NextStep[] {
  const dummySucceeded = record.mode === "dummy" && record.verdict !== "fail" && record.response.status === 200;
  if (dummySucceeded) return LINKING_NEXT_STEPS;
  if ((record.mode === "proxy" || record.mode === "probe") && record.verdict === "pass") {
    const redirectsChecked = record.authorization?.regions.every((region) => region.standing === "registered") ?? false;
    return LINKING_NEXT_STEPS.filter((step) => !step.dummyOnly && !(redirectsChecked && step === REDIRECT_URLS_STEP));
  }
  return [];
}

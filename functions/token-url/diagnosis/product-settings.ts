/**
 * The fix in the product's own words: for a finding code and an identified product, the
 * setting to change, named as that product's documentation names its menus and fields (the
 * document's title in parentheses, so a user can look it up). Data only; server-knowledge.ts
 * appends the entry to the finding's fix after every rule has run, so findings added on other
 * paths (the probe's scheme retry, the lifetime rules) get it too.
 * Sources (checked against the vendors' docs):
 * - Home Assistant: home-assistant.io "Amazon Alexa Smart Home" (Account Linking: Client ID
 *   is the region's origin, "Credentials in request body", the secret is not checked);
 *   developers.home-assistant.io "Authentication API" (IndieAuth client ids, redirect URL on
 *   the client id's host).
 * - Keycloak: Server Administration Guide, "Session and token timeouts" (Realm settings >
 *   Sessions: SSO Session Idle / Max, Offline Session Idle; Realm settings > Tokens: Access
 *   Token Lifespan, Revoke Refresh Token, Refresh Token Max Reuse); "Creating an OpenID Connect
 *   client" (Valid redirect URIs, Client authentication, Standard flow; Advanced: Proof Key for
 *   Code Exchange Code Challenge Method).
 * - Amazon Cognito Developer Guide: "Refresh tokens" (refresh token expiration 60 minutes to
 *   10 years, default 30 days), "App clients" (Token expiration, Allowed callback URLs, client
 *   secret); API Reference RefreshTokenRotationType (RetryGracePeriodSeconds, 0-60).
 * - Auth0 docs: "Update Access Token Lifetime" (Maximum Access Token Lifetime, formerly Token
 *   Expiration (Seconds)); "Credential Settings" (Credentials tab, Authentication Method: Client Secret
 *   (Basic) / Client Secret (Post)); "Configure Refresh Token Expiration" (Set Idle / Maximum
 *   Refresh Token Lifetime); "Configure Refresh Token Rotation" (Allow Refresh Token Rotation,
 *   Rotation Overlap Period, formerly Reuse Interval); "Application Settings" (Allowed Callback
 *   URLs).
 * - Okta: developer docs "Refresh token rotation" (Rotate token after every use, Grace period
 *   for token rotation); help "Create access policies" (rule lifetimes, custom authorization
 *   servers); support "Refresh Token Expiration Behavior" (org server: 90 days); Okta SDK
 *   ApplicationCredentialsOAuthClient.pkceRequired ("Require Proof Key for Code Exchange (PKCE)
 *   for additional verification"); app integration General tab (Sign-in redirect URIs).
 * - Microsoft identity platform: "Microsoft Entra authentication and authorization error codes"
 *   (AADSTS7000215: the secret's Value, not its ID); "Refresh tokens in the Microsoft identity
 *   platform" (offline_access, 90-day lifetime); "Redirect URI (reply URL) best practices".
 * - Google Identity: "Using OAuth 2.0 for Web Server Applications" (access_type=offline,
 *   Authorized redirect URIs); "Using OAuth 2.0 to Access Google APIs" (refresh tokens of apps in
 *   Testing status expire after 7 days).
 * - Cloudflare docs: "Bot Fight Mode" (Security > Bots; a Skip in WAF custom rules cannot skip
 *   it; Super Bot Fight Mode can be skipped); "Security Events" (the Service field).
 * - AWS WAF Developer Guide: "AWS WAF Bot Control rule group", "Scope-down statements",
 *   "Overriding rule actions in a rule group". CloudFront Developer Guide: "Restricting the
 *   geographic distribution of your content".
 */
import { Product } from "./server-identification";

/** What an entry may mention: the request's region and the token URL's path. */
export interface SettingContext {
  /** The Alexa region's origin, e.g. "https://pitangui.amazon.com/"; null when the request had none. */
  readonly regionOrigin: string | null;
  /** "North America"; null when unknown. */
  readonly regionName: string | null;
  /** The token URL's path, e.g. "/auth/token". */
  readonly tokenPath: string;
}

type Entry = (context: SettingContext) => string;
export type ProductFixes = Partial<Record<string, Entry>>;

const haClientId = ({ regionOrigin, regionName }: SettingContext): string =>
  regionOrigin
    ? `${regionOrigin} (the origin of the ${regionName} redirect URL this request used)`
    : "the origin of your Alexa region's redirect URL: https://pitangui.amazon.com/ (North America), https://layla.amazon.com/ (Europe) or https://alexa.amazon.co.jp/ (Far East)";

const HA_CLIENT =
  (context: SettingContext) =>
    `Home Assistant ("Amazon Alexa Smart Home", Account Linking): set "Your Client ID" to ${haClientId(context)}, and ` +
    '"Your Authentication Scheme" to "Credentials in request body": Home Assistant reads client_id only from the body, ' +
    "does not support HTTP Basic, and accepts only a URL as client id (IndieAuth). It does not check \"Your Secret\"; any value works.";

const KEYCLOAK_CLIENT =
  'Keycloak ("Creating an OpenID Connect client"): in the admin console, Clients > your client > Credentials, with ' +
  '"Client authentication" On and Client Authenticator "Client Id and Secret", copy "Client Secret" into "Your Secret"; ' +
  "this authenticator accepts both HTTP Basic and the body.";
const KEYCLOAK_REDIRECT =
  'Keycloak ("Creating an OpenID Connect client"): Clients > your client > Settings > "Valid redirect URIs": add each ' +
  '"Alexa Redirect URL" exactly.';
const KEYCLOAK_ROTATION =
  'Keycloak ("Session and token timeouts"): Realm settings > Tokens: turn "Revoke Refresh Token" off, or leave it on ' +
  'with "Refresh Token Max Reuse" above 0 so that a retried refresh still works.';
const KEYCLOAK_OFFLINE =
  'Keycloak ("Session and token timeouts"): add offline_access to the Scope list in the Alexa console; Keycloak then ' +
  'issues an offline token, which lives by "Offline Session Idle" (and "Offline Session Max" when "Offline Session Max ' +
  'Limited" is on) instead of "SSO Session Idle".';

const COGNITO_CLIENT =
  'Amazon Cognito ("App clients"): the app client must have a client secret; copy the app client\'s "Client ID" and ' +
  '"Client secret" into the Alexa console. Cognito\'s token endpoint takes the secret as HTTP Basic or in the body.';
const COGNITO_REDIRECT =
  'Amazon Cognito ("App clients"): your app client > Login pages > "Allowed callback URLs": add each "Alexa Redirect ' +
  'URL" exactly, with "Authorization code grant" among the OAuth 2.0 grant types.';

const AUTH0_CLIENT =
  'Auth0 ("Credential Settings"): Applications > your application > Credentials tab > "Authentication Method": ' +
  '"Client Secret (Basic)" for "HTTP Basic", "Client Secret (Post)" for "Credentials in request body". Make it match ' +
  '"Your Authentication Scheme".';
const AUTH0_REDIRECT =
  'Auth0 ("Application Settings"): Applications > your application > Settings > "Allowed Callback URLs": add each ' +
  '"Alexa Redirect URL".';
const AUTH0_OFFLINE =
  'Auth0 ("Get Refresh Tokens"): add offline_access to the Scope list in the Alexa console, and turn on "Allow Offline ' +
  'Access" in Applications > APIs > your API > Settings.';

const OKTA_CLIENT =
  'Okta (app integration, General tab): under "Client Credentials", "Client authentication" must be "Client secret"; ' +
  'copy "Client ID" and the secret from "CLIENT SECRETS" into the Alexa console.';
const OKTA_REDIRECT = 'Okta (app integration, General tab): add each "Alexa Redirect URL" to "Sign-in redirect URIs".';
const OKTA_OFFLINE =
  'Okta ("Refresh access tokens"): allow the "Refresh Token" grant type in the app integration and add offline_access ' +
  "to the Scope list in the Alexa console.";

const ENTRA_CLIENT =
  'Microsoft Entra ID ("Microsoft Entra authentication and authorization error codes", AADSTS7000215): in App ' +
  'registrations > your app > Certificates & secrets, copy the client secret\'s "Value" (not its "Secret ID") into ' +
  '"Your Secret", and check it has not expired; "Your Client ID" is the "Application (client) ID".';
const ENTRA_REDIRECT =
  'Microsoft Entra ID ("Redirect URI (reply URL) best practices"): App registrations > your app > Authentication > ' +
  'Web > "Redirect URIs": add each "Alexa Redirect URL".';
const ENTRA_OFFLINE =
  'Microsoft Entra ID ("Refresh tokens in the Microsoft identity platform"): add offline_access to the Scope list in the ' +
  "Alexa console; refresh tokens are issued only for it.";

const GOOGLE_CLIENT =
  'Google ("Using OAuth 2.0 for Web Server Applications"): Google Cloud console > APIs & Services > Credentials > your ' +
  'OAuth 2.0 Client ID (type "Web application"): copy "Client ID" and "Client secret" into the Alexa console.';
const GOOGLE_REDIRECT =
  'Google ("Using OAuth 2.0 for Web Server Applications"): your OAuth 2.0 Client ID > "Authorized redirect URIs": add ' +
  'each "Alexa Redirect URL".';
const GOOGLE_OFFLINE =
  'Google ("Using OAuth 2.0 for Web Server Applications"): Google issues a refresh token only for access_type=offline: ' +
  'add "access_type=offline&prompt=consent" to the query of "Your Web Authorization URI" in the Alexa console.';

const cloudflareBlock = ({ tokenPath }: SettingContext) =>
  'Cloudflare ("Security Events", "Bot Fight Mode"): Security > Events names the service that blocked this request. ' +
  "If it is Bot Fight Mode, turn it off under Security > Bots (a WAF custom rule's Skip cannot exempt it), or use Super " +
  `Bot Fight Mode with a skip rule for ${tokenPath} and the authorization path; if it is a WAF custom rule, a managed ` +
  "rule or an IP Access rule, exempt those paths there.";
const awsWafBlock = ({ tokenPath }: SettingContext) =>
  'AWS WAF ("AWS WAF Bot Control rule group", "Scope-down statements"): the web ACL\'s sampled requests name the rule ' +
  "that blocked this request. For the Bot Control rule group (AWSManagedRulesBotControlRuleSet) or the Amazon IP " +
  `reputation list, add a scope-down statement that leaves out ${tokenPath} and the authorization path, or override ` +
  "the rule's action to Count.";
const cloudfrontBlock = () =>
  'Amazon CloudFront ("Restricting the geographic distribution of your content"): a 403 from CloudFront itself comes from ' +
  "the distribution's geographic restrictions or the AWS WAF web ACL attached to it (Security tab): allow the countries " +
  "and addresses Alexa calls from (AWS's).";

export const PRODUCT_FIXES: Record<Product, ProductFixes> = {
  "home-assistant": {
    CLIENT_AUTH_SCHEME_MISMATCH: HA_CLIENT,
    CLIENT_AUTH_REJECTED: HA_CLIENT,
    OAUTH_INVALID_REQUEST: HA_CLIENT,
    OAUTH_INVALID_GRANT: (context) =>
      'Home Assistant ("Authentication API"): a code is bound to the client id it was issued for: "Your Client ID" must be ' +
      `${haClientId(context)} in both steps.`,
    AUTHORIZE_REDIRECT_URI_REJECTED: (context) =>
      'Home Assistant ("Authentication API"): a redirect URL is accepted only on the host of the client id, so "Your Client ' +
      `ID" must be ${haClientId(context)}.`,
  },
  keycloak: {
    CLIENT_AUTH_REJECTED: () => KEYCLOAK_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => KEYCLOAK_CLIENT,
    OAUTH_INVALID_GRANT: () => KEYCLOAK_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => KEYCLOAK_REDIRECT,
    OAUTH_UNAUTHORIZED_CLIENT: () =>
      'Keycloak ("Creating an OpenID Connect client"): Clients > your client > Settings > Capability config: turn "Standard flow" on.',
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Keycloak ("Session and token timeouts"): Realm settings > Tokens > "Access Token Lifespan" (default 5 minutes): set ' +
      "it to 6 minutes or more, or per client in Clients > your client > Advanced > \"Access Token Lifespan\".",
    REFRESH_TOKEN_EXPIRES: () =>
      'Keycloak ("Session and token timeouts"): the refresh token lives by Realm settings > Sessions > "SSO Session Idle" ' +
      '(default 30 minutes) and "SSO Session Max" (or "Client Session Idle/Max"): raise them, or better request ' +
      'offline_access so that "Offline Session Idle" applies.',
    OFFLINE_ACCESS_NOT_REQUESTED: () => KEYCLOAK_OFFLINE,
    REFRESH_TOKEN_MISSING: () => KEYCLOAK_OFFLINE,
    REFRESH_ROTATION_IMMEDIATE: () => KEYCLOAK_ROTATION,
    REFRESH_TOKEN_REUSED: () => KEYCLOAK_ROTATION,
    PKCE_REQUIRED: () =>
      'Keycloak ("Creating an OpenID Connect client"): Clients > your client > Advanced > "Proof Key for Code Exchange Code ' +
      'Challenge Method": S256 requires PKCE (then enable PKCE for the skill); empty makes it optional.',
  },
  cognito: {
    CLIENT_AUTH_REJECTED: () => COGNITO_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => COGNITO_CLIENT,
    OAUTH_INVALID_GRANT: () => COGNITO_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => COGNITO_REDIRECT,
    OAUTH_UNAUTHORIZED_CLIENT: () => COGNITO_REDIRECT,
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Amazon Cognito ("App clients"): your app client > Edit app client information > Token expiration > "Access token ' +
      'expiration": 6 minutes or more (5 minutes to 1 day).',
    REFRESH_TOKEN_EXPIRES: () =>
      'Amazon Cognito ("Refresh tokens"): your app client > Edit app client information > Token expiration > "Refresh token ' +
      'expiration" (60 minutes to 10 years, default 30 days): a link unused for longer breaks.',
    REFRESH_ROTATION_IMMEDIATE: () =>
      'Amazon Cognito (API Reference, "RefreshTokenRotationType"): with refresh token rotation on, set ' +
      "RetryGracePeriodSeconds above 0 (up to 60) so that the old refresh token survives a retried refresh.",
    REFRESH_TOKEN_REUSED: () =>
      'Amazon Cognito (API Reference, "RefreshTokenRotationType"): with refresh token rotation on, set ' +
      "RetryGracePeriodSeconds above 0 (up to 60).",
  },
  auth0: {
    CLIENT_AUTH_REJECTED: () => AUTH0_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => AUTH0_CLIENT,
    OAUTH_INVALID_GRANT: () => AUTH0_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => AUTH0_REDIRECT,
    OAUTH_UNAUTHORIZED_CLIENT: () =>
      'Auth0 ("Application Grant Types"): Applications > your application > Settings > Advanced Settings > Grant Types: ' +
      'check "Authorization Code" and "Refresh Token".',
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Auth0 ("Update Access Token Lifetime"): Applications > APIs > your API > Access Token Expiration > "Maximum Access ' +
      'Token Lifetime" (formerly "Token Expiration (Seconds)"): 360 seconds or more.',
    REFRESH_TOKEN_EXPIRES: () =>
      'Auth0 ("Configure Refresh Token Expiration"): Applications > your application > Settings > Refresh Token ' +
      'Expiration: "Set Idle Refresh Token Lifetime" and "Set Maximum Refresh Token Lifetime" bound how long an unused ' +
      "link lasts.",
    OFFLINE_ACCESS_NOT_REQUESTED: () => AUTH0_OFFLINE,
    REFRESH_TOKEN_MISSING: () => AUTH0_OFFLINE,
    REFRESH_ROTATION_IMMEDIATE: () =>
      'Auth0 ("Configure Refresh Token Rotation"): Applications > your application > Settings > Refresh Token Rotation: ' +
      'with "Allow Refresh Token Rotation" on, set "Rotation Overlap Period" (formerly "Reuse Interval") above 0.',
    REFRESH_TOKEN_REUSED: () =>
      'Auth0 ("Configure Refresh Token Rotation"): set "Rotation Overlap Period" (formerly "Reuse Interval") above 0, or ' +
      'turn "Allow Refresh Token Rotation" off: Automatic Reuse Detection revokes the whole token family.',
  },
  okta: {
    CLIENT_AUTH_REJECTED: () => OKTA_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => OKTA_CLIENT,
    OAUTH_INVALID_GRANT: () => OKTA_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => OKTA_REDIRECT,
    OAUTH_UNAUTHORIZED_CLIENT: () =>
      'Okta (app integration, General tab): under "Grant type", allow "Authorization Code" and "Refresh Token".',
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Okta ("Create access policies"): on a custom authorization server, Security > API > Authorization Servers > your ' +
      'server > Access Policies > the rule: "Access token lifetime is" 6 minutes or more.',
    REFRESH_TOKEN_EXPIRES: () =>
      'Okta ("Create access policies"; "Refresh Token Expiration Behavior"): on a custom authorization server the access ' +
      'policy rule\'s "Refresh token lifetime is … but will expire if not used every …" bounds how long an unused link ' +
      "lasts; on the org authorization server refresh tokens live 90 days.",
    OFFLINE_ACCESS_NOT_REQUESTED: () => OKTA_OFFLINE,
    REFRESH_TOKEN_MISSING: () => OKTA_OFFLINE,
    REFRESH_ROTATION_IMMEDIATE: () =>
      'Okta ("Refresh token rotation"): app integration > General > Refresh Token: with "Rotate token after every use", set ' +
      '"Grace period for token rotation" above 0 seconds.',
    REFRESH_TOKEN_REUSED: () =>
      'Okta ("Refresh token rotation"): reuse of a rotated token revokes the whole chain; set "Grace period for token ' +
      'rotation" above 0 seconds.',
    PKCE_REQUIRED: () =>
      'Okta (app integration, General tab, Client Credentials): "Require Proof Key for Code Exchange (PKCE) as additional ' +
      'verification" is on: enable PKCE for the skill, or clear that box.',
  },
  "entra-id": {
    CLIENT_AUTH_REJECTED: () => ENTRA_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => ENTRA_CLIENT,
    OAUTH_INVALID_GRANT: () => ENTRA_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => ENTRA_REDIRECT,
    OFFLINE_ACCESS_NOT_REQUESTED: () => ENTRA_OFFLINE,
    REFRESH_TOKEN_MISSING: () => ENTRA_OFFLINE,
    REFRESH_TOKEN_EXPIRES: () =>
      'Microsoft Entra ID ("Refresh tokens in the Microsoft identity platform"): refresh tokens live 90 days (24 hours for ' +
      "single-page apps) and are not configurable; a Conditional Access sign-in frequency policy can shorten them.",
  },
  google: {
    CLIENT_AUTH_REJECTED: () => GOOGLE_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => GOOGLE_CLIENT,
    OAUTH_INVALID_GRANT: () => GOOGLE_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => GOOGLE_REDIRECT,
    OFFLINE_ACCESS_NOT_REQUESTED: () => GOOGLE_OFFLINE,
    REFRESH_TOKEN_MISSING: () => GOOGLE_OFFLINE,
    REFRESH_TOKEN_EXPIRES: () =>
      'Google ("Using OAuth 2.0 to Access Google APIs", Refresh token expiration): a project whose OAuth consent screen is ' +
      'in "Testing" gets refresh tokens that expire after 7 days: publish the app ("In production").',
  },
  cloudflare: { HTTP_FORBIDDEN: cloudflareBlock },
  "aws-waf": { HTTP_FORBIDDEN: awsWafBlock },
  cloudfront: { HTTP_FORBIDDEN: cloudfrontBlock },
};

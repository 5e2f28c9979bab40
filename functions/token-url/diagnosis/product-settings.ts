/**
 * The fix in the product's own words: for a finding code and an identified product, the
 * setting to change, named as that product's documentation names its menus and fields (the
 * document's title in parentheses, so a user can look it up). Data only; server-knowledge.ts
 * appends the entry to the finding's fix after every rule has run, so findings added on other
 * paths (the probe's scheme retry, the lifetime rules) get it too.
 *
 * Sources, each name checked against them (issue 24b). Where a console has been relabelled,
 * the entry gives the current label and the older one.
 * - Home Assistant: home-assistant.io "Amazon Alexa Smart Home Skill", Account Linking
 *   (Client ID = the region's origin with its trailing slash; Client Secret "input anything you
 *   like, Home Assistant does not check this field"; "Credentials in request body", "does not
 *   support HTTP Basic"); home-assistant/core components/auth/__init__.py TokenView (client_id
 *   read from the form body only, never a client_secret); developers.home-assistant.io
 *   "Authentication API" (the client id is a website; the redirect URL must be on its host).
 * - Keycloak Server Administration Guide (keycloak/keycloak docs/documentation/server_admin):
 *   "Creating an OpenID Connect client" and "Basic configuration" (Settings tab: Access settings
 *   > "Valid redirect URIs"; Capability config > "Client authentication", "Standard flow",
 *   "PKCE method" in current docs; in older versions, as in the 2023 keycloak-ui admin console,
 *   Advanced tab > "Proof Key for Code Exchange Code Challenge Method"; which release moved it was
 *   not found); "Confidential client credentials" (Credentials tab, "Client
 *   Authenticator"); "Advanced configuration" (Advanced tab > Advanced settings, per-client
 *   "Access Token Lifespan"); "Session and token timeouts" (Realm settings > Sessions / Tokens:
 *   SSO Session Idle / Max, Client Session Idle / Max, Offline Session Idle / Max / Max Limited,
 *   Revoke Refresh Token, Access Token Lifespan); "Offline access". The admin console's own
 *   labels (keycloak/keycloak-ui admin-ui resources/en clients.json, realm-settings.json):
 *   "Capability config", "Client authentication", "Standard flow", "Valid redirect URIs",
 *   "Client Authenticator", "Client secret", "Refresh Token Max Reuse"; the authenticator's
 *   display name "Client Id and Secret" (ClientIdAndSecretAuthenticator.getDisplayType).
 * - Amazon Cognito Developer Guide: "Application-specific settings with app clients" (app client
 *   "Refresh token expiration", "Access token expiration", "Generate client secret"); "Refresh
 *   tokens" (60 minutes to 10 years, default 30 days); "The token issuer endpoint"
 *   (client_secret_basic and client_secret_post); AWS Knowledge Center "How do I configure the
 *   hosted web UI for Amazon Cognito?" ("Allowed callback URLs", "OAuth 2.0 grant types",
 *   "Authorization code grant"); CloudFormation TokenValidityUnits (access token 5 minutes to 1
 *   day); API Reference RefreshTokenRotationType (RetryGracePeriodSeconds, 0-60). Not confirmed,
 *   so not named: the console's menu path to these fields (it has moved several times; the
 *   "Edit app client information" and "Login pages" labels were not found in any doc).
 * - Auth0 docs: "Credential Settings" (Credentials tab, Client Secret (Basic) / (Post));
 *   "Application Settings" (Allowed Callback URLs); "Update Grant Types" (Settings > Advanced
 *   Settings > Grant Types; the grant names are those of "Application Grant Types");
 *   "Update Access Token Lifetime" (Access Token Expiration > Maximum Access Token Lifetime,
 *   formerly Token Expiration (Seconds)); "Configure Refresh Token Expiration" (Set Idle /
 *   Maximum Refresh Token Lifetime); "Configure Refresh Token Rotation" (Allow Refresh Token
 *   Rotation, Rotation Overlap Period, formerly Reuse Interval); "Refresh Tokens" and "Get
 *   Refresh Tokens" (Allow Offline Access in API Settings).
 * - Okta: help "Create OIDC app integrations" (General tab: Client Credentials > "Client
 *   authentication" = "Client secret", "Proof Key for Code Exchange (PKCE)"; General Settings >
 *   "Grant type": "Authorization code", "Refresh Token"; "Sign-in redirect URIs"); developer docs
 *   "Refresh access tokens" (Refresh Token > "Rotate token after every use", "Grace period for
 *   token rotation" 0-60 s, offline_access) and "Create access policies" / customize-authz-server
 *   (rule "Access token lifetime is", "Refresh token lifetime is", "but will expire if not used
 *   every"); support "Refresh Token Expiration Behavior" (org authorization server: 90 days).
 * - Microsoft identity platform: "Microsoft Entra authentication and authorization error codes"
 *   (AADSTS7000215: "the client secret value, not the client secret ID"); "Refresh tokens in the
 *   Microsoft identity platform" (90 days, 24 hours for single-page apps, not configurable,
 *   Conditional Access sign-in frequency); "Redirect URI (reply URL) outline and restrictions"
 *   (formerly "... restrictions and limitations"); "How to add a redirect URI to your application"
 *   (App registrations > Authentication > Platform configurations > Add a platform > Web; newer:
 *   Redirect URI configuration > Add Redirect URI).
 * - Google: "Using OAuth 2.0 for Web Server Applications" (Clients page, "Web application",
 *   Authorized redirect URIs, access_type=offline, prompt=consent); Google Cloud Console Help
 *   "Manage App Audience" (publishing status "Testing": a test user's authorization, and an
 *   offline refresh token with it, expires seven days after consent). "Using OAuth 2.0 to Access
 *   Google APIs" is said (secondhand: a project wiki quoting it) to except apps that ask only
 *   for name, email and profile; not confirmed first hand, so not in the entry.
 * - Cloudflare docs: "Bot Fight Mode" (Security > Bots, newer: Security Settings filtered by Bot
 *   traffic; Security > Events labels it in the
 *   Service field; a Skip in WAF custom rules cannot skip it, Super Bot Fight Mode can);
 *   "Configure a rule with the Skip action"; "Security Events".
 * - AWS WAF Developer Guide: "AWS WAF Bot Control rule group" (AWSManagedRulesBotControlRuleSet);
 *   "Using scope-down statements in AWS WAF"; "Overriding rule group actions in AWS WAF" (rule
 *   action override to Count). CloudFront Developer Guide: "Restricting the geographic
 *   distribution of your content" (Geographic restrictions, Allow list / Block list, 403).
 */
import { BOT_FIGHT_MODE_SETTING } from "./bot-challenge-rules";
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
    `Home Assistant ("Amazon Alexa Smart Home Skill", Account Linking): set "Your Client ID" to ${haClientId(context)}, and ` +
    '"Your Authentication Scheme" to "Credentials in request body": Home Assistant reads client_id only from the body, ' +
    "does not support HTTP Basic, and accepts only a URL as client id (IndieAuth). It does not check \"Your Secret\"; any value works.";

const KEYCLOAK_CLIENT =
  'Keycloak ("Confidential client credentials"): in the admin console, Clients > your client: with "Client authentication" ' +
  'On (Settings > Capability config) and, on the Credentials tab, Client Authenticator "Client Id and Secret", copy ' +
  '"Client secret" into "Your Secret"; this authenticator accepts both HTTP Basic and the body.';
const KEYCLOAK_REDIRECT =
  'Keycloak ("Basic configuration"): Clients > your client > Settings > Access settings > "Valid redirect URIs": add each ' +
  '"Alexa Redirect URL" exactly.';
const KEYCLOAK_ROTATION =
  'Keycloak ("Session and token timeouts"): Realm settings > Tokens: turn "Revoke Refresh Token" off, or leave it on ' +
  'with "Refresh Token Max Reuse" above 0 so that a retried refresh still works.';
const KEYCLOAK_OFFLINE =
  'Keycloak ("Offline access", "Session and token timeouts"): add offline_access to the Scope list in the Alexa console; ' +
  'Keycloak then issues an offline token, which lives by "Offline Session Idle" (and "Offline Session Max" when "Offline ' +
  'Session Max Limited" is on) instead of "SSO Session Idle".';

const COGNITO_CLIENT =
  'Amazon Cognito ("Application-specific settings with app clients", "The token issuer endpoint"): the app client must ' +
  'have a client secret ("Generate client secret" when it is created); copy its client ID and client secret into the ' +
  "Alexa console. Cognito's token endpoint takes the secret as HTTP Basic or in the body.";
const COGNITO_REDIRECT =
  'Amazon Cognito ("How do I configure the hosted web UI for Amazon Cognito?"): in your app client\'s hosted UI (managed ' +
  'login) settings, add each "Alexa Redirect URL" exactly to "Allowed callback URLs", with "Authorization code grant" ' +
  'among the "OAuth 2.0 grant types".';

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
  'Okta ("Create OIDC app integrations"): your app integration > General tab > Client Credentials: "Client ' +
  'authentication" must be "Client secret"; copy the "Client ID" and the client secret into the Alexa console.';
const OKTA_REDIRECT =
  'Okta ("Create OIDC app integrations"): your app integration > General tab > General Settings: add each "Alexa ' +
  'Redirect URL" to "Sign-in redirect URIs".';
const OKTA_OFFLINE =
  'Okta ("Refresh access tokens"): allow the "Refresh Token" grant type in the app integration and add offline_access ' +
  "to the Scope list in the Alexa console.";

const ENTRA_CLIENT =
  'Microsoft Entra ID ("Microsoft Entra authentication and authorization error codes", AADSTS7000215): in App ' +
  'registrations > your app > Certificates & secrets, copy the client secret\'s "Value" (not its "Secret ID") into ' +
  '"Your Secret", and check it has not expired; "Your Client ID" is the "Application (client) ID".';
const ENTRA_REDIRECT =
  'Microsoft Entra ID ("Redirect URI (reply URL) outline and restrictions", "How to add a redirect URI to your ' +
  'application"): App registrations > your app > Authentication: add each "Alexa Redirect URL" as a Web redirect URI ' +
  '(Platform configurations > Add a platform > Web; on the newer page, Add Redirect URI > Web).';
const ENTRA_OFFLINE =
  'Microsoft Entra ID ("Refresh tokens in the Microsoft identity platform"): add offline_access to the Scope list in the ' +
  "Alexa console; refresh tokens are issued only for it.";

const GOOGLE_CLIENT =
  'Google ("Using OAuth 2.0 for Web Server Applications"): Google Cloud console > Google Auth Platform > Clients ' +
  '(formerly APIs & Services > Credentials) > your OAuth client of type "Web application": copy its client ID and ' +
  "client secret into the Alexa console.";
const GOOGLE_REDIRECT =
  'Google ("Using OAuth 2.0 for Web Server Applications"): your OAuth client > "Authorized redirect URIs": add each ' +
  '"Alexa Redirect URL".';
const GOOGLE_OFFLINE =
  'Google ("Using OAuth 2.0 for Web Server Applications"): Google issues a refresh token only for access_type=offline: ' +
  'add "access_type=offline&prompt=consent" to the query of "Your Web Authorization URI" in the Alexa console.';

const cloudflareBlock = ({ tokenPath }: SettingContext) =>
  'Cloudflare ("Security Events", "Bot Fight Mode"): Security > Events names the service that blocked this request. ' +
  `If it is Bot Fight Mode, turn it off under ${BOT_FIGHT_MODE_SETTING} (a WAF custom rule's Skip cannot exempt ` +
  "it), or use Super " +
  `Bot Fight Mode with a skip rule for ${tokenPath} and the authorization path; if it is a WAF custom rule, a managed ` +
  "rule or an IP Access rule, exempt those paths there.";
const awsWafBlock = ({ tokenPath }: SettingContext) =>
  'AWS WAF ("AWS WAF Bot Control rule group", "Using scope-down statements in AWS WAF", "Overriding rule group actions ' +
  'in AWS WAF"): the web ACL\'s sampled requests name the rule that blocked this request. For the Bot Control rule ' +
  "group (AWSManagedRulesBotControlRuleSet) or the Amazon IP reputation list, add a scope-down statement that leaves " +
  `out ${tokenPath} and the authorization path, or override the rule's action to Count.`;
const cloudfrontBlock = () =>
  'Amazon CloudFront ("Restricting the geographic distribution of your content"): a 403 from CloudFront itself comes from ' +
  'the distribution\'s "Geographic restrictions" (an allow list or block list of countries) or the AWS WAF web ACL ' +
  "associated with it: allow the countries and addresses Alexa calls from (AWS's).";

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
      'Keycloak ("Basic configuration"): Clients > your client > Settings > Capability config: turn "Standard flow" on.',
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Keycloak ("Session and token timeouts"): Realm settings > Tokens > "Access Token Lifespan" (default 5 minutes): set ' +
      'it to 6 minutes or more, or per client in Clients > your client > Advanced > Advanced settings > "Access Token Lifespan".',
    REFRESH_TOKEN_EXPIRES: () =>
      'Keycloak ("Session and token timeouts"): the refresh token lives by Realm settings > Sessions > "SSO Session Idle" ' +
      '(default 30 minutes) and "SSO Session Max" (or "Client Session Idle/Max"): raise them, or better request ' +
      'offline_access so that "Offline Session Idle" applies.',
    OFFLINE_ACCESS_NOT_REQUESTED: () => KEYCLOAK_OFFLINE,
    REFRESH_TOKEN_MISSING: () => KEYCLOAK_OFFLINE,
    REFRESH_ROTATION_IMMEDIATE: () => KEYCLOAK_ROTATION,
    REFRESH_TOKEN_REUSED: () => KEYCLOAK_ROTATION,
    PKCE_REQUIRED: () =>
      'Keycloak ("Basic configuration"): Clients > your client > Settings > Capability config > "PKCE Method" (older ' +
      'versions: Advanced > Advanced settings > "Proof Key for Code Exchange Code Challenge Method"): S256 requires PKCE ' +
      "(then enable PKCE for the skill); empty makes it optional.",
  },
  cognito: {
    CLIENT_AUTH_REJECTED: () => COGNITO_CLIENT,
    CLIENT_AUTH_SCHEME_MISMATCH: () => COGNITO_CLIENT,
    OAUTH_INVALID_GRANT: () => COGNITO_REDIRECT,
    AUTHORIZE_REDIRECT_URI_REJECTED: () => COGNITO_REDIRECT,
    OAUTH_UNAUTHORIZED_CLIENT: () => COGNITO_REDIRECT,
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Amazon Cognito ("Application-specific settings with app clients"): in your app client\'s token expiration settings, ' +
      'set "Access token expiration" to 6 minutes or more (5 minutes to 1 day).',
    REFRESH_TOKEN_EXPIRES: () =>
      'Amazon Cognito ("Refresh tokens"): your app client\'s "Refresh token expiration" (60 minutes to 10 years, default ' +
      "30 days) counts from the user's sign-in, that is from account linking, not from the last refresh: the link breaks " +
      "that long after linking however often Alexa refreshes (without refresh token rotation), so set it as long as you " +
      "can accept.",
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
      'Auth0 ("Update Grant Types"): Applications > your application > Settings > Advanced Settings > Grant Types: ' +
      'check "Authorization Code" and "Refresh Token".',
    ACCESS_TOKEN_LIFETIME_SHORT: () =>
      'Auth0 ("Update Access Token Lifetime"): Applications > APIs > your API > Access Token Expiration > "Maximum Access ' +
      'Token Lifetime" (formerly "Token Expiration (Seconds)"): 360 seconds or more.',
    REFRESH_TOKEN_EXPIRES: () =>
      'Auth0 ("Configure Refresh Token Expiration"): Applications > your application > Settings > Refresh Token ' +
      'Expiration: "Set Idle Refresh Token Lifetime" bounds how long an unused link lasts, "Set Maximum Refresh Token ' +
      'Lifetime" how long any link lasts.',
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
      'Okta ("Create OIDC app integrations"): your app integration > General tab > General Settings > "Grant type": ' +
      'allow "Authorization code" and "Refresh Token".',
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
      'Okta ("Refresh access tokens"): your app integration > General tab > General Settings > Refresh Token: with ' +
      '"Rotate token after every use", set "Grace period for token rotation" above 0 seconds (0 to 60).',
    REFRESH_TOKEN_REUSED: () =>
      'Okta ("Refresh access tokens"): reuse of a rotated token revokes the whole chain; set "Grace period for token ' +
      'rotation" above 0 seconds.',
    PKCE_REQUIRED: () =>
      'Okta ("Create OIDC app integrations"): your app integration > General tab > Client Credentials: "Proof Key for Code ' +
      'Exchange (PKCE)" is required: enable PKCE for the skill, or turn that requirement off.',
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
      'Google (Google Cloud Console Help, "Manage App Audience"): while the app\'s publishing status is "Testing", a test ' +
      "user's authorization, and the refresh token with it, expires seven days after consent: publish the app (Google " +
      'Auth Platform > Audience) so that its status is "In production".',
  },
  cloudflare: { HTTP_FORBIDDEN: cloudflareBlock },
  "aws-waf": { HTTP_FORBIDDEN: awsWafBlock },
  cloudfront: { HTTP_FORBIDDEN: cloudfrontBlock },
};

import { parseArgs } from "node:util";
import { alexaRedirectUri, alexaRegions } from "../../functions/token-url/diagnosis/alexa-region";
import { SKILL_ID_PATTERN } from "../amazon/smapi-client";
import { UsageError } from "../cli/usage-error";
import { htmlPathOf } from "../report/html-file";
import { saveTokensPathOf } from "./saved-tokens";

/** The console's "Your Authentication Scheme": "HTTP Basic" or "Credentials in request body". */
export type ProbeClientAuth = "basic" | "body";

export type ProbeGrant = "authorization_code" | "refresh_token";

export interface ProbeOptions {
  /** http or https; an http URL is probed and reported NOT_HTTPS. */
  readonly tokenUrl: string;
  /** @default "alexa-skill-probe" */
  readonly clientId: string;
  /** From ALEXA_CLIENT_SECRET, or --client-secret; omitted: the request carries an empty
   * secret (see alexa-request.ts). With `stdinSecret` "clientSecret", read from stdin. */
  readonly clientSecret?: string;
  /** @default "basic", the Alexa console's recommended default */
  readonly auth: ProbeClientAuth;
  /** Try the other scheme once when the first is rejected as client authentication; off when
   * --auth was given. */
  readonly schemeRetry: boolean;
  /** @default "authorization_code" */
  readonly grant: ProbeGrant;
  /** A real code to redeem, from ALEXA_CODE, --code-stdin or --code; omitted: a made-up one
   * (the server should answer invalid_grant). With `stdinSecret` "code", read from stdin. */
  readonly code?: string;
  /** @default an Alexa North America redirect URL ({@link DEFAULT_REDIRECT_URI}) */
  readonly redirectUri: string;
  /** From ALEXA_REFRESH_TOKEN, or --refresh-token; required with `grant` "refresh_token"
   * (unless `stdinSecret` is "refreshToken"), refused otherwise. */
  readonly refreshToken?: string;
  /** The secret to read from standard input (--client-secret-stdin, --refresh-token-stdin). */
  readonly stdinSecret?: StdinSecret;
  /** One line each for a secret given as an argument, which ps, shell history and npm's echo
   * of the script line show. */
  readonly warnings: string[];
  /** --check-rotation (refresh grant only): after a refresh that rotated the token, present the
   * old one once more. */
  readonly checkRotation: boolean;
  /** --save-tokens: write what the server issued, in clear, to this file (mode 0600). */
  readonly saveTokens?: string;
  /** The whole exchange; TCP connect and TLS handshake each get at most 3 s of it. @default 10000 */
  readonly timeoutMs: number;
  /** One attempt record on stdout and nothing else. */
  readonly json: boolean;
  /** --html: also write the report as a self-contained HTML page to this file. */
  readonly html?: string;
  /** undefined: decide by the terminal; false: --no-color. */
  readonly color?: false;
  /** --skill-id: the settings not given here come from the skill (scripts/probe/skill-settings.ts). */
  readonly skill?: SkillSource;
  /** --authorize-url (or --skill-id --authorize): check the authorization URI too, at the same
   * time; with no token URL (`tokenUrl` "" and no `skill`), that check alone. */
  readonly authorize?: AuthorizeTarget;
  /** --pkce: send code_verifier with the code (and code_challenge, S256, to the authorization
   * URI), as Alexa does with PKCE enabled for the skill. */
  readonly pkce?: boolean;
  /** From ALEXA_CODE_VERIFIER with --pkce: the verifier a real --code was issued for; unset: a fresh one. */
  readonly codeVerifier?: string;
}

/** The authorization URI to check, with the request's scope and the redirect URLs' vendor id.
 * With --skill-id, what is not given here comes from the skill (`url` is "" until then). */
export interface AuthorizeTarget {
  readonly url: string;
  readonly scope?: string;
  /** Unset: the skill's, else the made-up one of {@link DEFAULT_REDIRECT_URI}. */
  readonly vendorId?: string;
  /** --skill-id: the skill's redirect URLs as SMAPI returns them, each checked. */
  readonly redirectUrls?: readonly string[];
}

/** A skill whose development-stage account linking fills in what the command line left out. */
export interface SkillSource {
  readonly skillId: string;
  /** The settings to take from the skill; with "tokenUrl", `tokenUrl` is "" until then. */
  readonly takes: readonly ("tokenUrl" | "clientId" | "auth")[];
}

export type StdinSecret = "clientSecret" | "refreshToken" | "code";

export const DEFAULT_CLIENT_ID = "alexa-skill-probe";

/** Where secrets come from instead of the command line (DESIGN §3.4). */
export const SECRET_ENV = { clientSecret: "ALEXA_CLIENT_SECRET", refreshToken: "ALEXA_REFRESH_TOKEN", code: "ALEXA_CODE" } as const;

/** The flags that take a secret as an argument (they warn), and where else it can come from. */
const SECRET_FLAGS = { "client-secret": "clientSecret", "refresh-token": "refreshToken", code: "code" } as const;
type SecretFlag = keyof typeof SECRET_FLAGS;

/** The PKCE verifier of a real code (a secret: from the environment only). */
export const CODE_VERIFIER_ENV = "ALEXA_CODE_VERIFIER";

/** Shaped like the redirect URL Alexa sends from North America (vendor ids are "M2" + 12). */
export const DEFAULT_VENDOR_ID = "M2PROBEPROBEPR";
export const DEFAULT_REDIRECT_URI = `https://pitangui.amazon.com/api/skill/link/${DEFAULT_VENDOR_ID}`;

const DEFAULT_TIMEOUT_MS = 10_000;
const TIMEOUT_RANGE_MS = { min: 100, max: 120_000 };

export const PROBE_USAGE = `Usage: npm run probe -- <token-url> [options]
       npm run probe -- --skill-id <id> [<token-url>] [options]
       npm run probe -- [<token-url>] --authorize-url <url> [--client-id ID] [--scope S] [--vendor-id V]
       npm run probe -- --skill-id <id> --authorize [--authorize-url <url>] [options]

Calls a token URL the way Alexa does (POST, form-urlencoded, HTTP Basic client auth, a
made-up authorization code) and diagnoses the answer: certificate chain, TLS versions, status,
OAuth error, token body. A healthy token URL answers the made-up code with invalid_grant,
which is reported as info.

  --skill-id <id>           take the token URL, client id and scheme from the skill's account
                            linking (development stage, through SMAPI with the ASK CLI's
                            credentials: ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with
                            ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION), and check the
                            skill's settings too; a token URL, --client-id or --auth given wins
  --client-id <id>          "Your Client ID" in the Alexa console (default ${DEFAULT_CLIENT_ID})
  --client-secret-stdin     read "Your Secret" from standard input (to its end; one trailing
                            newline dropped). Or set ALEXA_CLIENT_SECRET. Without either, an
                            empty secret is sent, which the server may reject for that alone
  --auth basic|body         "HTTP Basic" header or "Credentials in request body"; without it
                            the probe sends HTTP Basic, and if the server rejects the client,
                            tries the other scheme once to tell a wrong scheme from a wrong secret
  --code-stdin              read a real authorization code to redeem from standard input; or
                            set ALEXA_CODE (default: a made-up one)
  --redirect-uri <url>      the redirect_uri the code was issued for
                            (default ${DEFAULT_REDIRECT_URI})
  --grant authorization_code|refresh_token
                            the grant to request (default authorization_code)
  --refresh-token-stdin     read the refresh token to redeem from standard input; or set
                            ALEXA_REFRESH_TOKEN. Required with --grant refresh_token
  --check-rotation          with --grant refresh_token: refresh, then present the old refresh
                            token once more (exactly two requests), to learn whether the
                            server revokes it the moment it rotates (Amazon asks it not to);
                            no scheme retry then: give --auth if the scheme is not HTTP Basic
  --save-tokens <file>      write the tokens the server issued, in clear, to <file> (mode
                            0600), so a test user's rotated refresh token can be used again;
                            nothing else ever writes a token in clear
  --timeout-ms <n>          give up after n ms (default ${DEFAULT_TIMEOUT_MS}); connect and TLS handshake
                            each get at most 3000 ms of it
  --authorize-url <url>     check "Your Web Authorization URI" too: the login request Alexa
                            opens, once with each region's redirect URL (North America,
                            Europe, Far East; with --authorize, each one the skill lists) and
                            once with one no server has registered, to tell which the
                            server accepts; plus the URL and certificate checks. With a
                            token URL (or --skill-id) both run at once, in one record;
                            without, the authorization check alone
  --authorize               with --skill-id: check the skill's authorization URI as well as
                            its token URL, with its client id, scopes and vendor id (what is
                            given here wins)
  --scope <scopes>          with --authorize-url: the scope parameter (space-separated)
  --vendor-id <id>          with --authorize-url: the vendor id in the redirect URLs, as in the
                            console's "Alexa Redirect URLs" (default a made-up ${DEFAULT_VENDOR_ID});
                            the token request's redirect_uri uses it too, unless --redirect-uri
  --pkce                    as Alexa with PKCE enabled for the skill: send code_verifier (S256)
                            with the code, and code_challenge to the authorization URI. A
                            fresh verifier, or the one in ALEXA_CODE_VERIFIER (for a real --code)
  --json                    print the attempt record (one JSON line) and nothing else
  --html <file>             also write the report as one self-contained HTML page, to share
                            with the token URL's owners (its path goes to stderr)
  --no-color                no colors (also when NO_COLOR is set or stdout is not a terminal)
  --help                    this text

A refresh probe spends the refresh token: on a server that rotates refresh tokens, the one
you pass may not work afterwards (the probe says so on stderr before it sends). Use a test
user's token, never a real user's, and --save-tokens to keep the new one.

Secrets never appear in clear in the output; the report ends with their fingerprints, to
compare with the logs. --client-secret <s>, --refresh-token <t> and --code <c> still work but
warn: a value on a command line shows in ps, in shell history and in npm's echo of the script
line.
With --json, run it as \`npm run -s probe -- …\` so npm's own banner stays off stdout.
Trust: Node's default CA store plus NODE_EXTRA_CA_CERTS.

Exit codes: 0 pass or warn, 1 fail, 2 usage error.`;

/** The probe's options from its command line and environment, or "help"; throws UsageError
 * on anything wrong. */
export function parseProbeOptions(argv: string[], env: NodeJS.ProcessEnv = {}): ProbeOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        "client-id": { type: "string" }, // no default: with --skill-id, the skill's
        "skill-id": { type: "string" },
        "client-secret": { type: "string" },
        "client-secret-stdin": { type: "boolean", default: false },
        auth: { type: "string" }, // no default: an explicit --auth turns the scheme retry off
        code: { type: "string" },
        "code-stdin": { type: "boolean", default: false },
        "redirect-uri": { type: "string" },
        grant: { type: "string", default: "authorization_code" },
        "refresh-token": { type: "string" },
        "refresh-token-stdin": { type: "boolean", default: false },
        "check-rotation": { type: "boolean", default: false },
        "save-tokens": { type: "string" },
        "timeout-ms": { type: "string", default: String(DEFAULT_TIMEOUT_MS) },
        json: { type: "boolean", default: false },
        html: { type: "string" },
        "no-color": { type: "boolean", default: false },
        "authorize-url": { type: "string" },
        authorize: { type: "boolean", default: false },
        scope: { type: "string" },
        "vendor-id": { type: "string" },
        pkce: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const grant = oneOf("--grant", values.grant, ["authorization_code", "refresh_token"] as const);
  const stdinSecret = stdinSecretOf(values);
  checkGrantValues(grant, values, stdinSecret, env);
  if (values["client-id"] === "") throw new UsageError("--client-id must not be empty");
  const authorize = authorizeTargetOf(values);
  const skill = skillSourceOf(values["skill-id"], positionals, values);
  if (values["check-rotation"] && grant !== "refresh_token") {
    throw new UsageError("--check-rotation goes with --grant refresh_token: it presents the refresh token twice");
  }
  const saveTokens = values["save-tokens"] === undefined ? undefined : saveTokensPathOf(values["save-tokens"]);
  const fromArguments = (Object.keys(SECRET_FLAGS) as SecretFlag[]).filter((flag) => values[flag] !== undefined);
  return {
    tokenUrl: positionals.length === 0 && (skill || authorize) ? "" : tokenUrlOf(positionals),
    clientId: values["client-id"] ?? DEFAULT_CLIENT_ID,
    clientSecret: stdinSecret === "clientSecret" ? undefined : (values["client-secret"] ?? env[SECRET_ENV.clientSecret]),
    auth: oneOf("--auth", values.auth ?? "basic", ["basic", "body"] as const),
    schemeRetry: values.auth === undefined,
    grant,
    code: grant !== "authorization_code" || stdinSecret === "code" ? undefined : (values.code ?? nonEmpty(env[SECRET_ENV.code])),
    // With --vendor-id, the token request names the same redirect URL as the authorization
    // step (North America's), as Alexa's does.
    redirectUri: values["redirect-uri"] ?? (authorize?.vendorId ? alexaRedirectUri(alexaRegions()[0].host, authorize.vendorId) : DEFAULT_REDIRECT_URI),
    refreshToken:
      grant !== "refresh_token" || stdinSecret === "refreshToken"
        ? undefined
        : (values["refresh-token"] ?? env[SECRET_ENV.refreshToken]),
    stdinSecret,
    warnings: fromArguments.map(
      (flag) =>
        `warning: --${flag} puts the value on the command line, where ps, your shell history and npm's echo of ` +
        `the script line show it; set ${SECRET_ENV[SECRET_FLAGS[flag]]} ` +
        `or use --${flag}-stdin instead.`,
    ),
    checkRotation: values["check-rotation"],
    ...(saveTokens !== undefined && { saveTokens }),
    timeoutMs: timeoutOf(values["timeout-ms"]),
    json: values.json,
    ...(values.html !== undefined && { html: htmlPathOf(values.html) }),
    color: values["no-color"] ? false : undefined,
    ...(skill && { skill }),
    ...(authorize && { authorize }),
    ...pkceOf(values.pkce, grant, env),
  };
}

/** --pkce goes with the authorization code; a refresh carries no verifier (RFC 7636 binds it to the code). */
function pkceOf(pkce: boolean, grant: ProbeGrant, env: NodeJS.ProcessEnv): Pick<ProbeOptions, "pkce" | "codeVerifier"> {
  if (!pkce) return {};
  if (grant === "refresh_token") throw new UsageError("--pkce goes with --grant authorization_code; Alexa sends no code_verifier with a refresh");
  const verifier = env[CODE_VERIFIER_ENV];
  // RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~].
  if (verifier !== undefined && !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new UsageError(`${CODE_VERIFIER_ENV} must be 43 to 128 characters of letters, digits and - . _ ~ (RFC 7636)`);
  }
  return { pkce: true, ...(verifier !== undefined && { codeVerifier: verifier }) };
}

function authorizeTargetOf(
  values: { "authorize-url"?: string; authorize: boolean; scope?: string; "vendor-id"?: string; "skill-id"?: string },
): AuthorizeTarget | undefined {
  const url = values["authorize-url"];
  if (url === undefined && !values.authorize) {
    for (const flag of ["scope", "vendor-id"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --authorize-url`);
    }
    return undefined;
  }
  if (url === undefined && values["skill-id"] === undefined) {
    throw new UsageError("--authorize takes the authorization URI from the skill: add --skill-id, or give --authorize-url");
  }
  if (url !== undefined && !isAuthorizeUrl(url)) {
    throw new UsageError("--authorize-url must be an http(s) URL without a user name, such as https://auth.example.com/oauth2/authorize");
  }
  const vendorId = values["vendor-id"];
  if (vendorId !== undefined && !VENDOR_ID_PATTERN.test(vendorId)) {
    throw new UsageError("--vendor-id must be letters and digits, as in the console's Alexa Redirect URLs (M2…)");
  }
  return { url: url ?? "", ...(vendorId !== undefined && { vendorId }), ...(values.scope !== undefined && { scope: values.scope }) };
}

export const VENDOR_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;

export function isAuthorizeUrl(url: string): boolean {
  return URL.canParse(url) && ["https:", "http:"].includes(new URL(url).protocol) && new URL(url).username === "";
}

function skillSourceOf(
  skillId: string | undefined,
  positionals: string[],
  values: { "client-id"?: string; auth?: string },
): SkillSource | undefined {
  if (skillId === undefined) return undefined;
  if (!SKILL_ID_PATTERN.test(skillId)) {
    throw new UsageError("--skill-id must look like amzn1.ask.skill.<uuid> (letters, digits, dots, hyphens)");
  }
  const takes = [
    ...(positionals.length === 0 ? (["tokenUrl"] as const) : []),
    ...(values["client-id"] === undefined ? (["clientId"] as const) : []),
    ...(values.auth === undefined ? (["auth"] as const) : []),
  ];
  return { skillId, takes };
}

/** Standard input carries one secret at most, and never one also given as an argument. */
function stdinSecretOf(values: Partial<Record<SecretFlag, string>> & Record<`${SecretFlag}-stdin`, boolean>): StdinSecret | undefined {
  const piped = (Object.keys(SECRET_FLAGS) as SecretFlag[]).filter((flag) => values[`${flag}-stdin`]);
  if (piped.length > 1) {
    const others = piped.map((flag) => SECRET_ENV[SECRET_FLAGS[flag]]).join(" or ");
    throw new UsageError(`Standard input can carry one secret: pipe one, and set the others in ${others}`);
  }
  for (const flag of piped) {
    if (values[flag] !== undefined) {
      throw new UsageError(`--${flag} and --${flag}-stdin both give the ${flag === "code" ? "authorization code" : flag.replace("-", " ")}: pass one`);
    }
  }
  return piped.length === 1 ? SECRET_FLAGS[piped[0]] : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === "" ? undefined : value;
}

/** The one positional argument, an http(s) URL. Error messages never echo an argument in
 * full: a stray one may be a secret that lost its flag. */
function tokenUrlOf(positionals: string[]): string {
  if (positionals.length === 0) {
    throw new UsageError("Missing the token URL to probe, e.g. https://auth.example.com/oauth2/token");
  }
  if (positionals.length > 1) throw new UsageError(`Expected one token URL, got ${positionals.length} arguments`);
  const [text] = positionals;
  const suggestion = withoutScheme(text);
  if (suggestion) throw new UsageError(`${text} is not a URL; did you mean ${suggestion}?`);
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    const got = url ? `a "${url.protocol}" URL` : "something that is not a URL";
    throw new UsageError(
      `The token URL must be an http(s) URL such as https://auth.example.com/oauth2/token, got ${got}`,
    );
  }
  // It would be recorded as given; Alexa never sends credentials that way either.
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(
      `The token URL must not hold a user name or password; pass --client-id, and the secret in ${SECRET_ENV.clientSecret}`,
    );
  }
  return text;
}

/** "https://auth.example.com/token" for "auth.example.com/token" (which URL would refuse, or
 * with a port take as a scheme): only for a host name with a dot, or localhost, so that a
 * stray value that is not a host is never echoed. */
function withoutScheme(text: string): string | undefined {
  if (text.includes("://") || !/^([a-z0-9-]+(\.[a-z0-9-]+)+|localhost)(:\d+)?([/?#]\S*)?$/i.test(text)) return undefined;
  return `https://${text}`;
}

// A value given for the other grant would silently not be sent: say so instead. (A refresh
// token in the environment is left alone: it may be set for other runs.)
function checkGrantValues(
  grant: ProbeGrant,
  values: { code?: string; "code-stdin": boolean; "redirect-uri"?: string; "refresh-token"?: string; "refresh-token-stdin": boolean },
  stdinSecret: StdinSecret | undefined,
  env: NodeJS.ProcessEnv,
): void {
  const refreshTokenGiven =
    values["refresh-token"] !== undefined || stdinSecret === "refreshToken" || env[SECRET_ENV.refreshToken] !== undefined;
  if (grant === "refresh_token" && !refreshTokenGiven) {
    throw new UsageError(
      `--grant refresh_token needs the refresh token: set ${SECRET_ENV.refreshToken}, or pipe it to --refresh-token-stdin`,
    );
  }
  for (const flag of ["code", "code-stdin", "redirect-uri"] as const) {
    if (grant === "refresh_token" && values[flag] !== undefined && values[flag] !== false) {
      throw new UsageError(
        `--${flag} goes with --grant authorization_code; a refresh request carries no ${flag === "redirect-uri" ? "redirect_uri" : "code"}`,
      );
    }
  }
  for (const flag of ["refresh-token", "refresh-token-stdin"] as const) {
    if (grant === "authorization_code" && values[flag] !== undefined && values[flag] !== false) {
      throw new UsageError(`--${flag} goes with --grant refresh_token`);
    }
  }
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be ${allowed.join(" or ")}, got "${value}"`);
  }
  return value as T;
}

function timeoutOf(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < TIMEOUT_RANGE_MS.min || ms > TIMEOUT_RANGE_MS.max) {
    throw new UsageError(
      `--timeout-ms must be a whole number from ${TIMEOUT_RANGE_MS.min} to ${TIMEOUT_RANGE_MS.max}, got "${text}"`,
    );
  }
  return ms;
}

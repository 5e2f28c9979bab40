import { parseArgs } from "node:util";
import { UsageError } from "../cli/usage-error";

/** The console's "Your Authentication Scheme": "HTTP Basic" or "Credentials in request body". */
export type ProbeClientAuth = "basic" | "body";

export type ProbeGrant = "authorization_code" | "refresh_token";

export interface ProbeOptions {
  /** http or https; an http URL is probed and reported NOT_HTTPS. */
  readonly tokenUrl: string;
  /** @default "alexa-skill-probe" */
  readonly clientId: string;
  /** Omitted: the request carries an empty secret (see alexa-request.ts). */
  readonly clientSecret?: string;
  /** @default "basic", the Alexa console's recommended default */
  readonly auth: ProbeClientAuth;
  /** @default "authorization_code" */
  readonly grant: ProbeGrant;
  /** A real code to redeem; omitted: a made-up one (the server should answer invalid_grant). */
  readonly code?: string;
  /** @default an Alexa North America redirect URL ({@link DEFAULT_REDIRECT_URI}) */
  readonly redirectUri: string;
  /** Required with `grant` "refresh_token", refused otherwise. */
  readonly refreshToken?: string;
  /** The whole exchange; TCP connect and TLS handshake each get at most 3 s of it. @default 10000 */
  readonly timeoutMs: number;
  /** One attempt record on stdout and nothing else. */
  readonly json: boolean;
  /** undefined: decide by the terminal; false: --no-color. */
  readonly color?: false;
}

export const DEFAULT_CLIENT_ID = "alexa-skill-probe";

/** Shaped like the redirect URL Alexa sends from North America (vendor ids are "M2" + 12). */
export const DEFAULT_REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/M2PROBEPROBEPR";

const DEFAULT_TIMEOUT_MS = 10_000;
const TIMEOUT_RANGE_MS = { min: 100, max: 120_000 };

export const PROBE_USAGE = `Usage: npm run probe -- <token-url> [options]

Calls a token URL the way Alexa does (POST, form-urlencoded, HTTP Basic client auth, a
made-up authorization code) and diagnoses the answer: certificate chain, TLS versions, status,
OAuth error, token body. A healthy token URL answers the made-up code with invalid_grant,
which is reported as info.

  --client-id <id>          "Your Client ID" in the Alexa console (default ${DEFAULT_CLIENT_ID})
  --client-secret <secret>  "Your Secret" (default: none; an empty secret is sent, which the
                            server may reject for that alone)
  --auth basic|body         "HTTP Basic" header (default) or "Credentials in request body"
  --code <code>             a real authorization code to redeem (default: a made-up one)
  --redirect-uri <url>      the redirect_uri the code was issued for
                            (default ${DEFAULT_REDIRECT_URI})
  --grant authorization_code|refresh_token
                            the grant to request (default authorization_code)
  --refresh-token <token>   the refresh token to redeem; required with --grant refresh_token
  --timeout-ms <n>          give up after n ms (default ${DEFAULT_TIMEOUT_MS}); connect and TLS handshake
                            each get at most 3000 ms of it
  --json                    print the attempt record (one JSON line) and nothing else
  --no-color                no colors (also when NO_COLOR is set or stdout is not a terminal)
  --help                    this text

Trust: Node's default CA store plus NODE_EXTRA_CA_CERTS. Values passed here never appear in
clear in the output; the report ends with their fingerprints, to compare with the logs.
Values on a command line may stay in your shell history: clear it, or rotate the secret.

Exit codes: 0 pass or warn, 1 fail, 2 usage error.`;

/** The probe's options from its command line, or "help"; throws UsageError on anything wrong. */
export function parseProbeOptions(argv: string[]): ProbeOptions | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        "client-id": { type: "string", default: DEFAULT_CLIENT_ID },
        "client-secret": { type: "string" },
        auth: { type: "string", default: "basic" },
        code: { type: "string" },
        "redirect-uri": { type: "string" },
        grant: { type: "string", default: "authorization_code" },
        "refresh-token": { type: "string" },
        "timeout-ms": { type: "string", default: String(DEFAULT_TIMEOUT_MS) },
        json: { type: "boolean", default: false },
        "no-color": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const grant = oneOf("--grant", values.grant, ["authorization_code", "refresh_token"] as const);
  checkGrantValues(grant, values);
  if (values["client-id"] === "") throw new UsageError("--client-id must not be empty");
  return {
    tokenUrl: tokenUrlOf(positionals),
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    auth: oneOf("--auth", values.auth, ["basic", "body"] as const),
    grant,
    code: values.code,
    redirectUri: values["redirect-uri"] ?? DEFAULT_REDIRECT_URI,
    refreshToken: values["refresh-token"],
    timeoutMs: timeoutOf(values["timeout-ms"]),
    json: values.json,
    color: values["no-color"] ? false : undefined,
  };
}

/** The one positional argument, an http(s) URL. Error messages never echo an argument in
 * full: a stray one may be a secret that lost its flag. */
function tokenUrlOf(positionals: string[]): string {
  if (positionals.length === 0) {
    throw new UsageError("Missing the token URL to probe, e.g. https://auth.example.com/oauth2/token");
  }
  if (positionals.length > 1) throw new UsageError(`Expected one token URL, got ${positionals.length} arguments`);
  const [text] = positionals;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    const got = url ? `a "${url.protocol}" URL` : "something that is not a URL";
    throw new UsageError(
      `The token URL must be an http(s) URL such as https://auth.example.com/oauth2/token, got ${got}`,
    );
  }
  // It would be recorded as given; Alexa never sends credentials that way either.
  if (url.username !== "" || url.password !== "") {
    throw new UsageError("The token URL must not hold a user name or password; pass --client-id and --client-secret");
  }
  return text;
}

// A value given for the other grant would silently not be sent: say so instead.
function checkGrantValues(
  grant: ProbeGrant,
  values: { code?: string; "redirect-uri"?: string; "refresh-token"?: string },
): void {
  if (grant === "refresh_token" && values["refresh-token"] === undefined) {
    throw new UsageError("--grant refresh_token needs --refresh-token <token>");
  }
  for (const flag of ["code", "redirect-uri"] as const) {
    if (grant === "refresh_token" && values[flag] !== undefined) {
      throw new UsageError(
        `--${flag} goes with --grant authorization_code; a refresh request carries no ${flag.replace("-", "_")}`,
      );
    }
  }
  if (grant === "authorization_code" && values["refresh-token"] !== undefined) {
    throw new UsageError("--refresh-token goes with --grant refresh_token");
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

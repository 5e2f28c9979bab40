/**
 * The one client for Amazon's two endpoints this tool needs: Login with Amazon (LWA) for an
 * access token, as the ASK CLI gets one, and the Skill Management API (SMAPI) account-linking
 * resource. Plain `fetch`: two endpoints do not justify the ASK SDK and its dependency tree.
 *
 * Contracts (ask-smapi-model 1.24.0, Amazon's account-linking-operations docs):
 * GET {base}/v1/skills/{skillId}/stages/{stage}/accountLinkingClient → 200 + ETag, the body
 * wrapped as {"accountLinkingResponse": {…}} (docs) or not (SDK), never with clientSecret;
 * PUT the same path with {"accountLinkingRequest": {…}} replaces the whole configuration →
 * 204 + a new ETag, and 412 when If-Match is stale. Only "development" is writable.
 *
 * Every error is an AmazonApiError whose message is one line without any token or secret.
 */

/** An account-linking configuration as SMAPI holds it. Unknown fields are kept as they came:
 * a PUT replaces everything, so dropping one would delete it from the skill. */
export type AccountLinking = { readonly [field: string]: unknown };

/** Skill ids are "amzn1.ask.skill.<uuid>"; anything else is refused before it reaches a URL or
 * a file name. */
export const SKILL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export interface ReadAccountLinking {
  readonly accountLinking: AccountLinking;
  readonly etag: string;
}

/** A failure shown to the user as is: one line, no token, no stack trace. */
export class AmazonApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status when the server answered (and so wrote nothing); undefined when no
     * answer arrived, or before any request. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The ASK CLI's own environment variables. */
export interface AskEnvironment {
  readonly ASK_ACCESS_TOKEN?: string;
  readonly ASK_REFRESH_TOKEN?: string;
  readonly ASK_LWA_CLIENT_ID?: string;
  readonly ASK_LWA_CLIENT_CONFIRMATION?: string;
  readonly ASK_SMAPI_SERVER_BASE_URL?: string;
  readonly ASK_LWA_TOKEN_HOST?: string;
}

const DEFAULT_SMAPI_BASE_URL = "https://api.amazonalexa.com";
const DEFAULT_LWA_TOKEN_HOST = "https://api.amazon.com";
const REQUEST_TIMEOUT_MS = 15_000;

type Credentials =
  | { readonly kind: "access-token"; readonly accessToken: string }
  | { readonly kind: "refresh-token"; readonly refreshToken: string; readonly clientId: string; readonly clientSecret: string };

export class SmapiClient {
  private accessToken?: Promise<string>;

  private constructor(
    private readonly credentials: Credentials,
    private readonly smapiBaseUrl: string,
    private readonly lwaTokenHost: string,
  ) {}

  /** Credentials as the ASK CLI reads them: the refresh token wins when both kinds are set. */
  static fromEnvironment(env: AskEnvironment): SmapiClient {
    const value = (name: keyof AskEnvironment) => (env[name]?.trim() ? env[name]!.trim() : undefined);
    const refreshToken = value("ASK_REFRESH_TOKEN");
    let credentials: Credentials;
    if (refreshToken !== undefined) {
      const clientId = value("ASK_LWA_CLIENT_ID");
      const clientSecret = value("ASK_LWA_CLIENT_CONFIRMATION");
      if (clientId === undefined || clientSecret === undefined) {
        throw new AmazonApiError(
          "ASK_REFRESH_TOKEN needs ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION (the LWA security profile it was issued to)",
        );
      }
      credentials = { kind: "refresh-token", refreshToken, clientId, clientSecret };
    } else {
      const accessToken = value("ASK_ACCESS_TOKEN");
      if (accessToken === undefined) {
        throw new AmazonApiError(
          "No Amazon credentials: set ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION (as for the ASK CLI)",
        );
      }
      credentials = { kind: "access-token", accessToken };
    }
    return new SmapiClient(
      credentials,
      baseUrlOf("ASK_SMAPI_SERVER_BASE_URL", value("ASK_SMAPI_SERVER_BASE_URL") ?? DEFAULT_SMAPI_BASE_URL),
      baseUrlOf("ASK_LWA_TOKEN_HOST", value("ASK_LWA_TOKEN_HOST") ?? DEFAULT_LWA_TOKEN_HOST),
    );
  }

  async getAccountLinking(skillId: string, stage: string): Promise<ReadAccountLinking> {
    const response = await this.smapi("GET", skillId, stage);
    const etag = response.headers.get("etag");
    const body = await jsonBody(response, "SMAPI");
    // The docs wrap the body; the SDK's model does not. Either way, the object itself.
    const accountLinking = isObject(body) && isObject(body.accountLinkingResponse) ? body.accountLinkingResponse : body;
    if (!isObject(accountLinking)) throw new AmazonApiError("SMAPI answered the account-linking GET with something that is not a JSON object");
    if (etag === null) throw new AmazonApiError("SMAPI answered the account-linking GET without an ETag; nothing can be written safely");
    return { accountLinking, etag };
  }

  /** Replaces the whole configuration, only if it is still the one tagged `etag`. */
  async putAccountLinking(skillId: string, stage: string, accountLinking: AccountLinking, etag: string): Promise<void> {
    await this.smapi("PUT", skillId, stage, { "If-Match": etag }, JSON.stringify({ accountLinkingRequest: accountLinking }));
  }

  private async smapi(
    method: "GET" | "PUT",
    skillId: string,
    stage: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Response> {
    const token = await this.token();
    const url = `${this.smapiBaseUrl}/v1/skills/${encodeURIComponent(skillId)}/stages/${encodeURIComponent(stage)}/accountLinkingClient`;
    const response = await send("SMAPI", url, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body,
    });
    if (response.ok) return response;
    throw new AmazonApiError(await smapiErrorLine(response, method, skillId, stage), response.status);
  }

  private token(): Promise<string> {
    this.accessToken ??= this.redeem();
    return this.accessToken;
  }

  private async redeem(): Promise<string> {
    const credentials = this.credentials;
    if (credentials.kind === "access-token") return credentials.accessToken;
    // Form-encoded refresh grant with the client credentials in the body, as the ASK CLI sends it.
    const response = await send("LWA", `${this.lwaTokenHost}/auth/o2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      }).toString(),
    });
    const body = await jsonBody(response, "LWA", true);
    if (!response.ok) {
      const error = oauthErrorCode(body);
      throw new AmazonApiError(
        `Login with Amazon refused the ASK credentials (${response.status}${error ? ` ${error}` : ""}): ` +
          "the refresh token is expired or invalid, or ASK_LWA_CLIENT_ID / ASK_LWA_CLIENT_CONFIRMATION are not the LWA client it was issued to; get a new one with `ask configure` or `ask util generate-lwa-tokens`",
        response.status,
      );
    }
    if (!isObject(body) || typeof body.access_token !== "string" || body.access_token === "") {
      throw new AmazonApiError(`Login with Amazon answered ${response.status} without an access_token`);
    }
    return body.access_token;
  }
}

async function send(service: "LWA" | "SMAPI", url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const why = cause?.code ?? cause?.message ?? (error as Error).name;
    const outcome = init.method === "PUT" ? "the write may or may not have landed: see with --dry-run" : "nothing written";
    throw new AmazonApiError(`No answer from ${service} at ${new URL(url).origin} (${why}); ${outcome}`);
  }
}

async function smapiErrorLine(response: Response, method: string, skillId: string, stage: string): Promise<string> {
  const status = response.status;
  const where = `skill ${skillId}, stage ${stage}`;
  switch (status) {
    case 401:
      return `SMAPI refused the access token (401) for ${where}: it is expired or invalid; use ASK_REFRESH_TOKEN with its LWA client, or a fresh ASK_ACCESS_TOKEN`;
    case 403:
      return `SMAPI denied access to ${where} (403): these ASK credentials belong to a vendor without access to this skill, or the skill id is wrong`;
    case 404:
      return `SMAPI found no account linking for ${where} (404): check the skill id, and set up account linking in the Alexa developer console first`;
    case 412:
      return `The account linking of ${where} was changed by someone else since it was read; nothing written. Run the command again`;
  }
  const message = smapiMessage(await jsonBody(response, "SMAPI", true));
  const retry = status === 429 || status >= 500 ? "; try again in a minute" : "";
  const written = method === "PUT" ? "; nothing written" : "";
  return `SMAPI answered ${status} to the account-linking ${method} for ${where}${message ? `: ${message}` : ""}${written}${retry}`;
}

/** Parsed JSON, or undefined when `lenient` and the body is not JSON (error bodies may be anything). */
async function jsonBody(response: Response, service: string, lenient = false): Promise<unknown> {
  const text = await response.text();
  if (text === "" && lenient) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    if (lenient) return undefined;
    throw new AmazonApiError(`${service} answered ${response.status} with a body that is not JSON`);
  }
}

// Only a machine-readable code, never the free-text description: some servers echo input there.
function oauthErrorCode(body: unknown): string | undefined {
  const error = isObject(body) ? body.error : undefined;
  return typeof error === "string" && /^[a-z_]{1,64}$/.test(error) ? error : undefined;
}

// SMAPI's own validation messages ("accessTokenUrl must be https", …) help; kept to one short
// line. The CLIs also scrub every secret they hold from what they print (cli/one-line-error.ts).
function smapiMessage(body: unknown): string | undefined {
  const message = isObject(body) ? body.message : undefined;
  if (typeof message !== "string") return undefined;
  return message.replace(/\s+/g, " ").slice(0, 200);
}

function baseUrlOf(name: string, raw: string): string {
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new AmazonApiError(`${name} must be an http(s) URL such as https://api.amazon.com`);
  }
  return raw.replace(/\/+$/, "");
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

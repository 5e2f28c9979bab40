/**
 * A real OAuth 2.0 authorization server (@node-oauth/oauth2-server) as the customer's token
 * URL: in-memory storage, one client, codes issued by the test as the authorization endpoint
 * would after the user logged in. The library reads client credentials from either place; a
 * server set up for one scheme only (`clientAuth`) is the library behind a front that drops the
 * other, as a deployment that supports only client_secret_basic or client_secret_post does.
 * Refresh tokens rotate by default: a redeemed one is revoked, so presenting it again fails.
 * Lifetimes and rotation are the library's own settings (accessTokenLifetime,
 * refreshTokenLifetime, alwaysIssueNewRefreshToken); `rotation: "tolerant"` keeps a rotated
 * token valid (the grace Amazon asks for), so presenting it again gets another new one.
 */
import OAuth2Server, { AuthorizationCode, Client, RefreshToken, Token, User } from "@node-oauth/oauth2-server";
import { randomBytes } from "node:crypto";
import { createServer as createHttpsServer } from "node:https";
import { AddressInfo, Socket } from "node:net";

export const ALEXA_REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";

export interface OAuthUpstream {
  readonly url: string;
  /** Every POST to the token endpoint so far, in order (their grant_type), so a test can count them. */
  readonly tokenRequests: string[];
  /** Every access and refresh token issued so far, so a test can look for them in outputs. */
  readonly issuedTokens: string[];
  /** What the authorization endpoint would hand Alexa after the user's login; with a PKCE
   * code_challenge (S256), as it would after an authorization request that carried one. */
  issueCode(pkce?: { codeChallenge: string }): string;
  close(): Promise<void>;
}

export async function startOAuthServer(options: {
  clientId: string;
  clientSecret: string;
  tls: { key: string; cert: string };
  /** Where the server reads client credentials. @default "both" */
  clientAuth?: "both" | "basic" | "body";
  /** A token endpoint left open: it redeems any code, issued or not. @default false */
  redeemsAnyCode?: boolean;
  /** Each refresh answers a new refresh token and revokes the one presented (the library's
   * alwaysIssueNewRefreshToken); false keeps the first one and answers none. @default true */
  rotateRefreshTokens?: boolean;
  /** With rotation: "immediate" revokes the presented token (the library's way), "tolerant"
   * keeps it valid as well. @default "immediate" */
  rotation?: "immediate" | "tolerant";
  /** The library's accessTokenLifetime, i.e. expires_in. @default 3600 */
  accessTokenLifetime?: number;
  /** The library's refreshTokenLifetime (the token is refused after it), also told in the
   * answer as refresh_expires_in, as Keycloak does. Unset: the library's default (two weeks),
   * not told, as most servers answer. */
  refreshTokenLifetime?: number;
  /** The token endpoint's path. @default "/oauth/token" */
  tokenPath?: string;
  /** Headers every answer carries besides Content-Type (e.g. a Server header). */
  headers?: Record<string, string>;
  /** Set up as Home Assistant's /auth/token is (home-assistant/core components/auth): client_id
   * read from the body only (no HTTP Basic), a URL, answered 400 invalid_request "Invalid client
   * id" otherwise; the secret is not checked. `clientId` must then be a URL. */
  homeAssistant?: boolean;
}): Promise<OAuthUpstream> {
  const tokenRequests: string[] = [];
  const issuedTokens: string[] = [];
  const user: User = { id: "user-1" };
  const client: Client = {
    id: options.clientId,
    grants: ["authorization_code", "refresh_token"],
    redirectUris: [ALEXA_REDIRECT_URI],
  };
  const codes = new Map<string, AuthorizationCode>();
  // A code it never issued, taken at its word: no redirect_uri to compare either.
  const anyCode = (authorizationCode: string): AuthorizationCode =>
    ({ authorizationCode, expiresAt: new Date(Date.now() + 60_000), client, user }) as AuthorizationCode;
  const refreshTokens = new Map<string, RefreshToken>();

  const oauth = new OAuth2Server({
    model: {
      getClient: async (id: string, secret: string) =>
        id === options.clientId && (options.homeAssistant || secret === null || secret === options.clientSecret) ? client : false,
      saveToken: async (token: Token, savedClient: Client, savedUser: User) => {
        const saved = { ...token, client: savedClient, user: savedUser };
        issuedTokens.push(token.accessToken, ...(token.refreshToken ? [token.refreshToken] : []));
        if (token.refreshToken) refreshTokens.set(token.refreshToken, saved as RefreshToken);
        if (options.refreshTokenLifetime === undefined) return saved;
        // Only what an answer should carry: extended attributes are passed to the answer as they are.
        const { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt, scope } = token;
        return {
          accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt, scope, client: savedClient, user: savedUser,
          ...(refreshToken && { refresh_expires_in: options.refreshTokenLifetime }),
        };
      },
      getAccessToken: async () => false,
      verifyScope: async () => true,
      getAuthorizationCode: async (code: string) =>
        codes.get(code) ?? (options.redeemsAnyCode ? anyCode(code) : false),
      saveAuthorizationCode: async () => false as never,
      revokeAuthorizationCode: async (code: AuthorizationCode) =>
        codes.delete(code.authorizationCode) || Boolean(options.redeemsAnyCode),
      getRefreshToken: async (token: string) => refreshTokens.get(token) ?? false,
      revokeToken: async (token: RefreshToken) =>
        options.rotation === "tolerant" ? refreshTokens.has(token.refreshToken) : refreshTokens.delete(token.refreshToken),
    },
    accessTokenLifetime: options.accessTokenLifetime ?? 3600,
    ...(options.refreshTokenLifetime !== undefined && { refreshTokenLifetime: options.refreshTokenLifetime, allowExtendedTokenAttributes: true }),
    alwaysIssueNewRefreshToken: options.rotateRefreshTokens ?? true,
    allowBearerTokensInQueryString: false,
  });

  const sockets = new Set<Socket>();
  const server = createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const headers = { ...(req.headers as Record<string, string>) };
      const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
      if (req.method === "POST") tokenRequests.push(body.grant_type ?? "");
      if (options.clientAuth === "body" || options.homeAssistant) delete headers.authorization;
      const answer = (status: number, json: unknown, extra: Record<string, string> = {}) => {
        res.writeHead(status, { "Content-Type": "application/json;charset=UTF-8", ...options.headers, ...extra });
        res.end(JSON.stringify(json));
      };
      if ((req.url ?? "").split("?")[0] !== (options.tokenPath ?? "/oauth/token")) return answer(404, { error: "not_found" });
      if (options.homeAssistant && (body.client_id === undefined || !URL.canParse(body.client_id))) {
        return answer(400, { error: "invalid_request", error_description: "Invalid client id" });
      }
      if (options.clientAuth === "basic") {
        delete body.client_id;
        delete body.client_secret;
      }
      const request = new OAuth2Server.Request({ method: req.method ?? "POST", headers, query: {}, body });
      const response = new OAuth2Server.Response();
      try {
        await oauth.token(request, response);
      } catch {
        // The library has already put the RFC 6749 error into `response`.
      }
      answer(response.status ?? 500, response.body ?? {}, response.headers as Record<string, string>);
    });
  });
  server.on("secureConnection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}${options.tokenPath ?? "/oauth/token"}`,
    tokenRequests,
    issuedTokens,
    issueCode: (pkce) => {
      const authorizationCode = randomBytes(20).toString("hex");
      codes.set(authorizationCode, {
        authorizationCode,
        expiresAt: new Date(Date.now() + 5 * 60_000),
        redirectUri: ALEXA_REDIRECT_URI,
        client,
        user,
        ...(pkce && { codeChallenge: pkce.codeChallenge, codeChallengeMethod: "S256" }),
      });
      return authorizationCode;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

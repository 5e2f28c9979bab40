/**
 * Real HTTPS authorization endpoints on 127.0.0.1, written the way popular OAuth servers answer
 * a login request, each with an allow-list of redirect URLs:
 * - "error page": an unregistered redirect_uri gets a 400 HTML page naming it (Keycloak,
 *   Auth0, Cognito show a page like this); a registered one is sent to the login page;
 * - "error redirect": an unregistered redirect_uri is redirected to with ?error=invalid_request
 *   (some home-grown servers); a registered one gets the login page, with a fresh CSRF token;
 * - "never checks": everything goes to the login page, redirect_uri unread until after login;
 * - "requires pkce": a request without code_challenge is redirected back with
 *   error=invalid_request and a description naming PKCE (as Okta words it: "PKCE code challenge
 *   is required when the token endpoint authentication method is 'NONE'."), else the login page;
 * - the real @node-oauth/oauth2-server authorize handler, with a user already logged in, which
 *   redirects back with a code for a registered redirect_uri and answers 400 JSON otherwise.
 */
import OAuth2Server, { AuthorizationCode, Client } from "@node-oauth/oauth2-server";
import { randomBytes } from "node:crypto";
import { IncomingMessage, ServerResponse } from "node:http";
import { LeafCertificate } from "./pki";
import { startHttpsServer, TestServer } from "./tls-servers";

export type AuthorizeBehaviour = "error page" | "error redirect" | "never checks" | "requires pkce" | "oauth2-server";

export interface AuthorizeServer extends TestServer {
  /** https://127.0.0.1:PORT/oauth/authorize */
  readonly authorizeUrl: string;
}

export async function startAuthorizeServer(options: {
  behaviour: AuthorizeBehaviour;
  /** Full redirect URLs the client registered. */
  registered: readonly string[];
  certificate: LeafCertificate;
  /** The chain (default) or the leaf alone. */
  send?: "chain" | "leaf";
  clientId?: string;
}): Promise<AuthorizeServer> {
  const handler = options.behaviour === "oauth2-server" ? oauthLibraryHandler(options) : handwritten(options.behaviour, options.registered);
  const tls = { key: options.certificate.key, cert: options.send === "leaf" ? options.certificate.cert : options.certificate.chain };
  const server = await startHttpsServer(tls, handler);
  return { ...server, authorizeUrl: `https://127.0.0.1:${server.port}/oauth/authorize` };
}

function handwritten(behaviour: AuthorizeBehaviour, registered: readonly string[]) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    const state = url.searchParams.get("state") ?? "";
    const loginPage = `/login?return_to=${encodeURIComponent(url.pathname + url.search)}`;
    if (behaviour === "requires pkce") {
      const challenged = url.searchParams.get("code_challenge") !== null && url.searchParams.get("code_challenge_method") === "S256";
      const refusal = `${redirectUri}?${new URLSearchParams({ error: "invalid_request", error_description: "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.", state })}`;
      response.writeHead(302, { Location: challenged ? loginPage : refusal }).end();
      return;
    }
    if (behaviour === "never checks" || (behaviour === "error page" && registered.includes(redirectUri))) {
      response.writeHead(302, { Location: loginPage }).end();
    } else if (behaviour === "error page") {
      response
        .writeHead(400, { "Content-Type": "text/html; charset=utf-8" })
        .end(`<html><body><h1>Invalid redirect_uri</h1><p>${redirectUri} is not registered for this client.</p></body></html>`);
    } else if (registered.includes(redirectUri)) {
      const csrf = randomBytes(24).toString("base64url");
      response
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(`<html><body><form method="post" action="/login"><input type="hidden" name="csrf" value="${csrf}">` +
          `<input type="hidden" name="state" value="${state}"><input name="user"><input type="password" name="password"></form></body></html>`);
    } else {
      response.writeHead(302, { Location: `${redirectUri}?error=invalid_request&state=${state}` }).end();
    }
  };
}

function oauthLibraryHandler(options: { registered: readonly string[]; clientId?: string }) {
  const client: Client = { id: options.clientId ?? "alexa-skill", grants: ["authorization_code"], redirectUris: [...options.registered] };
  const oauth = new OAuth2Server({
    model: {
      getClient: async (id: string) => (id === client.id ? client : false),
      saveAuthorizationCode: async (code: AuthorizationCode) => ({ ...code, client, user: { id: "user-1" } }),
      getAccessToken: async () => false,
      getAuthorizationCode: async () => false,
      revokeAuthorizationCode: async () => false,
      saveToken: async () => false as never,
      verifyScope: async () => true,
    },
  });
  return async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const oauthRequest = new OAuth2Server.Request({
      method: request.method ?? "GET",
      headers: request.headers as Record<string, string>,
      query: Object.fromEntries(url.searchParams),
      body: {},
    });
    const oauthResponse = new OAuth2Server.Response();
    try {
      // The user has logged in already: the library goes straight on to the code.
      await oauth.authorize(oauthRequest, oauthResponse, { authenticateHandler: { handle: async () => ({ id: "user-1" }) } });
    } catch (caught) {
      // As express-oauth-server answers: the library's redirect when it made one (the redirect_uri
      // was valid), else the error as JSON with its status.
      if (!oauthResponse.headers?.location) {
        const error = caught as { code?: number; name?: string; message?: string };
        response.writeHead(error.code ?? 500, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ error: error.name, error_description: error.message }));
        return;
      }
    }
    response.writeHead(oauthResponse.status ?? 500, oauthResponse.headers);
    response.end();
  };
}

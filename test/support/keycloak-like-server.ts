/**
 * A token URL answering as Keycloak does with its defaults (not Keycloak itself, which needs a
 * JVM): realm "demo", token endpoint /realms/demo/protocol/openid-connect/token, `expires_in`
 * 300 (Access Token Lifespan), `refresh_expires_in` 1800 (SSO Session Idle), a refresh token
 * that is a JWT whose `exp` says the same, and a discovery document at
 * /realms/demo/.well-known/openid-configuration that offers `offline_access`. Any other path
 * is a 404, as Keycloak's. Every request is kept, so a test can count them.
 */
import { IncomingMessage } from "node:http";
import { startHttpsServer, TestServer } from "./tls-servers";
import { testPki } from "./pki";

export const KEYCLOAK_REALM_PATH = "/realms/demo";

export interface KeycloakLike extends TestServer {
  readonly origin: string;
  readonly requests: { method: string; path: string }[];
  /** The refresh token of the last answer, so a test can look for it in outputs. */
  readonly issued: string[];
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startKeycloakLike(options: { scope?: string; accessLifetime?: number; refreshLifetime?: number } = {}): Promise<KeycloakLike> {
  const requests: { method: string; path: string }[] = [];
  const issued: string[] = [];
  let origin = "";
  const server = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (request: IncomingMessage, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "/";
      requests.push({ method: request.method ?? "", path });
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" });
        response.end(JSON.stringify(body));
      };
      if (request.method === "GET" && path === `${KEYCLOAK_REALM_PATH}/.well-known/openid-configuration`) {
        json(200, {
          issuer: `${origin}${KEYCLOAK_REALM_PATH}`,
          authorization_endpoint: `${origin}${KEYCLOAK_REALM_PATH}/protocol/openid-connect/auth`,
          token_endpoint: `${origin}${KEYCLOAK_REALM_PATH}/protocol/openid-connect/token`,
          grant_types_supported: ["authorization_code", "refresh_token"],
          scopes_supported: ["openid", "profile", "email", "offline_access"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          code_challenge_methods_supported: ["plain", "S256"],
        });
        return;
      }
      if (request.method === "POST" && path === `${KEYCLOAK_REALM_PATH}/protocol/openid-connect/token`) {
        const now = Math.floor(Date.now() / 1000);
        const refreshLifetime = options.refreshLifetime ?? 1800;
        const refresh = `${base64url({ alg: "HS512", typ: "JWT" })}.${base64url({ exp: now + refreshLifetime, iat: now, typ: "Refresh", jti: crypto.randomUUID() })}.c2lnbmF0dXJl${crypto.randomUUID().replace(/-/g, "")}`;
        issued.push(refresh);
        json(200, {
          access_token: `kc-access-${crypto.randomUUID()}`,
          expires_in: options.accessLifetime ?? 300,
          refresh_expires_in: refreshLifetime,
          refresh_token: refresh,
          token_type: "Bearer",
          "not-before-policy": 0,
          session_state: crypto.randomUUID(),
          scope: options.scope ?? "profile email",
        });
        return;
      }
      json(404, { error: "Unable to find matching target resource method" });
    });
  });
  origin = `https://127.0.0.1:${server.port}`;
  return { ...server, url: `${origin}${KEYCLOAK_REALM_PATH}/protocol/openid-connect/token`, origin, requests, issued };
}

/**
 * Recorded answers of the products the debugger recognises, written from each product's public
 * docs and from captures quoted in public issues (sources beside each). Only the parts that
 * identification reads are kept: the token URL, the answer's headers and body, and the
 * metadata document where the product serves one.
 */
import { IdentificationFacts } from "../../../functions/token-url/diagnosis/server-identification";
import { ServerMetadata } from "../../../functions/token-url/upstream/server-metadata";

const metadata = (fields: Partial<ServerMetadata>): ServerMetadata => ({
  url: "",
  issuer: null,
  scopesSupported: null,
  tokenEndpointAuthMethodsSupported: null,
  codeChallengeMethodsSupported: null,
  grantTypesSupported: null,
  tokenEndpoint: null,
  authorizationEndpoint: null,
  ...fields,
});

export const SERVER_FIXTURES: Record<string, IdentificationFacts> = {
  // developers.home-assistant.io "Authentication API" (the error body); home-assistant/core
  // homeassistant/components/auth/__init__.py (TokenView answers it when client_id is missing
  // from the body); HA runs aiohttp on 8123 (the Server header aiohttp sets: "Python/3.12 aiohttp/3.9.5").
  "Home Assistant": {
    url: "https://home.example.org:8123/auth/token",
    headers: { "content-type": "application/json; charset=utf-8", server: "Python/3.12 aiohttp/3.9.5" },
    body: '{"error": "invalid_request", "error_description": "Invalid client id"}',
    metadata: null,
  },
  // Keycloak Server Administration Guide (token endpoint path) and keycloak/keycloak
  // AccessTokenResponse (refresh_expires_in, not-before-policy, session_state), as curl shows it
  // in keycloak/keycloak discussions of the token endpoint.
  Keycloak: {
    url: "https://sso.example.com/realms/alexa/protocol/openid-connect/token",
    headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" },
    body: JSON.stringify({
      access_token: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
      expires_in: 300,
      refresh_expires_in: 1800,
      refresh_token: "eyJhbGciOiJIUzUxMiJ9.e30.c2ln",
      token_type: "Bearer",
      "not-before-policy": 0,
      session_state: "2c3a0f8e-7b3c-4f4e-9a57-3d5e0a1b2c3d",
      scope: "profile email",
    }),
    metadata: metadata({ issuer: "https://sso.example.com/realms/alexa" }),
  },
  // Amazon Cognito Developer Guide, "The token endpoint": the user pool domain and its error
  // body ({"error":"invalid_client"}); x-amz-cognito-request-id on every answer.
  "Amazon Cognito": {
    url: "https://alexa-demo.auth.us-east-1.amazoncognito.com/oauth2/token",
    headers: { "content-type": "application/json;charset=UTF-8", "x-amz-cognito-request-id": "5b0e0a3e-2f4b-4c0b-9d58-0b8a8a1b2c3d" },
    body: '{"error":"invalid_client"}',
    metadata: null,
  },
  // Auth0 Authentication API, "Get Token" (POST /oauth/token) and its error body; the
  // x-auth0-requestid header Auth0 sets.
  Auth0: {
    url: "https://alexa-demo.us.auth0.com/oauth/token",
    headers: { "content-type": "application/json", "x-auth0-requestid": "8d6f5e4c3b2a1f0e9d8c" },
    body: '{"error":"invalid_grant","error_description":"Invalid authorization code"}',
    metadata: null,
  },
  // Okta OpenID Connect & OAuth 2.0 API, /oauth2/default/v1/token and its error body; the
  // x-okta-request-id header.
  Okta: {
    url: "https://dev-123456.okta.com/oauth2/default/v1/token",
    headers: { "content-type": "application/json", "x-okta-request-id": "Y2xpZW50LXJlcXVlc3Q" },
    body: '{"error":"invalid_grant","error_description":"The authorization code is invalid or has expired."}',
    metadata: null,
  },
  // Microsoft identity platform, "Token Issuance Endpoint Errors" (an error body with
  // error_codes, trace_id, correlation_id) and the v2.0 token endpoint.
  "Microsoft Entra ID": {
    url: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
    headers: { "content-type": "application/json; charset=utf-8", "x-ms-ests-server": "2.1.17396.6 - SCUS ProdSlices" },
    body: JSON.stringify({
      error: "invalid_client",
      error_description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0000aaaa\r\nCorrelation ID: aaaa0000\r\nTimestamp: 2024-02-28 10:59:21Z",
      error_codes: [7000215],
      timestamp: "2024-02-28 10:59:21Z",
      trace_id: "0000aaaa-11bb-cccc-dd22-eeeeee333333",
      correlation_id: "aaaa0000-bb11-2222-33cc-444444dddddd",
    }),
    metadata: null,
  },
  // Google Identity, "Using OAuth 2.0 for Web Server Applications" (token endpoint, error body).
  Google: {
    url: "https://oauth2.googleapis.com/token",
    headers: { "content-type": "application/json; charset=utf-8", server: "scaffolding on HTTPServer2" },
    body: '{\n  "error": "invalid_grant",\n  "error_description": "Bad Request"\n}',
    metadata: null,
  },
};

export const FRONT_FIXTURES: Record<string, IdentificationFacts> = {
  // Cloudflare docs, "Detect a Challenge Page response" (cf-mitigated), and the cf-ray header on
  // every proxied answer.
  Cloudflare: {
    url: "https://ha.example.net/auth/token",
    headers: { "content-type": "text/html; charset=UTF-8", server: "cloudflare", "cf-ray": "8c1f2a3b4c5d6e7f-FRA", "cf-mitigated": "challenge" },
    body: "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>",
    metadata: null,
  },
  // AWS WAF API Reference, ChallengeAction: 202 with x-amzn-waf-action: challenge.
  "AWS WAF": {
    url: "https://auth.example.com/oauth/token",
    headers: { "x-amzn-waf-action": "challenge", "x-amz-cf-id": "abcDEF==", via: "1.1 abc.cloudfront.net (CloudFront)" },
    body: "",
    metadata: null,
  },
  // CloudFront Developer Guide: X-Amz-Cf-Id, Via and X-Cache on its answers.
  "Amazon CloudFront": {
    url: "https://auth.example.com/oauth/token",
    headers: { "x-amz-cf-id": "abcDEF==", via: "1.1 abc.cloudfront.net (CloudFront)", "x-cache": "Error from cloudfront" },
    body: "<html>403 ERROR</html>",
    metadata: null,
  },
};

import { metadataCandidates, parseServerMetadata } from "../../../functions/token-url/upstream/server-metadata";

describe("metadataCandidates", () => {
  test("GIVEN Keycloak's token URL THEN each path prefix, most specific first, both names in both forms, the realm among them", () => {
    const candidates = metadataCandidates("https://id.example.com/realms/demo/protocol/openid-connect/token");
    expect(candidates.slice(0, 4)).toEqual([
      "https://id.example.com/.well-known/oauth-authorization-server/realms/demo/protocol/openid-connect",
      "https://id.example.com/.well-known/openid-configuration/realms/demo/protocol/openid-connect",
      "https://id.example.com/realms/demo/protocol/openid-connect/.well-known/oauth-authorization-server",
      "https://id.example.com/realms/demo/protocol/openid-connect/.well-known/openid-configuration",
    ]);
    expect(candidates).toContain("https://id.example.com/realms/demo/.well-known/openid-configuration");
    expect(candidates).toContain("https://id.example.com/.well-known/oauth-authorization-server/realms/demo");
    expect(candidates.slice(-2)).toEqual([
      "https://id.example.com/.well-known/oauth-authorization-server",
      "https://id.example.com/.well-known/openid-configuration",
    ]);
    expect(new Set(candidates).size).toBe(candidates.length);
    expect(candidates).toHaveLength(4 * 4 + 2);
  });

  test("GIVEN a token URL at the origin's top level THEN the two origin documents only", () => {
    expect(metadataCandidates("https://auth.example.com:8443/token?x=1")).toEqual([
      "https://auth.example.com:8443/.well-known/oauth-authorization-server",
      "https://auth.example.com:8443/.well-known/openid-configuration",
    ]);
  });

  test("GIVEN a very deep path THEN at most four prefixes and the origin", () => {
    expect(metadataCandidates("https://a.example/1/2/3/4/5/6/token")).toHaveLength(4 * 4 + 2);
  });

  test("GIVEN no URL THEN none", () => {
    expect(metadataCandidates("not a url")).toEqual([]);
    expect(metadataCandidates("ftp://a.example/token")).toEqual([]);
  });
});

describe("parseServerMetadata", () => {
  test("GIVEN a discovery document THEN its fields; wrong types read as null", () => {
    const metadata = parseServerMetadata(
      "https://a.example/.well-known/openid-configuration",
      JSON.stringify({ issuer: "https://a.example", scopes_supported: ["openid", "offline_access", 7], token_endpoint: 5, grant_types_supported: "refresh_token" }),
    );
    expect(metadata).toEqual({
      url: "https://a.example/.well-known/openid-configuration",
      issuer: "https://a.example",
      scopesSupported: ["openid", "offline_access"],
      tokenEndpointAuthMethodsSupported: null,
      codeChallengeMethodsSupported: null,
      grantTypesSupported: null,
      tokenEndpoint: null,
      authorizationEndpoint: null,
    });
  });

  test.each([
    ["an HTML login page", "<html><body>Sign in</body></html>"],
    ["a JSON array", "[]"],
    ["a token answer (a catch-all route)", JSON.stringify({ access_token: "x", token_type: "Bearer" })],
    ["JSON null", "null"],
  ])("GIVEN %s THEN not a document", (_name, body) => {
    expect(parseServerMetadata("https://a.example/x", body)).toBeNull();
  });
});

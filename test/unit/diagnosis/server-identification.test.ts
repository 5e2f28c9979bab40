import { identifyServer, IDENTIFIED_AT } from "../../../functions/token-url/diagnosis/server-identification";
import { FRONT_FIXTURES, SERVER_FIXTURES } from "./server-fixtures";

describe("identifyServer", () => {
  test.each(Object.entries(SERVER_FIXTURES))("GIVEN %s's recorded answer THEN it is named, with its evidence", (name, facts) => {
    const { server } = identifyServer(facts);
    expect(server?.name).toBe(name);
    expect(server!.score).toBeGreaterThanOrEqual(IDENTIFIED_AT);
    expect(server!.evidence.length).toBeGreaterThan(0);
  });

  test.each(Object.entries(FRONT_FIXTURES))("GIVEN %s in front THEN it is named as the front", (name, facts) => {
    expect(identifyServer(facts).front?.name).toBe(name);
  });

  test("GIVEN Home Assistant behind Cloudflare THEN both are named", () => {
    const facts = { ...SERVER_FIXTURES["Home Assistant"], headers: { ...SERVER_FIXTURES["Home Assistant"].headers, "cf-ray": "8c1f-FRA" } };
    const identity = identifyServer(facts);
    expect([identity.server?.name, identity.front?.name]).toEqual(["Home Assistant", "Cloudflare"]);
  });

  describe("negatives: never from a name merely mentioned, nor from one weak signal", () => {
    test("GIVEN an error that mentions every product by name THEN nothing is identified", () => {
      const identity = identifyServer({
        url: "https://auth.example.com/token",
        headers: { "content-type": "application/json", server: "nginx" },
        body: '{"error":"invalid_client","error_description":"Not Keycloak, Auth0, Okta, Cognito, Entra ID, Google, Home Assistant or Cloudflare"}',
        metadata: null,
      });
      expect(identity).toEqual({ server: null, front: null });
    });

    test("GIVEN a host named keycloak.example.com with a generic path THEN not Keycloak (one weak signal)", () => {
      expect(identifyServer({ url: "https://keycloak.example.com/oauth/token", headers: {}, body: "", metadata: null }).server).toBeNull();
    });

    test("GIVEN a host that only contains a vendor's name (auth0.example.com, okta.example.org) THEN nothing", () => {
      for (const url of ["https://auth0.example.com/oauth/token", "https://okta.example.org/oauth2/v1/token/x", "https://login.microsoftonline.com.evil.example/t/oauth2/token"]) {
        expect(identifyServer({ url, headers: {}, body: "", metadata: null }).server).toBeNull();
      }
    });

    test("GIVEN only Home Assistant's path /auth/token (weak) THEN not Home Assistant", () => {
      expect(identifyServer({ url: "https://auth.example.com/auth/token", headers: { server: "nginx" }, body: "{}", metadata: null }).server).toBeNull();
    });

    test("GIVEN the text of a Cloudflare page without Cloudflare's headers THEN no front", () => {
      expect(identifyServer({ url: "https://a.example/token", headers: {}, body: "<title>Just a moment...</title> cloudflare", metadata: null }).front).toBeNull();
    });
  });
});

import { lookupServerMetadata } from "../../functions/token-url/upstream/server-metadata";
import { startKeycloakLike } from "../support/keycloak-like-server";
import { testPki, trustStore } from "../support/pki";
import { httpsWith } from "../support/token-answers";

// Twelve TLS handshakes fit the real 1.5 s budget on a quiet machine, not beside other test
// files on a busy 2-core one: the tests about what is found give the lookup room; the budget
// itself has its own test below (totalTimeoutMs 300).
const ROOM = { trustedCa: trustStore(), totalTimeoutMs: 15_000, connectTimeoutMs: 5_000 };

describe("lookupServerMetadata against real local HTTPS servers", () => {
  test("GIVEN a Keycloak-shaped server THEN the realm's discovery document is found from the token URL, by GETs only", async () => {
    const server = await startKeycloakLike();
    try {
      const lookup = await lookupServerMetadata(server.url, ROOM);
      expect(lookup.found?.url).toBe(`${server.origin}/realms/demo/.well-known/openid-configuration`);
      expect(lookup.found?.issuer).toBe(`${server.origin}/realms/demo`);
      expect(lookup.found?.scopesSupported).toContain("offline_access");
      // Two prefixes deeper than the realm (four URLs each), then the realm's four.
      expect(lookup.tried).toHaveLength(12);
      expect(lookup.tried).toContain(lookup.found?.url);
      expect(server.requests.map((request) => request.method)).toEqual(Array(12).fill("GET"));
      expect(lookup.timeMs).toBeGreaterThanOrEqual(0);
    } finally {
      await server.close();
    }
  });

  test("GIVEN a server with no metadata THEN nothing found, every candidate tried, no throw", async () => {
    const server = await startKeycloakLike();
    try {
      const lookup = await lookupServerMetadata(`${server.origin}/oauth/token`, ROOM);
      expect(lookup.found).toBeNull();
      expect(lookup.tried).toEqual([
        `${server.origin}/.well-known/oauth-authorization-server/oauth`,
        `${server.origin}/.well-known/openid-configuration/oauth`,
        `${server.origin}/oauth/.well-known/oauth-authorization-server`,
        `${server.origin}/oauth/.well-known/openid-configuration`,
        `${server.origin}/.well-known/oauth-authorization-server`,
        `${server.origin}/.well-known/openid-configuration`,
      ]);
    } finally {
      await server.close();
    }
  });

  test("GIVEN an expired certificate THEN no request is sent and nothing found", async () => {
    let requests = 0;
    const server = await httpsWith(testPki().expired, (_request, response) => {
      requests += 1;
      response.end("{}");
    })();
    try {
      const lookup = await lookupServerMetadata(server.url, ROOM);
      expect(lookup.found).toBeNull();
      expect(requests).toBe(0);
    } finally {
      await server.close();
    }
  });

  test("GIVEN a server that never answers THEN the lookup ends within its bound", async () => {
    const server = await httpsWith(testPki().valid, () => undefined)();
    try {
      const started = performance.now();
      const lookup = await lookupServerMetadata(server.url, { trustedCa: trustStore(), totalTimeoutMs: 300 });
      expect(lookup.found).toBeNull();
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await server.close();
    }
  });
});

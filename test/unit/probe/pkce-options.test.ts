import { alexaTokenRequest, newCodeVerifier } from "../../../scripts/probe/alexa-request";
import { parseProbeOptions, ProbeOptions } from "../../../scripts/probe/probe-options";

const URL_ = "https://auth.example.com/oauth/token";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 Appendix B

function parsed(argv: string[], env: NodeJS.ProcessEnv = {}): ProbeOptions {
  const options = parseProbeOptions([URL_, ...argv], env);
  if (options === "help") throw new Error("unexpected --help");
  return options;
}

describe("--pkce", () => {
  test("GIVEN --pkce and ALEXA_CODE_VERIFIER THEN the verifier is taken from the environment", () => {
    expect(parsed(["--pkce"], { ALEXA_CODE_VERIFIER: VERIFIER })).toMatchObject({ pkce: true, codeVerifier: VERIFIER });
  });

  test("GIVEN --pkce alone THEN PKCE on, no verifier yet (the run makes a fresh one)", () => {
    const options = parsed(["--pkce"]);
    expect(options.pkce).toBe(true);
    expect(options.codeVerifier).toBeUndefined();
  });

  test("GIVEN --pkce with the refresh grant THEN a one-line usage error: Alexa sends no verifier with a refresh", () => {
    expect(() => parsed(["--pkce", "--grant", "refresh_token"], { ALEXA_REFRESH_TOKEN: "r" })).toThrow(/--pkce goes with --grant authorization_code/);
  });

  test("GIVEN an ALEXA_CODE_VERIFIER outside RFC 7636's alphabet or length THEN a usage error that does not echo it", () => {
    for (const bad of ["short", `${"a".repeat(42)}!`, "a".repeat(129)]) {
      let message = "";
      try {
        parsed(["--pkce"], { ALEXA_CODE_VERIFIER: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/ALEXA_CODE_VERIFIER must be 43 to 128 characters/);
      expect(message).not.toContain(bad);
    }
  });

  test("GIVEN a verifier THEN the code request carries code_verifier, and a fresh verifier is 43 base64url characters", () => {
    const request = alexaTokenRequest({ ...parsed([]), codeVerifier: VERIFIER });
    expect(new URLSearchParams(request.body.toString()).get("code_verifier")).toBe(VERIFIER);
    expect(newCodeVerifier()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newCodeVerifier()).not.toBe(newCodeVerifier());
  });

  test("GIVEN a refresh request THEN no code_verifier, even when one is at hand", () => {
    const request = alexaTokenRequest({ ...parsed(["--grant", "refresh_token"], { ALEXA_REFRESH_TOKEN: "r" }), codeVerifier: VERIFIER });
    expect(new URLSearchParams(request.body.toString()).has("code_verifier")).toBe(false);
  });
});

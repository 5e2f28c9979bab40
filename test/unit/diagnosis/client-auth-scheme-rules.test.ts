import { rejectsClient } from "../../../functions/token-url/diagnosis/client-auth-scheme-rules";
import { oauthErrorFindings } from "../../../functions/token-url/diagnosis/oauth-error-rules";
import { UpstreamExchange } from "../../../functions/token-url/diagnosis/exchange";

const answer = (body: unknown): UpstreamExchange => ({
  url: "https://ha.example.com/auth/token",
  status: 400,
  headers: { "content-type": "application/json" },
  body: Buffer.from(JSON.stringify(body)),
  receivedBytes: 0,
  declaredLength: null,
  bodyCapped: false,
  timings: { dnsMs: null, connectMs: 1, tlsMs: 1, ttfbMs: 1, totalMs: 3 },
  tls: null,
  error: null,
});
const findingsFor = (body: unknown) =>
  oauthErrorFindings(
    { contentType: "application/x-www-form-urlencoded", clientAuth: "basic", grantType: "authorization_code", redirectUri: null, clientId: "x" },
    answer(body),
    { mode: "probe", now: new Date(), slowResponseMs: 3000 },
  );

test("GIVEN Home Assistant's invalid_request naming the client id THEN the scheme retry runs", () => {
  expect(rejectsClient(findingsFor({ error: "invalid_request", error_description: "Invalid client id" }))).toBe(true);
});

test("GIVEN an invalid_request about another parameter THEN no scheme retry", () => {
  expect(rejectsClient(findingsFor({ error: "invalid_request", error_description: "Missing parameter: code" }))).toBe(false);
});

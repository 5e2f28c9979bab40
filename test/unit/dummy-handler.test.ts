import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { alexaEvent, basicAuth } from "../support/events";
import { testSettings } from "../support/settings";

const DUMMY = testSettings();

// Distinctive values: if any appears in a record, a secret leaked.
const CANARIES = {
  code: "CANARY-code-5f1e",
  secret: "CANARY-secret-9d2a",
  refresh: "CANARY-refresh-77b0",
  verifier: "CANARY-verifier-1c3d",
};

async function run(event: Parameters<typeof handleTokenRequest>[0]) {
  const records: AttemptRecord[] = [];
  const response = await handleTokenRequest(event, DUMMY, (record) => records.push(record));
  return { response, records };
}

describe("dummy mode", () => {
  test("GIVEN API Gateway received the request 5 s before the Lambda ran (a slow cold start) THEN ALEXA_TIMEOUT on what Alexa waited", async () => {
    const { records } = await run(
      alexaEvent({ body: "grant_type=authorization_code&code=x", requestTimeEpoch: Date.now() - 5_000 }),
    );
    expect(records[0].findings.map((finding) => finding.code)).toEqual(["ALEXA_TIMEOUT", "DUMMY_RESPONSE"]);
    expect(records[0].deadline).toMatchObject({ limitMs: 4_500, upstreamMs: null });
    expect(records[0].deadline!.waitedMs).toBeGreaterThanOrEqual(5_000);
    expect(records[0].deadline!.debuggerMs).toBe(records[0].deadline!.waitedMs);
  });

  test("GIVEN Alexa's authorization-code request with HTTP Basic THEN a valid RFC 6749 token response", async () => {
    const { response } = await run(
      alexaEvent({
        body: `grant_type=authorization_code&code=${CANARIES.code}&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA`,
        headers: { Authorization: basicAuth("alexa-skill", CANARIES.secret) },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({
      contentType: "application/json;charset=UTF-8",
      cacheControl: "no-store",
      pragma: "no-cache",
    });
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: expect.any(String),
    });
  });

  test("GIVEN a refresh grant with credentials in the body THEN a fresh token pair", async () => {
    const { response, records } = await run(
      alexaEvent({
        body: `grant_type=refresh_token&refresh_token=${CANARIES.refresh}&client_id=alexa-skill&client_secret=${CANARIES.secret}`,
      }),
    );
    expect(JSON.parse(response.body).refresh_token).not.toBe(CANARIES.refresh);
    expect(records[0].request).toMatchObject({ clientAuth: "body", grantType: "refresh_token" });
  });

  test("logs exactly one record with the contract's fields, DUMMY_RESPONSE and no secret in clear", async () => {
    const event = alexaEvent({
      body: `grant_type=authorization_code&code=${CANARIES.code}&code_verifier=${CANARIES.verifier}&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FX`,
      headers: { Authorization: basicAuth("alexa-skill", CANARIES.secret) },
      requestId: "req-123",
    });
    const { response, records } = await run(event);
    expect(records).toHaveLength(1);
    const record = records[0];
    expect(record).toMatchObject({
      type: "token-attempt",
      version: 1,
      attemptId: "req-123",
      time: new Date(event.requestTimeEpoch!).toISOString(), // when API Gateway received it
      mode: "dummy",
      verdict: "pass",
      upstream: null,
      response: { status: 200, contentType: "application/json;charset=UTF-8" },
      request: {
        clientAuth: "basic",
        grantType: "authorization_code",
        sourceIp: "52.94.236.248",
        fields: {
          grant_type: "authorization_code",
          code: fingerprint(CANARIES.code),
          code_verifier: fingerprint(CANARIES.verifier),
          redirect_uri: "https://layla.amazon.com/api/skill/link/X",
        },
      },
    });
    expect(record.request.headers.authorization).toBe(
      `Basic client_id="alexa-skill" client_secret=${fingerprint(CANARIES.secret)}`,
    );
    expect(record.findings.map((finding) => finding.code)).toEqual(["DUMMY_RESPONSE"]);
    const logged = JSON.stringify(record);
    for (const canary of Object.values(CANARIES)) expect(logged).not.toContain(canary);
    // The dummy's own tokens are secrets too once Alexa holds them.
    expect(logged).not.toContain(JSON.parse(response.body).access_token);
  });

  test("GIVEN a JSON body and credentials both ways THEN still answered, with warnings", async () => {
    const { response, records } = await run(
      alexaEvent({
        body: `{"grant_type":"authorization_code","client_secret":"${CANARIES.secret}"}`,
        headers: { "Content-Type": "application/json", Authorization: basicAuth("id", CANARIES.secret) },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(records[0].verdict).toBe("warn");
    expect(records[0].findings.map((finding) => finding.code)).toEqual(["REQUEST_NOT_FORM", "CLIENT_AUTH_BOTH", "DUMMY_RESPONSE"]);
    expect(JSON.stringify(records[0])).not.toContain(CANARIES.secret);
  });

  test.each([
    ["null", null],
    ["an empty object", {}],
    ["garbage fields", { bodyBase64: 42, headersBase64: "x", requestTimeEpoch: "soon" }],
    ["an impossible time and broken pairs", { requestTimeEpoch: 1e20, headersBase64: [[1, 2], ["x"]], queryBase64: null }],
  ])("GIVEN a malformed event (%s) THEN still answered and still recorded", async (_name, event) => {
    const { response, records } = await run(event as never);
    expect(response.statusCode).toBe(200);
    expect(records).toHaveLength(1);
    expect(records[0].attemptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(records[0].request.clientAuth).toBe("none");
  });

  test("GIVEN EXPIRES_IN_OVERRIDE THEN the dummy's token lasts that long, and a refresh gets a fresh pair", async () => {
    const settings = testSettings({ expiresInOverride: 120 });
    const records: AttemptRecord[] = [];
    const send = async (body: string) =>
      JSON.parse((await handleTokenRequest(alexaEvent({ body }), settings, (record) => records.push(record))).body);
    const first = await send(`grant_type=authorization_code&code=${CANARIES.code}`);
    expect(first.expires_in).toBe(120);
    const refreshed = await send(`grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    expect(refreshed).toMatchObject({ token_type: "Bearer", expires_in: 120 });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    // The lineage chains the two, in fingerprints only.
    expect(records[1].lineage).toEqual({
      refreshTokenPresented: fingerprint(first.refresh_token),
      refreshTokenIssued: fingerprint(refreshed.refresh_token),
      accessTokenIssued: fingerprint(refreshed.access_token),
      expiresIn: 120,
    });
    expect(records[0].lineage?.refreshTokenIssued).toBe(records[1].lineage?.refreshTokenPresented);
    const logged = JSON.stringify(records);
    for (const token of [first.access_token, first.refresh_token, refreshed.access_token, refreshed.refresh_token]) expect(logged).not.toContain(token);
  });
});

import { expiresInOverridden, withExpiresIn } from "../../functions/token-url/expires-in-override";
import { TokenResponse } from "../../functions/token-url/token-response";

const answer = (statusCode: number, body: string): TokenResponse => ({ statusCode, headers: { contentType: "application/json" }, body });

describe("EXPIRES_IN_OVERRIDE on the answer Alexa gets", () => {
  test("GIVEN a 200 token answer THEN only expires_in changes, and the server's value is kept", () => {
    const body = '{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"r","scope":"x"}';
    const changed = withExpiresIn(answer(200, body), 120)!;
    expect(JSON.parse(changed.response.body)).toEqual({ ...JSON.parse(body), expires_in: 120 });
    expect(changed.response.headers).toEqual({ contentType: "application/json" });
    expect(changed.original).toBe(3600);
  });

  test("GIVEN a token answer without expires_in or with a string one THEN it is set, and the finding quotes the server's", () => {
    expect(withExpiresIn(answer(200, '{"access_token":"a"}'), 90)).toMatchObject({ original: undefined });
    const stringly = withExpiresIn(answer(200, '{"access_token":"a","expires_in":"3600"}'), 90)!;
    expect(expiresInOverridden(stringly.original, 90).message).toContain('your server answered expires_in "3600"');
    expect(expiresInOverridden(undefined, 90)).toMatchObject({ code: "EXPIRES_IN_OVERRIDDEN", severity: "info" });
  });

  test.each([
    ["an OAuth error", answer(400, '{"error":"invalid_grant"}')],
    ["a 201", answer(201, '{"access_token":"a","expires_in":3600}')],
    ["an HTML page", answer(200, "<html>login</html>")],
    ["JSON without an access token", answer(200, '{"token":"a","expires_in":3600}')],
    ["a JSON array", answer(200, '[{"access_token":"a"}]')],
    ["a body with a byte-order mark", answer(200, '\uFEFF{"access_token":"a","expires_in":3600}')],
  ])("GIVEN %s THEN Alexa gets it untouched", (_name, response) => {
    expect(withExpiresIn(response, 120)).toBeUndefined();
  });
});

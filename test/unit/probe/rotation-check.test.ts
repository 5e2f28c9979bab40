/**
 * `probe --check-rotation` judges the second answer, to the old refresh token, and quotes the
 * server's refusal as every other finding does: read by its declared charset.
 */
import { checkRotation, rotatedRefreshToken, rotationCheckFindings } from "../../../scripts/probe/rotation-check";
import { fingerprint } from "../../../functions/token-url/fingerprint";
import { anAnswer, aRequest, aTokenBody, codesOf } from "../diagnosis/builders";

const presented = aRequest({ grantType: "refresh_token", redirectUri: null, refreshTokenPresented: fingerprint("R1") });
const rotatedAnswer = anAnswer(200, aTokenBody({ refresh_token: "R2" }));

describe("rotation check", () => {
  test("GIVEN a refresh that issued a new refresh token THEN it is the one rotated to; the same one THEN nothing rotated", () => {
    expect(rotatedRefreshToken(rotatedAnswer, presented)).toBe("R2");
    expect(rotatedRefreshToken(anAnswer(200, aTokenBody({ refresh_token: "R1" })), presented)).toBeNull();
  });

  test.each([
    ["UTF-8", "application/json;charset=UTF-8", "utf8"],
    ["UTF-16 as declared", "application/json; charset=utf-16le", "utf16le"],
  ] as const)("GIVEN the old token refused in %s THEN REFRESH_ROTATION_IMMEDIATE quotes the server's error", (_name, contentType, encoding) => {
    const refusal = Buffer.from(JSON.stringify({ error: "invalid_grant", error_description: "Token no válido" }), encoding);
    const findings = rotationCheckFindings(rotatedAnswer, "R2", anAnswer(400, refusal, { "content-type": contentType }));
    expect(codesOf(findings)).toEqual(["REFRESH_ROTATION_IMMEDIATE"]);
    expect(findings[0].message).toContain('it was refused ("invalid_grant": "Token no válido")');
  });

  test("GIVEN a refresh that rotated THEN the old token goes once more, and the tolerant finding says where --save-tokens puts the tokens", async () => {
    let sent = 0;
    const reuse = { read: { captured: presented }, exchange: anAnswer(200, aTokenBody({ refresh_token: "R3" })) };
    const check = await checkRotation({ read: { captured: presented }, exchange: rotatedAnswer }, async () => {
      sent += 1;
      return reuse;
    }, "tokens.json");
    expect(sent).toBe(1);
    expect(check.reuse).toBe(reuse);
    expect(codesOf(check.findings)).toEqual(["REFRESH_ROTATION_TOLERANT"]);
    expect(check.findings[0].fix).toContain("they go to tokens.json");
  });

  test("GIVEN a refresh that did not rotate, or a code exchange THEN nothing more is sent", async () => {
    let sent = 0;
    const again = async () => {
      sent += 1;
      return { read: { captured: presented }, exchange: rotatedAnswer };
    };
    const same = await checkRotation({ read: { captured: presented }, exchange: anAnswer(200, aTokenBody({ refresh_token: "R1" })) }, again);
    const code = await checkRotation({ read: { captured: aRequest() }, exchange: rotatedAnswer }, again);
    expect(sent).toBe(0);
    expect([same.reuse, code.reuse]).toEqual([null, null]);
    expect(codesOf([...same.findings, ...code.findings])).toEqual(["REFRESH_ROTATION_NOT_CHECKED", "REFRESH_ROTATION_NOT_CHECKED"]);
  });
});

/**
 * `probe --check-rotation` judges the second answer, to the old refresh token, and quotes the
 * server's refusal as every other finding does: read by its declared charset.
 */
import { rotatedRefreshToken, rotationCheckFindings } from "../../../scripts/probe/rotation-check";
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
});

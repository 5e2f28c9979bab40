import { requestFindings } from "../../../functions/token-url/diagnosis/request-rules";
import { codesOf } from "./builders";

describe("requestFindings", () => {
  test.each([
    ["Alexa's form request with HTTP Basic", [], "application/x-www-form-urlencoded;charset=UTF-8", "basic"],
    ["a form request with credentials in the body", [], "application/x-www-form-urlencoded", "body"],
    ["a JSON request", ["REQUEST_NOT_FORM"], "application/json", "basic"],
    ["no Content-Type", ["REQUEST_NOT_FORM"], null, "basic"],
    ["credentials in header and body", ["CLIENT_AUTH_BOTH"], "application/x-www-form-urlencoded", "both"],
    ["a JSON request with both", ["REQUEST_NOT_FORM", "CLIENT_AUTH_BOTH"], "application/json", "both"],
  ] as const)("GIVEN %s THEN %j", (_, codes, contentType, clientAuth) => {
    expect(codesOf(requestFindings(contentType, clientAuth))).toEqual(codes);
  });

  test("GIVEN the old call with an undefined Content-Type THEN it still works", () => {
    expect(codesOf(requestFindings(undefined, "none"))).toEqual(["REQUEST_NOT_FORM"]);
  });
});

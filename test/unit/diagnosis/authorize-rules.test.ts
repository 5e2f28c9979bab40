import { AuthorizeAnswer, judgeRedirects, oauthErrorOf, signatureOf } from "../../../functions/token-url/diagnosis/authorize-rules";

const NA = "https://pitangui.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
const EU = "https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA";
const FE = "https://alexa.amazon.co.jp/api/skill/link/M2AAAAAAAAAAAA";
const BOGUS = "https://unregistered-redirect.token-url-debugger.invalid/api/skill/link/M2AAAAAAAAAAAA";

const page = (redirectUri: string, status: number, body: string): AuthorizeAnswer => ({ redirectUri, status, location: null, body });
const redirect = (redirectUri: string, location: string): AuthorizeAnswer => ({ redirectUri, status: 302, location, body: "" });
const regions = (na: AuthorizeAnswer, eu: AuthorizeAnswer, fe: AuthorizeAnswer) => [
  { region: "North America", answer: na },
  { region: "Europe", answer: eu },
  { region: "Far East", answer: fe },
];
const standings = (judgement: ReturnType<typeof judgeRedirects>) => judgement.regions.map((region) => region.standing);
const codes = (judgement: ReturnType<typeof judgeRedirects>) => judgement.findings.map((finding) => finding.code);

describe("signatureOf", () => {
  test("GIVEN two error pages that differ only by the redirect URL they echo THEN they are alike", () => {
    const body = (uri: string) => `<p>${uri} is not registered (${encodeURIComponent(uri)})</p>`;
    expect(signatureOf(page(FE, 400, body(FE)))).toBe(signatureOf(page(BOGUS, 400, body(BOGUS))));
  });
  test("GIVEN two login pages that differ only by a CSRF token THEN they are alike", () => {
    expect(signatureOf(page(NA, 200, 'csrf="a1B2c3D4e5F6g7H8i9J0"'))).toBe(signatureOf(page(EU, 200, 'csrf="Zz9Yy8Xx7Ww6Vv5Uu4Tt"')));
  });
  test("GIVEN a redirect back to each request's own redirect_uri with the same error THEN they are alike", () => {
    expect(signatureOf(redirect(FE, `${FE}?error=invalid_request&state=1`))).toBe(
      signatureOf(redirect(BOGUS, `${BOGUS}?error=invalid_request&state=2`)),
    );
  });
  test("GIVEN the same status but another error THEN they differ", () => {
    expect(signatureOf(redirect(NA, `${NA}?error=access_denied`))).not.toBe(signatureOf(redirect(BOGUS, `${BOGUS}?error=invalid_request`)));
  });
  test("GIVEN no answer THEN there is nothing to compare", () => {
    expect(signatureOf({ redirectUri: NA, status: null, location: null, body: "" })).toBeNull();
  });
});

test("oauthErrorOf reads the error from a redirect's query or fragment", () => {
  expect(oauthErrorOf(redirect(NA, `${NA}?error=unauthorized_client`))).toBe("unauthorized_client");
  expect(oauthErrorOf(redirect(NA, `${NA}#error=access_denied`))).toBe("access_denied");
  expect(oauthErrorOf(redirect(NA, "/login?next=%2F"))).toBeNull();
});

describe("judgeRedirects", () => {
  const login = (uri: string) => redirect(uri, "/login?return_to=x");
  const error = (uri: string) => page(uri, 400, `${uri} is not registered`);

  test("GIVEN only the Far East answered like the made-up URL THEN it alone is rejected, with the URL to add", () => {
    const judgement = judgeRedirects(regions(login(NA), login(EU), error(FE)), error(BOGUS));
    expect(standings(judgement)).toEqual(["registered", "registered", "rejected"]);
    expect(codes(judgement)).toEqual(["AUTHORIZE_REDIRECT_URI_REJECTED"]);
    expect(judgement.findings[0].fix).toContain(FE);
  });
  test("GIVEN every answer alike THEN all untestable and one AUTHORIZE_REDIRECT_UNTESTED (info)", () => {
    const judgement = judgeRedirects(regions(login(NA), login(EU), login(FE)), login(BOGUS));
    expect(standings(judgement)).toEqual(["untestable", "untestable", "untestable"]);
    expect(judgement.findings).toMatchObject([{ code: "AUTHORIZE_REDIRECT_UNTESTED", severity: "info" }]);
  });
  test("GIVEN every region redirected with unauthorized_client THEN the error is named for all three", () => {
    const judgement = judgeRedirects(
      regions(...([NA, EU, FE].map((uri) => redirect(uri, `${uri}?error=unauthorized_client`)) as [AuthorizeAnswer, AuthorizeAnswer, AuthorizeAnswer])),
      error(BOGUS),
    );
    expect(standings(judgement)).toEqual(["registered", "registered", "registered"]);
    expect(codes(judgement)).toEqual(["AUTHORIZE_OAUTH_ERROR"]);
    expect(judgement.findings[0].message).toContain("North America, Europe and Far East with error=unauthorized_client");
  });
  test("GIVEN the made-up URL got no answer THEN nothing is judged and no redirect finding is made", () => {
    const judgement = judgeRedirects(regions(login(NA), login(EU), error(FE)), { redirectUri: BOGUS, status: null, location: null, body: "" });
    expect(standings(judgement)).toEqual(["untestable", "untestable", "untestable"]);
    expect(judgement.findings).toEqual([]);
  });
  test("GIVEN one region got no answer THEN that region is untestable and the others are judged", () => {
    const judgement = judgeRedirects(
      regions(login(NA), { redirectUri: EU, status: null, location: null, body: "" }, error(FE)),
      error(BOGUS),
    );
    expect(standings(judgement)).toEqual(["registered", "untestable", "rejected"]);
  });
});

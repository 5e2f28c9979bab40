import { alexaRegionOf } from "../../../functions/token-url/diagnosis/alexa-region";

describe("alexaRegionOf", () => {
  test.each([
    [
      "https://pitangui.amazon.com/api/skill/link/M2X",
      { host: "pitangui.amazon.com", region: "North America" },
    ],
    ["https://layla.amazon.com/api/skill/link/M2X", { host: "layla.amazon.com", region: "Europe" }],
    ["https://alexa.amazon.co.jp/api/skill/link/M2X", { host: "alexa.amazon.co.jp", region: "Far East" }],
    ["https://LAYLA.amazon.com/api/skill/link/M2X", { host: "layla.amazon.com", region: "Europe" }],
    ["https://example.com/callback", null],
    ["not a url", null],
    [null, null],
  ])("GIVEN redirect_uri %s THEN %j", (redirectUri, expected) => {
    expect(alexaRegionOf(redirectUri)).toEqual(expected);
  });
});

import { targetOf, urlFindings } from "../../../functions/token-url/diagnosis/url-rules";
import { codesOf } from "./builders";

describe("urlFindings", () => {
  test.each([
    ["an https URL on the default port", [], "https://auth.example.com/oauth/token"],
    ["an https URL with :443 written out", [], "https://auth.example.com:443/oauth/token"],
    ["an http URL", ["NOT_HTTPS"], "http://auth.example.com/oauth/token"],
    ["an http URL on port 8080", ["NOT_HTTPS"], "http://auth.example.com:8080/token"],
    ["an https URL on port 8443", ["NON_STANDARD_PORT"], "https://auth.example.com:8443/oauth/token"],
    ["a URL that does not parse", [], "not a url"],
  ])("GIVEN %s THEN %j", (_, codes, url) => {
    expect(codesOf(urlFindings(url))).toEqual(codes);
  });

  test("GIVEN port 8443 THEN the finding is a warning naming the port", () => {
    const [finding] = urlFindings("https://auth.example.com:8443/oauth/token");
    expect(finding.severity).toBe("warning");
    expect(finding.message).toContain("8443");
  });

  test("GIVEN an http URL THEN NOT_HTTPS is an error", () => {
    expect(urlFindings("http://auth.example.com/token")[0].severity).toBe("error");
  });
});

describe("targetOf", () => {
  test.each([
    ["https://auth.example.com/token", { hostname: "auth.example.com", port: 443 }],
    ["https://auth.example.com:8443/token", { hostname: "auth.example.com", port: 8443 }],
    ["http://auth.example.com/token", { hostname: "auth.example.com", port: 80 }],
    ["garbage", { hostname: "garbage", port: 443 }],
  ])("GIVEN %s THEN %j", (url, target) => {
    expect(targetOf(url)).toEqual(target);
  });
});

describe("urlFindings for the local runtime", () => {
  test.each(["http://127.0.0.1:8787/token", "http://localhost:8787/token", "http://[::1]:8787/token"])(
    "GIVEN plain http on a loopback address (%s) THEN NOT_HTTPS is only info",
    (url) => {
      expect(urlFindings(url).map((finding) => `${finding.code}:${finding.severity}`)).toEqual(["NOT_HTTPS:info"]);
    },
  );

  test("GIVEN plain http on any other address THEN NOT_HTTPS stays an error", () => {
    expect(urlFindings("http://10.0.0.5:8787/token").map((finding) => finding.severity)).toEqual(["error"]);
  });
});

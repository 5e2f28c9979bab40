import { createHmac } from "node:crypto";
import { fingerprint, useFingerprintKey } from "../../functions/token-url/fingerprint";
import { issuedTokens } from "../../functions/token-url/issued-tokens";
import { readCredentials, redactFields, redactHeaders, scrubberFor } from "../../functions/token-url/redact";
import { Scrubber } from "../../functions/token-url/scrubber";
import { basicAuth } from "../support/events";

/** A token body as the record shows it: the tokens it issues found, then scrubbed (the handler's path). */
const redactTokenBody = (body: string) => new Scrubber(issuedTokens(Buffer.from(body, "utf8"), {})).scrub(body);

const jwt = (header: object, claims: object) =>
  [header, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") +
  ".SIGNATURE-CANARY-5e7d";

describe("redaction", () => {
  test("GIVEN a secret THEN its fingerprint shows length and a keyed HMAC-SHA-256 prefix only", () => {
    const key = Buffer.alloc(32, 7);
    useFingerprintKey(key);
    const hmac = createHmac("sha256", key).update("s3cr3t-value").digest("hex").slice(0, 12);
    expect(fingerprint("s3cr3t-value")).toBe(`[redacted len=12 hmac=${hmac}]`);
    // another key (another deployment, another machine): another fingerprint of the same value
    useFingerprintKey(Buffer.alloc(32, 8));
    expect(fingerprint("s3cr3t-value")).not.toBe(`[redacted len=12 hmac=${hmac}]`);
    expect(fingerprint("s3cr3t-value")).toMatch(/^\[redacted len=12 hmac=[0-9a-f]{12}\]$/);
  });

  test("GIVEN form fields THEN secrets are fingerprinted and the rest kept", () => {
    const fields = { grant_type: "authorization_code", code: "c0de", client_id: "skill", client_secret: "s3", code_verifier: "v" };
    expect({ ...redactFields(fields) }).toEqual({
      grant_type: "authorization_code",
      code: fingerprint("c0de"),
      client_id: "skill",
      client_secret: fingerprint("s3"),
      code_verifier: fingerprint("v"),
    });
  });

  test("GIVEN HTTP Basic with form-encoded id and secret THEN the decoded client_id and the secret's fingerprint", () => {
    const headers = redactHeaders({ authorization: basicAuth("my skill:1", "p@ss:word") });
    expect(headers.authorization).toBe(`Basic client_id="my skill:1" client_secret=${fingerprint("p@ss:word")}`);
  });

  test("GIVEN a Bearer header, cookies and Set-Cookie THEN each is fingerprinted whole", () => {
    const headers = redactHeaders({ authorization: "Bearer abc", cookie: "sid=1", "set-cookie": "sid=2; HttpOnly", server: "nginx" });
    expect({ ...headers }).toEqual({
      authorization: fingerprint("Bearer abc"),
      cookie: fingerprint("sid=1"),
      "set-cookie": fingerprint("sid=2; HttpOnly"),
      server: "nginx",
    });
  });

  test("GIVEN a JWT access token THEN its header and iss/aud/exp show, never the token or signature", () => {
    const token = jwt({ alg: "RS256", typ: "JWT" }, { iss: "https://auth.example.com", aud: ["alexa"], exp: 1790000000, sub: "user-42" });
    const body = redactTokenBody(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 3600 }));
    const parsed = JSON.parse(body);
    expect(parsed.access_token).toBe(
      `${fingerprint(token)} jwt alg=RS256 typ=JWT iss=https://auth.example.com aud=alexa exp=2026-09-21T14:13:20.000Z`,
    );
    expect(body).not.toContain("SIGNATURE-CANARY");
    expect(body).not.toContain("user-42");
    expect(parsed).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
  });

  test("GIVEN an opaque refresh token, a BOM and other fields THEN only the tokens change", () => {
    const body = redactTokenBody('\uFEFF{"refresh_token":"r-1","scope":"profile"}');
    // kept as sent, BOM included (the BOM is a finding of its own)
    expect(body.startsWith("\uFEFF")).toBe(true);
    expect(JSON.parse(body.slice(1))).toEqual({ refresh_token: fingerprint("r-1"), scope: "profile" });
  });

  test("GIVEN a body that is not a JSON object THEN it is kept as sent", () => {
    expect(redactTokenBody("<html>login</html>")).toBe("<html>login</html>");
    expect(redactTokenBody('["a"]')).toBe('["a"]');
  });

  test("GIVEN an error page that echoes the code and the secret THEN both are scrubbed", () => {
    const fields = { code: "CODE-CANARY", client_id: "skill" };
    const authorization = basicAuth("skill", "SECRET-CANARY");
    const scrubber = scrubberFor(readCredentials({ authorization }, fields));
    const page = "<p>code CODE-CANARY is invalid for secret SECRET-CANARY</p>";
    const scrubbed = scrubber.scrub(page);
    expect(scrubbed).toBe(`<p>code ${fingerprint("CODE-CANARY")} is invalid for secret ${fingerprint("SECRET-CANARY")}</p>`);
  });
});

describe("token bodies in unusual shapes", () => {
  test("GIVEN tokens inside an array or a nested object THEN they are fingerprinted too", () => {
    const body = redactTokenBody(JSON.stringify([{ access_token: "A-1" }, { data: { refresh_token: "R-1" } }]));
    expect(JSON.parse(body)).toEqual([{ access_token: fingerprint("A-1") }, { data: { refresh_token: fingerprint("R-1") } }]);
  });

  test("GIVEN a form-encoded token answer THEN each token is fingerprinted in place", () => {
    expect(redactTokenBody("access_token=A-1&token_type=bearer&refresh_token=R-1")).toBe(
      `access_token=${fingerprint("A-1")}&token_type=bearer&refresh_token=${fingerprint("R-1")}`,
    );
  });
});

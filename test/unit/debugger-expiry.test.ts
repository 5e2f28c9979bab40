import { EXPIRY_WARNING_MS, expiredAnswer, expiryState, formatExpiry } from "../../functions/token-url/debugger-expiry";
import { readSettings } from "../../functions/token-url/settings";

const EXPIRES = new Date("2026-12-02T21:40:00Z");
const at = (offsetMs: number) => new Date(EXPIRES.getTime() + offsetMs);

describe("expiryState", () => {
  test.each([
    ["a day before", -24 * 3600_000, "running"],
    ["exactly an hour before", -EXPIRY_WARNING_MS, "running"],
    ["a minute under an hour before", -EXPIRY_WARNING_MS + 60_000, "expiring"],
    ["a millisecond before", -1, "expiring"],
    ["at the expiry", 0, "expired"],
    ["a week after", 7 * 24 * 3600_000, "expired"],
  ])("GIVEN %s THEN %s", (_when, offsetMs, state) => {
    expect(expiryState(EXPIRES, at(offsetMs))).toBe(state);
  });

  test("GIVEN no expiry (DEBUG_TTL_HOURS=0, or npm start) THEN never", () => {
    expect(expiryState(undefined, new Date(8.64e15))).toBe("never");
  });
});

describe("expiredAnswer, the handler's first decision", () => {
  test("GIVEN time left or no expiry THEN no answer: the request goes on as usual", () => {
    expect(expiredAnswer(EXPIRES, at(-1))).toBeNull();
    expect(expiredAnswer(undefined, at(0))).toBeNull();
  });

  test("GIVEN an expired debugger THEN 503 temporarily_unavailable as RFC 6749 JSON and DEBUGGER_EXPIRED", () => {
    const answer = expiredAnswer(EXPIRES, at(1))!;
    expect(answer.response).toMatchObject({
      statusCode: 503,
      headers: { contentType: "application/json;charset=UTF-8", cacheControl: "no-store" },
    });
    expect(JSON.parse(answer.response.body)).toEqual({
      error: "temporarily_unavailable",
      error_description: expect.stringContaining("debugger expired at 2026-12-02 21:40 UTC"),
    });
    expect(answer.finding).toMatchObject({ code: "DEBUGGER_EXPIRED", severity: "error" });
    expect(answer.finding.fix).toContain("npm run unlink");
    expect(answer.finding.fix).toContain("npm run deploy -- --extend");
  });

  test("formatExpiry prints minutes in UTC", () => {
    expect(formatExpiry(new Date("2026-12-02T23:40:59+02:00"))).toBe("2026-12-02 21:40 UTC");
  });
});

describe("readSettings: DEBUGGER_EXPIRES_AT", () => {
  test("GIVEN none or empty THEN it never expires", () => {
    expect(readSettings({}).expiresAt).toBeUndefined();
    expect(readSettings({ DEBUGGER_EXPIRES_AT: "" }).expiresAt).toBeUndefined();
  });

  test("GIVEN Terraform's timeadd() output THEN that instant", () => {
    expect(readSettings({ DEBUGGER_EXPIRES_AT: "2026-12-02T21:40:00Z" }).expiresAt).toEqual(EXPIRES);
  });

  test("GIVEN an unreadable value THEN expired, so that a broken stamp cannot keep a wrapper forwarding", () => {
    expect(expiryState(readSettings({ DEBUGGER_EXPIRES_AT: "soon" }).expiresAt, new Date())).toBe("expired");
  });
});

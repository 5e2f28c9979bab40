import { parseDeployOptions } from "../../../scripts/deploy/deploy-options";
import { expiryLine } from "../../../scripts/deploy/expiry-line";
import { UsageError } from "../../../scripts/cli/usage-error";

const NOW = new Date("2026-12-01T21:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

describe("the deploy line's expiry", () => {
  test("GIVEN a new stack THEN the TTL from now", () => {
    expect(expiryLine({ ttlHours: 24, extend: false, now: NOW })).toBe(
      "The debugger expires 24 h after this deploy, at about 2026-12-02 21:00 UTC",
    );
  });

  test("GIVEN a deployed clock THEN the expiry from its start, with a changed TTL too", () => {
    expect(expiryLine({ ttlHours: 48, extend: false, startedAt: hoursAgo(30), now: NOW })).toBe(
      "The debugger expires at 2026-12-02 15:00 UTC (48 h after its clock started at 2026-11-30 15:00 UTC; npm run deploy -- --extend restarts it)",
    );
  });

  test("GIVEN a deployed clock past its TTL THEN it says the debugger expired and how to extend", () => {
    expect(expiryLine({ ttlHours: 24, extend: false, startedAt: hoursAgo(30), now: NOW })).toBe(
      "The debugger expired at 2026-12-01 15:00 UTC (24 h after its clock started at 2026-11-30 15:00 UTC) and forwards nothing: npm run deploy -- --extend restarts its clock",
    );
  });

  test("GIVEN --extend THEN the TTL from now, whatever the old start", () => {
    expect(expiryLine({ ttlHours: 2, extend: true, startedAt: hoursAgo(30), now: NOW })).toBe(
      "The debugger expires 2 h after this deploy, at about 2026-12-01 23:00 UTC (--extend restarts its clock)",
    );
  });

  test("GIVEN DEBUG_TTL_HOURS=0 THEN it never expires, and the line says why that is risky", () => {
    expect(expiryLine({ ttlHours: 0, extend: false, now: NOW })).toMatch(/^The debugger never expires \(DEBUG_TTL_HOURS=0\): destroy it when done/);
  });
});

describe("--extend", () => {
  test("GIVEN deploy or diff THEN it is an option of ours, not passed to cdktf", () => {
    expect(parseDeployOptions(["deploy", "--extend", "--auto-approve"])).toMatchObject({ extend: true, autoApprove: true });
    expect(parseDeployOptions(["diff", "--extend"]).extend).toBe(true);
    expect(parseDeployOptions(["deploy"]).extend).toBe(false);
  });

  test("GIVEN destroy THEN a usage error", () => {
    expect(() => parseDeployOptions(["destroy", "--extend"])).toThrow(new UsageError("--extend is for deploy and diff, not destroy"));
  });
});

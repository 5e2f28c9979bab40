/**
 * The one-line summary for `npm start` and `logs --limit N`, on real attempt records (fixtures/generate.ts).
 */
import { renderSummaryLine } from "../../../scripts/report/render-summary";
import { leadingFinding } from "../../../scripts/report/verdict";
import { CANARIES } from "./fixtures/canaries";
import { allFixtures, fixture } from "./fixtures";

const plainText = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
const columns = (line: string) => [...plainText(line)].length;

describe("renderSummaryLine on every fixture", () => {
  describe.each(allFixtures())("GIVEN the $name record", ({ record }) => {
    test.each([80, 100, 50])("WHEN rendered at width %i THEN it is one line no wider, color or not", (width) => {
      for (const color of [false, true]) {
        const line = renderSummaryLine(record, { color, width });
        expect(line).not.toContain("\n");
        expect(columns(line)).toBeLessThanOrEqual(width);
      }
    });

    test("WHEN rendered THEN escapes appear only with color, and it reads the same without them", () => {
      const plain = renderSummaryLine(record, { color: false });
      const painted = renderSummaryLine(record, { color: true });
      expect(plain).not.toContain("\u001b");
      expect(painted).toContain("\u001b");
      expect(plainText(painted)).toBe(plain);
    });

    test("WHEN rendered wide THEN it reads mark, verdict, mode, grant, answer, leading code, attempt id", () => {
      const line = renderSummaryLine(record, { color: false, width: Infinity });
      const word = { pass: "✓ PASS", warn: "! WARN", fail: "✗ FAIL" }[record.verdict];
      // The headline the full report leads with (verdict.ts chooses it), else the first note.
      const leading = leadingFinding(record.findings) ?? record.findings[0];
      const status = record.response.status > 0 ? String(record.response.status) : "no answer";
      expect(line).toBe(
        `${word} ${record.mode} ${record.request.grantType} → ${status}${leading ? ` ${leading.code}` : ""} (attempt ${record.attemptId})`,
      );
      for (const canary of CANARIES) expect(line).not.toContain(canary);
    });
  });
});

describe("renderSummaryLine", () => {
  test("GIVEN an incomplete chain behind the wrapper THEN the line reads without a legend", () => {
    const record = fixture("tls-incomplete-chain");
    expect(renderSummaryLine(record, { color: false, width: Infinity })).toBe(
      `✗ FAIL proxy authorization_code → 502 TLS_INCOMPLETE_CHAIN (attempt ${record.attemptId})`,
    );
  });

  test("GIVEN time: true (logs --limit) THEN the line starts with the date and UTC time", () => {
    const record = fixture("oauth-invalid-client-401");
    expect(renderSummaryLine(record, { color: false, width: Infinity, time: true })).toBe(
      `${record.time.slice(0, 10)} ${record.time.slice(11, 19)}Z ✗ FAIL proxy authorization_code → 401 CLIENT_AUTH_REJECTED (attempt ${record.attemptId})`,
    );
  });

  test("GIVEN a dummy answer THEN it says PASS, 200 and DUMMY_RESPONSE", () => {
    expect(renderSummaryLine(fixture("dummy-pass"), { color: false, width: Infinity })).toMatch(
      /^✓ PASS dummy authorization_code → 200 DUMMY_RESPONSE \(attempt [0-9a-f-]{36}\)$/,
    );
  });

  test("GIVEN a refresh THEN the grant is named as sent", () => {
    expect(renderSummaryLine(fixture("refresh-invalid-grant-body-auth"), { color: false })).toContain(" proxy refresh_token → 400 ");
  });

  test("GIVEN 80 columns THEN the attempt id gives way first, with a mark, and the finding's code stays", () => {
    const line = renderSummaryLine(fixture("tls-incomplete-chain"), { color: false });
    expect(columns(line)).toBe(80);
    expect(line).toMatch(/^✗ FAIL proxy authorization_code → 502 TLS_INCOMPLETE_CHAIN \(attempt [0-9a-f-]+…$/);
  });

  test("GIVEN a narrow terminal THEN the line ends in … where it was cut", () => {
    const line = renderSummaryLine(fixture("oauth-invalid-client-401"), { color: false, width: 40 });
    expect(columns(line)).toBe(40);
    expect(line.endsWith("…")).toBe(true);
  });
});

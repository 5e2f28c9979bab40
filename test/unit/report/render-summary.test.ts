/**
 * The one-line summary for `logs --limit N`, on real attempt records (fixtures/generate.ts).
 */
import { renderSummaryLine } from "../../../scripts/report/render-summary";
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

    test("WHEN rendered wide THEN it has the date and UTC time, the verdict's mark, the mode and the leading code", () => {
      const line = renderSummaryLine(record, { color: false, width: 200 });
      expect(line.startsWith(`${record.time.slice(0, 10)} ${record.time.slice(11, 19)}Z `)).toBe(true);
      expect(line).toContain(` ${{ pass: "✓", warn: "!", fail: "✗" }[record.verdict]} ${record.mode} `);
      const leading =
        record.findings.find((finding) => finding.severity === "error") ??
        record.findings.find((finding) => finding.severity === "warning") ??
        record.findings[0];
      expect(line.endsWith(` ${leading?.code ?? "-"}`)).toBe(true);
      for (const canary of CANARIES) expect(line).not.toContain(canary);
    });
  });
});

describe("renderSummaryLine", () => {
  test("GIVEN a 401 THEN the line reads time, mark, mode, grant, status, total time, code", () => {
    const record = fixture("oauth-invalid-client-401");
    const ms = `${record.upstream!.timings.totalMs}ms`.padStart(7);
    expect(renderSummaryLine(record, { color: false })).toBe(
      `${record.time.slice(0, 10)} ${record.time.slice(11, 19)}Z ✗ proxy code    401 ${ms} CLIENT_AUTH_REJECTED`,
    );
  });

  test("GIVEN a dummy answer THEN status and time are dashes and the note is DUMMY_RESPONSE", () => {
    expect(renderSummaryLine(fixture("dummy-pass"), { color: false })).toMatch(/Z ✓ dummy code    -\s+- DUMMY_RESPONSE$/);
  });

  test("GIVEN a refresh THEN the grant says refresh", () => {
    expect(renderSummaryLine(fixture("refresh-invalid-grant-body-auth"), { color: false })).toContain(" proxy refresh 400 ");
  });

  test("GIVEN a transport error at 80 columns THEN its code gives way, with a mark, so the finding's code fits", () => {
    const line = renderSummaryLine(fixture("tls-incomplete-chain"), { color: false });
    expect(columns(line)).toBe(80);
    expect(line).toMatch(/ TLS_VERIFY_\S*… +\d+ms TLS_INCOMPLETE_CHAIN$/);
  });

  test("GIVEN a transport error with room THEN its code is shown whole", () => {
    expect(renderSummaryLine(fixture("transport-refused"), { color: false })).toMatch(/ ECONNREFUSED +\d+ms CONNECTION_REFUSED$/);
  });

  test("GIVEN a narrow terminal THEN the line ends in … where it was cut", () => {
    const line = renderSummaryLine(fixture("oauth-invalid-client-401"), { color: false, width: 40 });
    expect(columns(line)).toBe(40);
    expect(line.endsWith("…")).toBe(true);
  });
});

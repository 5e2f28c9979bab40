import { allocateCells, timingBar, timingLegend, timingPhases } from "../../../scripts/report/timing-bar";
import { createStyle } from "../../../scripts/report/style";

const style = createStyle(false);

describe("allocateCells", () => {
  test("GIVEN values THEN the cells are in proportion and sum to exactly the width", () => {
    expect(allocateCells([10, 30, 60], 10)).toEqual([1, 3, 6]);
    expect(allocateCells([1, 1, 1], 10).reduce((a, b) => a + b, 0)).toBe(10);
  });

  test("GIVEN a tiny phase next to a huge one THEN it still gets one cell", () => {
    expect(allocateCells([1, 9999], 20)).toEqual([1, 19]);
  });

  test("GIVEN zero phases or nothing to split THEN no cells are drawn", () => {
    expect(allocateCells([0, 5], 10)).toEqual([0, 10]);
    expect(allocateCells([0, 0], 10)).toEqual([0, 0]);
    expect(allocateCells([3, 4], 0)).toEqual([0, 0]);
  });
});

describe("timingPhases", () => {
  test("GIVEN phases that did not happen THEN they are skipped, and the rest of the total is 'other'", () => {
    const phases = timingPhases({ dnsMs: null, connectMs: 5, tlsMs: 35, ttfbMs: null, totalMs: 41 }, style);
    expect(phases.map(({ symbol, label, ms }) => `${symbol} ${label} ${ms}`)).toEqual(["C connect 5", "T TLS 35", ". other 1"]);
  });

  test("GIVEN phases that add up to the total THEN there is no 'other'", () => {
    expect(timingPhases({ dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 4, totalMs: 10 }, style).map((phase) => phase.symbol)).toEqual(["D", "C", "T", "W"]);
  });
});

describe("timingBar and timingLegend", () => {
  const phases = timingPhases({ dnsMs: 10, connectMs: 7, tlsMs: 39, ttfbMs: 5, totalMs: 66 }, style);

  test("GIVEN a width THEN the bar is exactly that wide, phases in order", () => {
    const bar = timingBar(phases, 42);
    expect(bar).toHaveLength(42);
    expect(bar).toMatch(/^\[D+C+T+W+\.+\]$/);
  });

  test("GIVEN no time at all THEN the bar is empty but still that wide", () => {
    expect(timingBar(timingPhases({ dnsMs: null, connectMs: 0, tlsMs: null, ttfbMs: null, totalMs: 0 }, style), 10)).toBe("[        ]");
  });

  test("GIVEN a narrow width THEN the legend wraps between entries", () => {
    expect(timingLegend(phases, 44)).toEqual(["D DNS 10 ms   C connect 7 ms   T TLS 39 ms", "W first byte 5 ms   . other 5 ms"]);
  });
});

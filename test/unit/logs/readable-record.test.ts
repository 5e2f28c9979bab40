/**
 * A line that says it is an attempt record but is not one the reports can read is counted as
 * unreadable, never shown half-way: every field of every fixture record, removed or given a
 * value of the wrong type, either still renders in every report (text, summary, HTML, timeline,
 * --json) or is read as unreadable. No mutation may make a report throw.
 */
import { parseLogLine } from "../../../scripts/logs/log-line";
import { isReadableRecord } from "../../../scripts/logs/readable-record";
import { renderAttempt } from "../../../scripts/report/render-attempt";
import { renderAttemptHtml, renderTimelineHtml } from "../../../scripts/report/render-html";
import { renderSummaryLine } from "../../../scripts/report/render-summary";
import { linkChainJson, renderTimeline } from "../../../scripts/report/render-timeline";
import { buildAttemptReport } from "../../../scripts/report/report-model";
import { buildTimelineReport } from "../../../scripts/report/timeline-model";
import { buildLinkChains } from "../../../functions/token-url/diagnosis/link-chains";
import { safeJson } from "../../../functions/token-url/record-exit";
import { AttemptRecord } from "../../../functions/token-url/attempt-record";
import { allFixtures, fixture } from "../report/fixtures";

const WRONG_VALUES: unknown[] = [undefined, null, 7, "text", [], {}, true];

/** Every path into the value (object keys and array indexes), depth first. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, unknown>)[key], [...prefix, key])]);
}

function mutated(record: AttemptRecord, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(record) as unknown as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

function renderEverywhere(record: AttemptRecord): void {
  renderAttempt(record, { color: false });
  renderAttempt(record, { color: true, width: 60 });
  renderSummaryLine(record, { color: false, width: 100, time: true });
  renderAttemptHtml(buildAttemptReport(record), { toolVersion: "test" });
  const chains = buildLinkChains([record, record], new Date());
  renderTimeline(chains, { color: false, width: 100, keepValuesWhole: false });
  chains.forEach(linkChainJson);
  renderTimelineHtml(buildTimelineReport(chains), { toolVersion: "test", where: "test" });
  safeJson(record);
}

describe("readable records", () => {
  test.each(allFixtures().map(({ name, record }) => [name, record] as const))("GIVEN fixture %s THEN it is readable and renders", (_name, record) => {
    expect(isReadableRecord(record)).toBe(true);
    expect(parseLogLine(JSON.stringify(record)).kind).toBe("attempt");
    expect(() => renderEverywhere(record)).not.toThrow();
  });

  test("GIVEN the fixtures THEN every optional section is in at least one, so the mutations reach it", () => {
    const records = allFixtures().map(({ record }) => record);
    for (const section of ["lineage", "deadline", "schemeRetry", "rotationCheck", "authorization", "serverMetadata", "server"] as const) {
      expect([section, records.some((record) => record[section] !== undefined)]).toEqual([section, true]);
    }
    expect(records.some((record) => record.lineage?.refreshTokenExpiresAt !== undefined)).toBe(true);
  });

  test.each([
    ["the server's evidence not a list", (record: Record<string, any>) => (record.server.server.evidence = "path is /realms/x")],
    ["a product no product settings know", (record: Record<string, any>) => (record.server.server.product = "gluu")],
    ["a front product not a string", (record: Record<string, any>) => (record.server.front = { product: 7, name: "x", score: 3, evidence: [] })],
    ["the rotation check without its upstream", (record: Record<string, any>) => delete record.rotationCheck.upstream],
    ["a refresh token death that is no time", (record: Record<string, any>) => (record.lineage.refreshTokenExpiresAt = "soon")],
  ])("GIVEN a Keycloak rotation record with %s THEN it is unreadable", (_name, breakIt) => {
    const record = structuredClone(fixture("probe-rotation-keycloak")) as unknown as Record<string, any>;
    breakIt(record);
    expect(parseLogLine(JSON.stringify(record))).toEqual({ kind: "unreadable" });
  });

  test("GIVEN any field of any fixture removed or of the wrong type THEN the line is unreadable or every report renders it", () => {
    let unreadable = 0;
    let rendered = 0;
    const crashes: string[] = [];
    for (const { name, record } of allFixtures()) {
      for (const path of paths(record)) {
        for (const replacement of WRONG_VALUES) {
          const line = parseLogLine(JSON.stringify(mutated(record, path, replacement)));
          if (line.kind === "unreadable") {
            unreadable += 1;
            continue;
          }
          if (line.kind !== "attempt") continue; // `type` itself changed: not a record at all
          try {
            renderEverywhere(line.record);
            rendered += 1;
          } catch (error) {
            crashes.push(`${name} ${path.join(".")} = ${JSON.stringify(replacement)}: ${(error as Error).message}`);
          }
        }
      }
    }
    expect(crashes.slice(0, 20)).toEqual([]);
    expect(unreadable).toBeGreaterThan(100); // the check does refuse broken records
    expect(rendered).toBeGreaterThan(100); // and does not refuse every change (free-form fields)
  });

  test.each([
    ["the reproduced line: a record missing its fields", '{"type":"token-attempt","time":"2026-12-07T10:00:00.000Z"}'],
    ["a record cut short by a log pipeline", '{"type":"token-attempt","version":1,"attemptId":"a","time":"2026-'],
    ["Lambda text format, cut short", '2026-12-07T10:00:00.000Z\tabc\tINFO\t{"type":"token-attempt","version":1,"attemptId":"a"'],
    ["Lambda JSON format, a string message cut short", JSON.stringify({ timestamp: "x", level: "INFO", requestId: "r", message: '{"type":"token-attempt","vers' })],
  ])("GIVEN %s THEN it is unreadable", (_name, message) => {
    expect(parseLogLine(message)).toEqual({ kind: "unreadable" });
  });

  test("GIVEN an unrelated line that mentions token-attempt THEN it is simply another line", () => {
    expect(parseLogLine("2026-12-07T10:00:00.000Z\tabc\tERROR\ttoken-attempt is a word here").kind).toBe("other");
  });
});

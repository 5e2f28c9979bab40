/** The search over a real source: the local runtime's JSONL file in a temp folder. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLatestAttempts, findNewAttempts } from "../../../scripts/logs/find-attempts";
import { LocalFileSource } from "../../../scripts/logs/local-source";
import { LogQuery } from "../../../scripts/logs/log-source";
import { sampleAttemptRecord } from "../../support/lambda-log-events";

const NOW = Date.parse("2026-11-25T12:00:00.000Z");
const MINUTE = 60_000;

/** A file of records at the given ages, and a source that remembers its queries. */
function sourceWith(agesInMinutes: number[]) {
  const lines = agesInMinutes.map((age, index) =>
    JSON.stringify(sampleAttemptRecord({ attemptId: `attempt-${index}`, time: new Date(NOW - age * MINUTE).toISOString() })),
  );
  const path = join(mkdtempSync(join(tmpdir(), "find-")), "attempts.jsonl");
  writeFileSync(path, `${lines.join("\n")}\nnot a record\n`);
  const source = new LocalFileSource(path);
  const queries: LogQuery[] = [];
  const query = source.query.bind(source);
  return { queries, source: { query: (q: LogQuery) => (queries.push(q), query(q)) } };
}

describe("findLatestAttempts", () => {
  test("GIVEN a recent attempt THEN one query over the first 15 minutes finds it", async () => {
    const { source, queries } = sourceWith([300, 3, 40]);
    const found = await findLatestAttempts(source, { limit: 1, sinceMs: 24 * 60 * MINUTE, now: NOW });
    expect(found.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-1"]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ startTime: NOW - 15 * MINUTE, filterPattern: '"token-attempt"' });
  });

  test("GIVEN only old attempts THEN the window widens without reading any range twice", async () => {
    const { source, queries } = sourceWith([300, 400]);
    const found = await findLatestAttempts(source, { limit: 1, sinceMs: 24 * 60 * MINUTE, now: NOW });
    expect(found.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-0"]);
    expect(queries.map((q) => (q.endTime - q.startTime) / MINUTE)).toEqual([20, 45, 300]); // 15 min + 5 min clock slack, then the rest
    for (let i = 1; i < queries.length; i += 1) expect(queries[i].endTime).toBe(queries[i - 1].startTime);
  });

  test("GIVEN --limit 3 THEN the three newest, newest first", async () => {
    const { source } = sourceWith([50, 5, 500, 30, 3000]);
    const found = await findLatestAttempts(source, { limit: 3, sinceMs: 7 * 24 * 60 * MINUTE, now: NOW });
    expect(found.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-1", "attempt-3", "attempt-0"]);
  });

  test("GIVEN --since shorter than the first window THEN nothing older is read", async () => {
    const { source, queries } = sourceWith([10]);
    expect(await findLatestAttempts(source, { limit: 1, sinceMs: 5 * MINUTE, now: NOW })).toEqual([]);
    expect(queries).toHaveLength(1);
    expect(queries[0].startTime).toBe(NOW - 5 * MINUTE);
  });

  test("GIVEN a request id THEN only that attempt", async () => {
    const { source, queries } = sourceWith([5, 50]);
    const found = await findLatestAttempts(source, { limit: 1, sinceMs: 24 * 60 * MINUTE, now: NOW, attemptId: "attempt-1" });
    expect(found.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-1"]);
    expect(queries[0].filterPattern).toBe('"attempt-1"');
  });
});

describe("findNewAttempts", () => {
  test("GIVEN attempts already shown THEN only the new ones, oldest first", async () => {
    const { source } = sourceWith([10, 2, 1]);
    const first = await findLatestAttempts(source, { limit: 1, sinceMs: 60 * MINUTE, now: NOW - 10 * MINUTE });
    expect(first.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-0"]);
    const fresh = await findNewAttempts(source, first[0].timestamp, NOW, new Set(first.map((attempt) => attempt.eventId)));
    expect(fresh.map((attempt) => attempt.record.attemptId)).toEqual(["attempt-1", "attempt-2"]);
  });
});

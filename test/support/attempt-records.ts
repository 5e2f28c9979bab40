/** The local runtime's records file, read strictly: every line one attempt record. */
import { readFileSync } from "node:fs";
import { AttemptRecord } from "../../functions/token-url/attempt-record";

/** Every line parsed as JSON (a torn or partial line throws) and checked to be an attempt record. */
export function readRecords(path: string): AttemptRecord[] {
  const text = readFileSync(path, "utf8");
  if (text !== "" && !text.endsWith("\n")) throw new Error(`${path}: the last record is not a whole line`);
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line, index) => {
      const record = JSON.parse(line) as AttemptRecord;
      if (record.type !== "token-attempt" || record.version !== 1) throw new Error(`${path}:${index + 1} is not an attempt record`);
      return record;
    });
}

/** How many records each X-Fuzz-Id got. */
export function recordCountsById(records: readonly AttemptRecord[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const record of records) {
    const id = Number(record.request.headers["x-fuzz-id"]);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

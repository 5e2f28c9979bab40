import { readFile } from "node:fs/promises";
import { ATTEMPT_RECORD_TYPE } from "../../functions/token-url/attempt-record";
import { LogEvent, LogQuery, LogSource, matchesTerms } from "./log-source";

/** The local runtime's JSONL file (`npm start`): one attempt record per line, as the Lambda
 * logs it. A missing file reads as empty: nothing has been recorded yet. A line that is not a
 * JSON record with a time comes back marked unreadable, whatever the query, so that logs can
 * count it; the last line while it has no newline yet is the runtime still writing it. */
export class LocalFileSource implements LogSource {
  constructor(readonly path: string) {}

  async query(query: LogQuery): Promise<LogEvent[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const events: LogEvent[] = [];
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      const eventId = `line-${index}`;
      const timestamp = recordTime(line);
      if (timestamp === undefined) {
        if (index < lines.length - 1) events.push({ timestamp: query.startTime, message: line, eventId, unreadable: true });
        return;
      }
      if (!matchesTerms(line, query.filterPattern)) return;
      if (timestamp < query.startTime || timestamp >= query.endTime) return;
      events.push({ timestamp, message: line, eventId });
    });
    return events;
  }
}

/** The record's time; undefined for a line that is not a JSON attempt record with a time (a
 * torn line, or one the runtime did not write). */
function recordTime(line: string): number | undefined {
  try {
    const value = JSON.parse(line);
    if (value?.type !== ATTEMPT_RECORD_TYPE) return undefined;
    const time = Date.parse(value.time);
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined;
  }
}

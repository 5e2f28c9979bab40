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
      if (!line.includes(ATTEMPT_RECORD_TYPE) || !matchesTerms(line, query.filterPattern)) return;
      if (timestamp < query.startTime || timestamp >= query.endTime) return;
      events.push({ timestamp, message: line, eventId });
    });
    return events;
  }
}

function recordTime(line: string): number | undefined {
  try {
    const time = Date.parse(JSON.parse(line).time);
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined; // not JSON: a torn line, or not written by the runtime
  }
}

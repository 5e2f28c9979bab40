import { readFile } from "node:fs/promises";
import { ATTEMPT_RECORD_TYPE } from "../../functions/token-url/attempt-record";
import { LogEvent, LogQuery, LogSource, matchesTerms } from "./log-source";

/** The local runtime's JSONL file (`npm start`): one attempt record per line, as the Lambda
 * logs it. A missing file reads as empty: nothing has been recorded yet. */
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
    text.split("\n").forEach((line, index) => {
      if (!line.includes(ATTEMPT_RECORD_TYPE) || !matchesTerms(line, query.filterPattern)) return;
      const timestamp = recordTime(line);
      if (timestamp === undefined || timestamp < query.startTime || timestamp >= query.endTime) return;
      events.push({ timestamp, message: line, eventId: `line-${index}` });
    });
    return events;
  }
}

function recordTime(line: string): number | undefined {
  try {
    const time = Date.parse(JSON.parse(line).time);
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined; // a torn last line while the runtime writes
  }
}

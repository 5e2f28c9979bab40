import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LogEvent, LogQuery, LogSource } from "./log-source";

/** FilterLogEvents over one log group, every page read: a page may be empty while nextToken
 * is still set, so only a missing nextToken ends the scan. `calls` counts API requests. */
export class CloudWatchSource implements LogSource {
  calls = 0;
  eventsTransferred = 0;

  constructor(
    private readonly client: CloudWatchLogsClient,
    readonly logGroupName: string,
  ) {}

  async query(query: LogQuery): Promise<LogEvent[]> {
    const events: LogEvent[] = [];
    let nextToken: string | undefined;
    do {
      this.calls += 1;
      const page = await this.client.send(
        new FilterLogEventsCommand({
          logGroupName: this.logGroupName,
          startTime: query.startTime,
          endTime: query.endTime,
          filterPattern: query.filterPattern,
          nextToken,
        }),
      );
      for (const event of page.events ?? []) {
        if (event.timestamp === undefined || event.message === undefined) continue;
        events.push({ timestamp: event.timestamp, message: event.message, eventId: event.eventId ?? `${event.logStreamName}/${event.timestamp}` });
      }
      this.eventsTransferred += page.events?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }
}

import type { CloudWatchLogsClient, CloudWatchLogsClientConfig } from "@aws-sdk/client-cloudwatch-logs";
import { LogEvent, LogQuery, LogSource } from "./log-source";

// The SDK is loaded when AWS is first asked, not when a command starts: loading it takes
// longer than the rest of the command's start-up, and --help, --local and usage errors never
// need it (npm run bench, "command start-up").
const sdk = () => import("@aws-sdk/client-cloudwatch-logs");

/** A CloudWatch Logs client, the SDK loaded on this first use. */
export async function cloudWatchLogsClient(config: CloudWatchLogsClientConfig): Promise<CloudWatchLogsClient> {
  return new (await sdk()).CloudWatchLogsClient(config);
}

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
    const { FilterLogEventsCommand } = await sdk();
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

/**
 * Puts Lambda-shaped log events into a real CloudWatch Logs API (moto_server in tests and
 * benchmarks): one invocation at a time, or a whole day of a busy function (`seedScale`).
 *
 * PutLogEvents limits respected per call (CloudWatch Logs quotas): at most 10,000 events, at most
 * 1,048,576 bytes counting each message's UTF-8 bytes plus 26, events in time order, and a batch
 * spanning less than 24 hours. Events older than 14 days or more than 2 hours ahead are refused by
 * CloudWatch (moto too, silently, through `rejectedLogEventsInfo`): that is an error here.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CONNECTION_REFUSED_ERROR,
  consoleLine,
  InvocationOptions,
  LambdaLogEvent,
  LambdaLogFormat,
  lambdaInvocationLines,
  sampleAttemptRecord,
  sampleUpstream,
  TLS_BYPASS_WARNING_LINES,
} from "./lambda-log-events";

export const MAX_EVENTS_PER_PUT = 10_000;
export const MAX_BYTES_PER_PUT = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_SPAN_PER_PUT_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_LOG_GROUP = "/aws/lambda/token-url-debugger-token-url";

/** A client for an emulator endpoint, with the emulator's dummy credentials. */
export function logsClientFor(endpoint: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

/**
 * Sorts events by time (stably) and cuts them into PutLogEvents batches within the limits.
 * Exported for unit tests of the limits; `putEvents` uses it.
 */
export function putLogEventsBatches(events: readonly LambdaLogEvent[]): LambdaLogEvent[][] {
  const sorted = events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => a.event.timestamp - b.event.timestamp || a.index - b.index)
    .map(({ event }) => event);
  const batches: LambdaLogEvent[][] = [];
  let batch: LambdaLogEvent[] = [];
  let bytes = 0;
  for (const event of sorted) {
    const size = Buffer.byteLength(event.message, "utf8") + EVENT_OVERHEAD_BYTES;
    if (size > MAX_BYTES_PER_PUT) throw new Error(`a log event of ${size} bytes cannot be put`);
    const full =
      batch.length === MAX_EVENTS_PER_PUT ||
      bytes + size > MAX_BYTES_PER_PUT ||
      (batch.length > 0 && event.timestamp - batch[0].timestamp >= MAX_SPAN_PER_PUT_MS);
    if (full) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export interface SeedScaleOptions {
  readonly group: string;
  /** Attempt records, one invocation each. */
  readonly records: number;
  readonly streams: number;
  /** Every event that is not a record: the invocations' platform lines (START/END/REPORT,
   * INIT_START on each stream's cold start) plus filler (warnings, stack traces, raw stderr). */
  readonly otherLines: number;
  /** Records spread over [now - spanHours, now - 1 min]; a few filler lines come after the newest. */
  readonly spanHours: number;
  readonly now: Date;
  /** "mixed" (default): streams alternate between text and JSON format. */
  readonly format?: LambdaLogFormat | "mixed";
  /** Parallel PutLogEvents calls (one stream each); default 8. */
  readonly concurrency?: number;
  /** PRNG seed: the same options give the same events. Default 1. */
  readonly seed?: number;
}

export interface SeededRecord {
  /** Lambda's request id (START/END/REPORT and the record line's prefix). */
  readonly requestId: string;
  /** The record's own id (API Gateway's request id in the real stack). */
  readonly attemptId: string;
  /** The CloudWatch timestamp of the record's event. */
  readonly timestamp: number;
  readonly stream: string;
  readonly format: LambdaLogFormat;
}

export interface SeedScaleResult {
  /** The record a "latest attempt" search must find. */
  readonly newest: SeededRecord;
  /** Newest timestamp of any event; later than `newest.timestamp` (filler comes after it). */
  readonly newestEventTimestamp: number;
  /** Stream names in creation order. */
  readonly streams: readonly string[];
  /** Stream names in the order their writes were started; never in time order. */
  readonly writeOrder: readonly string[];
  readonly recordEvents: number;
  readonly otherEvents: number;
  readonly putCalls: number;
  readonly elapsedMs: number;
}

/** Log groups and streams over one CloudWatch Logs endpoint. */
export class LogGroupFixture {
  readonly client: CloudWatchLogsClient;
  /** PutLogEvents calls made so far. */
  putCalls = 0;

  constructor(
    endpoint: string,
    /** The group that createStream/putEvents/putInvocation use; createGroup switches it. */
    public groupName: string = DEFAULT_LOG_GROUP,
  ) {
    this.client = logsClientFor(endpoint);
  }

  /** Creates the group and makes it the current one. */
  async createGroup(name: string = this.groupName): Promise<void> {
    await this.client.send(new CreateLogGroupCommand({ logGroupName: name }));
    this.groupName = name;
  }

  async deleteGroup(name: string = this.groupName): Promise<void> {
    await this.client.send(new DeleteLogGroupCommand({ logGroupName: name }));
  }

  async createStream(name: string, group: string = this.groupName): Promise<void> {
    await this.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
  }

  /** Puts the events in as few calls as the limits allow, in time order. */
  async putEvents(stream: string, events: readonly LambdaLogEvent[], group: string = this.groupName): Promise<void> {
    for (const batch of putLogEventsBatches(events)) {
      this.putCalls += 1;
      const answer = await this.client.send(
        new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch }),
      );
      if (answer.rejectedLogEventsInfo) {
        throw new Error(`PutLogEvents refused events in ${stream}: ${JSON.stringify(answer.rejectedLogEventsInfo)}`);
      }
    }
  }

  /** One Lambda invocation's lines (lambdaInvocationLines); returns what was put. */
  async putInvocation(stream: string, options: InvocationOptions, group: string = this.groupName): Promise<LambdaLogEvent[]> {
    const events = lambdaInvocationLines(options);
    await this.putEvents(stream, events, group);
    return events;
  }

  /**
   * A busy day of the function: `records` attempt records and `otherLines` other events over
   * `streams` execution-environment streams. Streams are created and written in an order that is
   * not their time order, the newest record's stream is neither created nor written last, and
   * the newest events of the group are filler lines in other streams: neither "last stream" nor
   * "last event" finds the newest record. Creates `group` (which must not exist yet) without
   * making it this fixture's current group.
   */
  async seedScale(options: SeedScaleOptions): Promise<SeedScaleResult> {
    const started = Date.now();
    const callsBefore = this.putCalls;
    const plan = planScale(options);
    await this.client.send(new CreateLogGroupCommand({ logGroupName: options.group }));
    for (const stream of plan.creationOrder) await this.createStream(stream.name, options.group);
    await runLimited(plan.writeOrder, options.concurrency ?? 8, (stream) =>
      this.putEvents(stream.name, stream.events, options.group),
    );
    return {
      newest: plan.newest,
      newestEventTimestamp: plan.newestEventTimestamp,
      streams: plan.creationOrder.map((stream) => stream.name),
      writeOrder: plan.writeOrder.map((stream) => stream.name),
      recordEvents: plan.recordEvents,
      otherEvents: plan.otherEvents,
      putCalls: this.putCalls - callsBefore,
      elapsedMs: Date.now() - started,
    };
  }

  destroy(): void {
    this.client.destroy();
  }
}

interface PlannedStream {
  readonly name: string;
  readonly format: LambdaLogFormat;
  readonly events: LambdaLogEvent[];
}

interface ScalePlan {
  readonly creationOrder: PlannedStream[];
  readonly writeOrder: PlannedStream[];
  readonly newest: SeededRecord;
  readonly newestEventTimestamp: number;
  readonly recordEvents: number;
  readonly otherEvents: number;
}

const MINUTE = 60_000;
const TAIL_FILLER = 5;

/** The events of seedScale, without any I/O (deterministic for a seed). */
export function planScale(options: SeedScaleOptions): ScalePlan {
  const { records, streams: streamCount, otherLines, spanHours, now } = options;
  if (streamCount < 3) throw new Error("seedScale needs at least 3 streams");
  if (records < 1) throw new Error("seedScale needs at least 1 record");
  const random = mulberry32(options.seed ?? 1);
  const end = now.getTime();
  const spanMs = spanHours * 60 * MINUTE;
  const lastRecordAt = end - MINUTE;
  const firstRecordAt = Math.min(end - spanMs, lastRecordAt - records);

  const streams = Array.from({ length: streamCount }, (_, index) => ({
    format: (options.format ?? "mixed") === "mixed" ? (index % 2 === 0 ? "text" : "json") : (options.format as LambdaLogFormat),
    events: [] as LambdaLogEvent[],
    warm: false,
  }));

  // Distinct record times; the newest one exactly at lastRecordAt.
  const times = new Set<number>([lastRecordAt]);
  while (times.size < records) times.add(firstRecordAt + Math.floor(random() * (lastRecordAt - firstRecordAt)));
  const recordTimes = [...times].sort((a, b) => a - b);

  // The newest record lives in a stream that will be neither created nor written last.
  const newestStream = Math.floor(streamCount / 2);
  let newest: (Omit<SeededRecord, "stream"> & { streamIndex: number }) | undefined;
  let platformEvents = 0;
  for (const [index, time] of recordTimes.entries()) {
    const isNewest = index === recordTimes.length - 1;
    const streamIndex = isNewest ? newestStream : Math.floor(random() * streamCount);
    const stream = streams[streamIndex];
    const requestId = fakeUuid(random);
    const attemptId = fakeUuid(random);
    const events = lambdaInvocationLines({
      requestId,
      time: new Date(time),
      record: scaleRecord(random, attemptId, new Date(time - 40)),
      format: stream.format,
      coldStartMs: stream.warm ? undefined : 150 + Math.round(random() * 10_000) / 100,
      durationMs: 5 + Math.round(random() * 50_000) / 100,
    });
    stream.warm = true;
    stream.events.push(...events);
    platformEvents += events.length - 1;
    if (isNewest) newest = { requestId, attemptId, timestamp: time, format: stream.format, streamIndex };
  }
  if (!newest) throw new Error("unreachable: no record planned");

  const filler = otherLines - platformEvents;
  if (filler < TAIL_FILLER) {
    throw new Error(
      `otherLines=${otherLines} is too few: the ${records} invocations alone write ${platformEvents} platform lines ` +
        `(and ${TAIL_FILLER} filler lines must follow the newest record)`,
    );
  }
  let newestEventTimestamp = 0;
  for (let index = 0; index < filler; index += 1) {
    // The last few filler lines are newer than every record, in streams other than the newest record's.
    const tail = index >= filler - TAIL_FILLER;
    let streamIndex = Math.floor(random() * streamCount);
    if (tail && streamIndex === newest.streamIndex) streamIndex = (streamIndex + 1) % streamCount;
    const time = tail
      ? lastRecordAt + 10 + Math.floor(random() * (end - lastRecordAt - 10))
      : firstRecordAt + Math.floor(random() * (end - firstRecordAt));
    newestEventTimestamp = Math.max(newestEventTimestamp, time);
    streams[streamIndex].events.push({ timestamp: time, message: fillerLine(random, streams[streamIndex].format, new Date(time)) });
  }

  const named: PlannedStream[] = streams.map((stream) => {
    const first = stream.events.reduce((earliest, event) => Math.min(earliest, event.timestamp), end);
    return { name: lambdaStreamName(new Date(first), random), format: stream.format, events: stream.events };
  });
  const creationOrder = shuffleAvoidingLast(named, named[newest.streamIndex], random);
  const writeOrder = shuffleAvoidingLast(named, named[newest.streamIndex], random);
  return {
    creationOrder,
    writeOrder,
    newest: {
      requestId: newest.requestId,
      attemptId: newest.attemptId,
      timestamp: newest.timestamp,
      format: newest.format,
      stream: named[newest.streamIndex].name,
    },
    newestEventTimestamp,
    recordEvents: records,
    otherEvents: platformEvents + filler,
  };
}

function scaleRecord(random: () => number, attemptId: string, time: Date): object {
  const roll = random();
  if (roll < 0.6) return sampleAttemptRecord({ attemptId, time: time.toISOString() });
  if (roll < 0.85) {
    return sampleAttemptRecord({
      attemptId,
      time: time.toISOString(),
      mode: "proxy",
      upstream: sampleUpstream(),
      findings: [],
    });
  }
  return sampleAttemptRecord({
    attemptId,
    time: time.toISOString(),
    mode: "proxy",
    verdict: "fail",
    upstream: { ...sampleUpstream(), status: null, body: "", bodyBytes: 0, error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED 203.0.113.10:443" } },
    response: { status: 502, contentType: "application/json;charset=UTF-8" },
    findings: [
      {
        code: "CONNECTION_REFUSED",
        severity: "error",
        message: "The token URL refused the TCP connection.",
        fix: "Check that the server listens on that host and port.",
      },
    ],
  });
}

/** Something a function prints besides its record: a warning, a stack, raw stderr. */
function fillerLine(random: () => number, format: LambdaLogFormat, time: Date): string {
  const requestId = fakeUuid(random);
  const roll = random();
  if (roll < 0.5) {
    return consoleLine(format, requestId, time, "WARN", `upstream answered in ${Math.round(random() * 3000)} ms`);
  }
  if (roll < 0.75) return consoleLine(format, requestId, time, "ERROR", CONNECTION_REFUSED_ERROR);
  if (roll < 0.9) return consoleLine(format, requestId, time, "INFO", "token request received");
  return TLS_BYPASS_WARNING_LINES[Math.floor(random() * TLS_BYPASS_WARNING_LINES.length)];
}

/** `2026/11/24/[$LATEST]<32 hex>`, as Lambda names an execution environment's stream. */
function lambdaStreamName(firstEvent: Date, random: () => number): string {
  const day = firstEvent.toISOString().slice(0, 10).replace(/-/g, "/");
  return `${day}/[$LATEST]${hex(random, 32)}`;
}

function fakeUuid(random: () => number): string {
  const digits = hex(random, 32);
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-4${digits.slice(13, 16)}-a${digits.slice(17, 20)}-${digits.slice(20)}`;
}

function hex(random: () => number, length: number): string {
  let text = "";
  while (text.length < length) text += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, "0");
  return text.slice(0, length);
}

/** A seeded shuffle in which `avoid` is not the last item (nor the first, with 3+ items). */
function shuffleAvoidingLast<T>(items: readonly T[], avoid: T, random: () => number): T[] {
  const shuffled = [...items];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other], shuffled[index]];
  }
  const at = shuffled.indexOf(avoid);
  const middle = Math.floor(shuffled.length / 2);
  [shuffled[at], shuffled[middle]] = [shuffled[middle], shuffled[at]];
  return shuffled;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

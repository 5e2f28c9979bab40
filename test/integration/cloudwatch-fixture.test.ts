/**
 * The CloudWatch test fixtures (test/support/lambda-log-events.ts, cloudwatch-fixture.ts) proved
 * against a real CloudWatch Logs API: moto_server (DESIGN §5). Also pins down what moto 5.2's
 * FilterLogEvents does, so that a moto upgrade that changes it is noticed here first.
 */
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  FilteredLogEvent,
  FilterLogEventsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import { MotoServer } from "../e2e/support/moto";
import { describeWhenAvailable, findMotoServer } from "../e2e/support/tools";
import {
  LogGroupFixture,
  MAX_BYTES_PER_PUT,
  MAX_EVENTS_PER_PUT,
  MAX_SPAN_PER_PUT_MS,
  planScale,
  putLogEventsBatches,
} from "../support/cloudwatch-fixture";
import {
  CONNECTION_REFUSED_ERROR,
  LambdaLogFormat,
  lambdaInvocationLines,
  recordFromLambdaMessage,
  sampleAttemptRecord,
  TLS_BYPASS_WARNING_LINES,
} from "../support/lambda-log-events";

const REQUEST_ID = "5e6f9a7c-1b2d-4e3f-8a9b-0c1d2e3f4a5b";
const TIME = new Date("2026-11-24T19:00:00.123Z");

describe("lambdaInvocationLines", () => {
  const record = sampleAttemptRecord({ attemptId: "api-gw-id", time: "2026-11-24T19:00:00.080Z" });

  test("text format: START, record, END, REPORT as Lambda writes them, in strictly increasing time", () => {
    const events = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "text" });
    expect(events.map((event) => event.message)).toEqual([
      `START RequestId: ${REQUEST_ID} Version: $LATEST\n`,
      `2026-11-24T19:00:00.123Z\t${REQUEST_ID}\tINFO\t${JSON.stringify(record)}\n`,
      `END RequestId: ${REQUEST_ID}\n`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\t\n`,
    ]);
    expect(events[1].timestamp).toBe(TIME.getTime());
    expectIncreasing(events.map((event) => event.timestamp));
  });

  test("text format, cold start: INIT_START first and Init Duration in REPORT", () => {
    const events = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "text", coldStartMs: 180.12 });
    expect(events[0].message).toMatch(/^INIT_START Runtime Version: nodejs:22\.v\d+\tRuntime Version ARN: arn:aws:lambda:/);
    expect(events.at(-1)?.message).toMatch(/\tMax Memory Used: 71 MB\tInit Duration: 180\.12 ms\t\n$/);
    expectIncreasing(events.map((event) => event.timestamp));
  });

  test("JSON format: platform.start, the record as the handler's string message, platform.report", () => {
    const events = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "json", coldStartMs: 180.12 });
    const lines = events.map((event) => JSON.parse(event.message));
    expect(lines.map((line) => line.type ?? line.level)).toEqual([
      "platform.initStart",
      "platform.start",
      "INFO",
      "platform.report",
    ]);
    expect(lines[1]).toEqual({
      time: new Date(events[1].timestamp).toISOString(),
      type: "platform.start",
      record: { requestId: REQUEST_ID, version: "$LATEST" },
    });
    expect(lines[2]).toEqual({
      timestamp: "2026-11-24T19:00:00.123Z",
      level: "INFO",
      requestId: REQUEST_ID,
      message: JSON.stringify(record),
    });
    expect(lines[3].record).toEqual({
      requestId: REQUEST_ID,
      metrics: { durationMs: 12.34, billedDurationMs: 13, memorySizeMB: 256, maxMemoryUsedMB: 71, initDurationMs: 180.12 },
      status: "success",
    });
    expectIncreasing(events.map((event) => event.timestamp));
  });

  test("JSON format with an object message (console.log(record)); no record at all", () => {
    const [, recordEvent] = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "json", jsonMessage: "object" });
    expect(JSON.parse(recordEvent.message).message).toEqual(record);
    const bare = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record: null, format: "json" });
    expect(bare.map((event) => JSON.parse(event.message).type)).toEqual(["platform.start", "platform.report"]);
  });

  test("extra lines: raw stderr as is, console.error(error) as Node prints it, in both formats", () => {
    const extraLines = [TLS_BYPASS_WARNING_LINES[0], { level: "ERROR" as const, message: CONNECTION_REFUSED_ERROR }];
    const text = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "text", extraLines });
    expect(text[1].message).toBe(TLS_BYPASS_WARNING_LINES[0]);
    expect(text[2].message).toMatch(
      new RegExp(`^\\S+Z\\t${REQUEST_ID}\\tERROR\\tError: connect ECONNREFUSED [^\\n]+\\n    at TCPConnectWrap[^\\n]+ \\{\\n  errno: -111,\\n  code: 'ECONNREFUSED',`),
    );
    const json = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format: "json", extraLines });
    expect(JSON.parse(json[2].message).message).toMatchObject({
      errorType: "Error",
      errorMessage: CONNECTION_REFUSED_ERROR.message,
      stackTrace: CONNECTION_REFUSED_ERROR.stack.split("\n"),
      code: "ECONNREFUSED",
    });
    expectIncreasing(text.map((event) => event.timestamp));
    expect(text[3].timestamp).toBe(TIME.getTime());
  });

  test("recordFromLambdaMessage reads the record back from every shape and nothing else", () => {
    for (const format of ["text", "json"] as const) {
      for (const jsonMessage of ["string", "object"] as const) {
        const events = lambdaInvocationLines({ requestId: REQUEST_ID, time: TIME, record, format, jsonMessage });
        expect(events.map((event) => recordFromLambdaMessage(event.message))).toEqual(
          events.map((_, index) => (index === 1 ? record : undefined)),
        );
      }
    }
  });
});

describe("putLogEventsBatches (PutLogEvents limits)", () => {
  test("sorts, and cuts at 10,000 events, 1 MiB (message bytes + 26 each) and a 24 h span", () => {
    const many = Array.from({ length: 25_000 }, (_, index) => ({ timestamp: 1_000_000 - index, message: "x" }));
    const byCount = putLogEventsBatches(many);
    expect(byCount.map((batch) => batch.length)).toEqual([MAX_EVENTS_PER_PUT, MAX_EVENTS_PER_PUT, 5_000]);
    expectNonDecreasing(byCount.flat().map((event) => event.timestamp));

    const big = Array.from({ length: 10 }, (_, index) => ({ timestamp: index, message: "é".repeat(100_000) }));
    const bySize = putLogEventsBatches(big);
    for (const batch of bySize) {
      expect(batch.reduce((bytes, event) => bytes + Buffer.byteLength(event.message) + 26, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_PUT);
    }
    expect(bySize.map((batch) => batch.length)).toEqual([5, 5]);

    const spread = [0, MAX_SPAN_PER_PUT_MS - 1, MAX_SPAN_PER_PUT_MS, 2 * MAX_SPAN_PER_PUT_MS - 1].map((timestamp) => ({ timestamp, message: "x" }));
    expect(putLogEventsBatches(spread).map((batch) => batch.length)).toEqual([2, 2]);
  });
});

describe("planScale", () => {
  test("exact counts, one newest record, newer filler elsewhere, and no time order in creation or writes", () => {
    const now = new Date("2026-11-24T19:00:00Z");
    const plan = planScale({ group: "/g", records: 300, streams: 12, otherLines: 1_500, spanHours: 24, now, seed: 7 });
    const events = plan.creationOrder.flatMap((stream) => stream.events);
    expect(events).toHaveLength(1_800);
    const records = events.filter((event) => recordFromLambdaMessage(event.message));
    expect(records).toHaveLength(300);
    const newestRecord = Math.max(...records.map((event) => event.timestamp));
    expect(newestRecord).toBe(plan.newest.timestamp);
    expect(records.filter((event) => event.timestamp === newestRecord)).toHaveLength(1);
    expect(plan.newestEventTimestamp).toBeGreaterThan(plan.newest.timestamp);
    expect(plan.creationOrder.at(-1)?.name).not.toBe(plan.newest.stream);
    expect(plan.writeOrder.at(-1)?.name).not.toBe(plan.newest.stream);
    expect(Math.min(...events.map((event) => event.timestamp))).toBeGreaterThanOrEqual(now.getTime() - 24 * 3_600_000 - 60_000);
    expect(Math.max(...events.map((event) => event.timestamp))).toBeLessThanOrEqual(now.getTime());
    expect(new Set(plan.creationOrder.map((stream) => stream.format))).toEqual(new Set(["text", "json"]));
    // Deterministic for a seed.
    expect(planScale({ group: "/g", records: 300, streams: 12, otherLines: 1_500, spanHours: 24, now, seed: 7 }).newest).toEqual(plan.newest);
  });

  test("refuses otherLines too few for the invocations' own platform lines", () => {
    expect(() => planScale({ group: "/g", records: 100, streams: 4, otherLines: 50, spanHours: 1, now: new Date() })).toThrow(
      /otherLines=50 is too few/,
    );
  });
});

describeWhenAvailable("CloudWatch fixtures against moto_server", findMotoServer(), (motoServer) => {
  jest.setTimeout(60_000);
  const GROUP = "/aws/lambda/fixture-test-token-url";
  let moto: MotoServer | undefined;
  let fixture: LogGroupFixture;

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    fixture = new LogGroupFixture(moto.endpoint);
    await fixture.createGroup(GROUP);
  });

  afterAll(() => {
    fixture?.destroy();
    moto?.stop();
  });

  const filter = (input: Omit<FilterLogEventsCommandInput, "logGroupName">, group = GROUP) =>
    filterAll(fixture.client, { logGroupName: group, ...input });

  describe.each<[LambdaLogFormat, "string" | "object"]>([
    ["text", "string"],
    ["json", "string"],
    ["json", "object"],
  ])("one invocation in %s format (%s message)", (format, jsonMessage) => {
    const stream = `2026/11/24/[$LATEST]${format}${jsonMessage}`;
    const record = sampleAttemptRecord();
    let put: { timestamp: number; message: string }[];

    beforeAll(async () => {
      await fixture.createStream(stream);
      put = await fixture.putInvocation(stream, {
        requestId: REQUEST_ID,
        time: new Date(Date.now() - 5 * 60_000),
        record,
        format,
        jsonMessage,
        coldStartMs: 201.5,
        extraLines: [...TLS_BYPASS_WARNING_LINES, { level: "WARN", message: "slow upstream" }],
      });
    });

    test('filterPattern "token-attempt" returns the record line only, and the record parses back', async () => {
      const { events } = await filter({ logStreamNames: [stream], filterPattern: '"token-attempt"' });
      expect(events.map((event) => event.message)).toEqual([put.find((event) => recordFromLambdaMessage(event.message))?.message]);
      expect(recordFromLambdaMessage(events[0].message ?? "")).toEqual(record);
      expect(events[0].logStreamName).toBe(stream);
    });

    test("every line lands, START/END/REPORT included, in time order", async () => {
      const { events } = await filter({ logStreamNames: [stream] });
      expect(events.map(({ timestamp, message }) => ({ timestamp, message }))).toEqual(put);
    });
  });

  test("seedScale: the expected counts land, and the newest record is the one reported", async () => {
    const group = "/aws/lambda/fixture-scale";
    const seeded = await fixture.seedScale({
      group,
      records: 500,
      streams: 10,
      otherLines: 2_000,
      spanHours: 24,
      now: new Date(),
    });
    expect(fixture.groupName).toBe(GROUP);
    expect(seeded).toMatchObject({ recordEvents: 500, otherEvents: 2_000 });

    const all = await filter({}, group);
    expect(all.events).toHaveLength(2_500);
    const attempts = await filter({ filterPattern: '"token-attempt"' }, group);
    expect(attempts.events).toHaveLength(500);
    const records = attempts.events.map((event) => ({ event, record: recordFromLambdaMessage(event.message ?? "") }));
    expect(records.every(({ record }) => record?.type === "token-attempt")).toBe(true);
    const newest = records.reduce((best, candidate) =>
      (candidate.event.timestamp ?? 0) > (best.event.timestamp ?? 0) ? candidate : best,
    );
    expect(newest.event.timestamp).toBe(seeded.newest.timestamp);
    expect(newest.event.logStreamName).toBe(seeded.newest.stream);
    expect(newest.record?.attemptId).toBe(seeded.newest.attemptId);
    expect(newest.event.message).toContain(seeded.newest.requestId);

    // Neither the newest event nor the last stream points at the newest record.
    const newestEvent = all.events.reduce((best, event) => ((event.timestamp ?? 0) > (best.timestamp ?? 0) ? event : best));
    expect(newestEvent.timestamp).toBe(seeded.newestEventTimestamp);
    expect(newestEvent.logStreamName).not.toBe(seeded.newest.stream);
    const { logStreams = [] } = await fixture.client.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    expect(logStreams).toHaveLength(10);
    expect(seeded.streams.at(-1)).not.toBe(seeded.newest.stream);
    expect(seeded.writeOrder.at(-1)).not.toBe(seeded.newest.stream);
  });

  describe("moto 5.2 FilterLogEvents, as observed", () => {
    const group = "/aws/lambda/fixture-moto-behaviour";
    const base = Date.now() - 10 * 60_000;
    let other: LogGroupFixture;
    beforeAll(async () => {
      other = new LogGroupFixture(moto?.endpoint ?? "", group);
      await other.createGroup();
      await other.createStream("created-first");
      await other.createStream("created-second");
      await other.putEvents("created-first", [
        { timestamp: base + 10, message: "token-attempt 10" },
        { timestamp: base + 30, message: "token-attempt 30" },
      ]);
      await other.putEvents("created-second", [
        { timestamp: base, message: "START 0" },
        { timestamp: base + 20, message: "token-attempt 20" },
        { timestamp: base + 40, message: "Token-Attempt 40" },
      ]);
    });
    afterAll(() => other?.destroy());
    const messages = async (input: Omit<FilterLogEventsCommandInput, "logGroupName">) =>
      (await filter(input, group)).events.map((event) => event.message);

    test("results are grouped by stream in creation order unless interleaved (AWS always interleaves)", async () => {
      expect(await messages({})).toEqual(["token-attempt 10", "token-attempt 30", "START 0", "token-attempt 20", "Token-Attempt 40"]);
      expect(await messages({ interleaved: true })).toEqual([
        "START 0",
        "token-attempt 10",
        "token-attempt 20",
        "token-attempt 30",
        "Token-Attempt 40",
      ]);
    });

    test("startTime and endTime are both inclusive; startTime 0 means no bound", async () => {
      expect(await messages({ startTime: base + 10, endTime: base + 30, interleaved: true })).toEqual([
        "token-attempt 10",
        "token-attempt 20",
        "token-attempt 30",
      ]);
      expect(await messages({ startTime: 0, endTime: base + 5 })).toEqual(["START 0"]);
    });

    test("quoted and bare terms are case-sensitive substrings; JSON and ? patterns match everything", async () => {
      expect(await messages({ filterPattern: '"token-attempt"', interleaved: true })).toEqual([
        "token-attempt 10",
        "token-attempt 20",
        "token-attempt 30",
      ]);
      expect(await messages({ filterPattern: "token-attempt" })).toHaveLength(3);
      expect(await messages({ filterPattern: '{ $.type = "token-attempt" }' })).toHaveLength(5);
      expect(await messages({ filterPattern: "?START ?Token" })).toHaveLength(5);
      // Two quoted terms are read as one phrase with the inner quotes in it.
      expect(await messages({ filterPattern: '"token-attempt" "10"' })).toHaveLength(0);
    });

    test("pages hold `limit` events (default 10,000, whatever their size); a bad nextToken gives an empty last page", async () => {
      const paged = await filter({ limit: 2 }, group);
      expect(paged.pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(paged.tokens).toEqual([`${group}@created-first@${paged.pages[0][1].eventId}`, `${group}@created-second@${paged.pages[1][1].eventId}`]);
      const bad = await fixture.client.send(new FilterLogEventsCommand({ logGroupName: group, nextToken: "not-a-token" }));
      expect(bad.events).toEqual([]);
      expect(bad.nextToken).toBeUndefined();
    });

    test("logStreamNames restricts the search; an unknown name matches nothing; logStreamNamePrefix is ignored", async () => {
      expect(await messages({ logStreamNames: ["created-second"] })).toEqual(["START 0", "token-attempt 20", "Token-Attempt 40"]);
      expect(await messages({ logStreamNames: ["no-such-stream"] })).toEqual([]);
      expect(await messages({ logStreamNamePrefix: "created-second" })).toHaveLength(5);
    });
  });
});

async function filterAll(
  client: CloudWatchLogsClient,
  input: FilterLogEventsCommandInput,
): Promise<{ events: FilteredLogEvent[]; pages: FilteredLogEvent[][]; tokens: string[] }> {
  const pages: FilteredLogEvent[][] = [];
  const tokens: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new FilterLogEventsCommand({ ...input, nextToken }));
    pages.push(page.events ?? []);
    nextToken = page.nextToken;
    if (nextToken) tokens.push(nextToken);
  } while (nextToken);
  return { events: pages.flat(), pages, tokens };
}

function expectIncreasing(values: number[]): void {
  for (let index = 1; index < values.length; index += 1) expect(values[index]).toBeGreaterThan(values[index - 1]);
}

function expectNonDecreasing(values: number[]): void {
  expect(values.findIndex((value, index) => index > 0 && value < values[index - 1])).toBe(-1);
}

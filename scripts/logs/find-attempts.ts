import { AttemptRecord, ATTEMPT_RECORD_TYPE } from "../../functions/token-url/attempt-record";
import { LambdaReport } from "../report/render-attempt";
import { LogLine, parseLogLine } from "./log-line";
import { LogEvent, LogSource, quotedTerm } from "./log-source";

export interface FoundAttempt {
  readonly record: AttemptRecord;
  /** The log event's timestamp (ingestion order), ms. */
  readonly timestamp: number;
  readonly eventId: string;
  /** Lambda's own request id (not the API Gateway one in the record), to find its REPORT line. */
  readonly lambdaRequestId: string | null;
}

export interface SearchOptions {
  /** How many of the newest attempts to return. */
  readonly limit: number;
  /** How far back to look at most, ms. */
  readonly sinceMs: number;
  readonly now: number;
  /** Only the attempt with this id (the API Gateway request id, `attemptId` in the record). */
  readonly attemptId?: string;
  /** Counts the lines that claim to be records but cannot be read. */
  readonly unreadable?: UnreadableLines;
}

/** The log lines skipped because they could not be read, each counted once however many
 * queries returned it (the search widens its window; --follow polls). */
export class UnreadableLines {
  private readonly ids = new Set<string>();
  private reported = 0;

  add(eventId: string): void {
    this.ids.add(eventId);
  }

  get count(): number {
    return this.ids.size;
  }

  /** How many were added since the last call (for --follow, which reports as it goes). */
  takeUnreported(): number {
    const fresh = this.ids.size - this.reported;
    this.reported = this.ids.size;
    return fresh;
  }
}


const MINUTE = 60_000;
// Start small: right after a failed link the record is minutes old, and a short window
// transfers few events. Widen only when it holds fewer than asked for.
const WINDOWS_MS = [15 * MINUTE, 60 * MINUTE, 6 * 60 * MINUTE, 24 * 60 * MINUTE, 7 * 24 * 60 * MINUTE];
// Events can carry timestamps slightly ahead of this machine's clock.
const CLOCK_SLACK_MS = 5 * MINUTE;

/**
 * The newest attempts, newest first. Each widening step queries only the part of the window
 * not yet read, so no event is transferred twice.
 */
export async function findLatestAttempts(source: LogSource, options: SearchOptions): Promise<FoundAttempt[]> {
  // One quoted term only: CloudWatch ANDs several, but the emulator reads them as one phrase.
  // The id alone is selective enough; parsing drops any line that is not an attempt record.
  const filterPattern = quotedTerm(options.attemptId ?? ATTEMPT_RECORD_TYPE);
  const windows = [...WINDOWS_MS.filter((window) => window < options.sinceMs), options.sinceMs];
  const found: FoundAttempt[] = [];
  let endTime = options.now + CLOCK_SLACK_MS;
  for (const window of windows) {
    const startTime = options.now - window;
    if (startTime >= endTime) continue;
    found.push(...attemptsIn(await source.query({ startTime, endTime, filterPattern }), options.unreadable, options.attemptId));
    if (found.length >= options.limit) break;
    endTime = startTime;
  }
  return newestFirst(found).slice(0, options.limit);
}

/** Every attempt of the last `sinceMs`, oldest first, in one FilterLogEvents page sequence (for
 * --timeline, which needs them all: widening windows would only add calls). */
export async function findAllAttempts(source: LogSource, options: Pick<SearchOptions, "sinceMs" | "now" | "unreadable">): Promise<FoundAttempt[]> {
  const events = await source.query({
    startTime: options.now - options.sinceMs,
    endTime: options.now + CLOCK_SLACK_MS,
    filterPattern: quotedTerm(ATTEMPT_RECORD_TYPE),
  });
  return newestFirst(attemptsIn(events, options.unreadable)).reverse();
}

/** Attempts logged after `afterTimestamp` (for --follow), oldest first, skipping `seen` ids. */
export async function findNewAttempts(
  source: LogSource,
  afterTimestamp: number,
  now: number,
  seen: Set<string>,
  unreadable?: UnreadableLines,
): Promise<FoundAttempt[]> {
  const events = await source.query({
    startTime: afterTimestamp,
    endTime: now + CLOCK_SLACK_MS,
    filterPattern: quotedTerm(ATTEMPT_RECORD_TYPE),
  });
  return newestFirst(attemptsIn(events, unreadable))
    .reverse()
    .filter((attempt) => !seen.has(attempt.eventId));
}

/** The REPORT line Lambda wrote for the invocation that logged `attempt` (duration, memory,
 * cold start), if it is there. */
export async function findLambdaReport(source: LogSource, attempt: FoundAttempt): Promise<LambdaReport | undefined> {
  if (!attempt.lambdaRequestId) return undefined;
  const events = await source.query({
    startTime: attempt.timestamp,
    // The function's timeout is at most 28 s; the REPORT line follows the record within it.
    endTime: attempt.timestamp + MINUTE,
    filterPattern: quotedTerm(attempt.lambdaRequestId),
  });
  for (const event of events) {
    const line = parseLogLine(event.message);
    if (line.kind === "report" && line.lambdaRequestId === attempt.lambdaRequestId) return line.report;
  }
  return undefined;
}

/**
 * The records of these attempt ids, from ONE query (a single page sequence), whatever their
 * number: the events are selected by `term`, a string every one of them holds (verify's run
 * id), then matched by id. Ids not found are simply absent from the map.
 */
export async function findAttemptsByIds(
  source: LogSource,
  query: { readonly term: string; readonly ids: readonly string[]; readonly startTime: number; readonly now: number },
): Promise<Map<string, AttemptRecord>> {
  const events = await source.query({ startTime: query.startTime, endTime: query.now + CLOCK_SLACK_MS, filterPattern: quotedTerm(query.term) });
  const wanted = new Set(query.ids);
  const found = new Map<string, AttemptRecord>();
  for (const attempt of attemptsIn(events)) {
    if (wanted.has(attempt.record.attemptId)) found.set(attempt.record.attemptId, attempt.record);
  }
  return found;
}

function attemptsIn(events: readonly LogEvent[], unreadable?: UnreadableLines, attemptId?: string): FoundAttempt[] {
  const attempts: FoundAttempt[] = [];
  for (const event of events) {
    const line: LogLine = event.unreadable ? { kind: "unreadable" } : parseLogLine(event.message);
    if (line.kind === "unreadable") unreadable?.add(event.eventId);
    if (line.kind !== "attempt") continue;
    if (attemptId && line.record.attemptId !== attemptId) continue;
    attempts.push({ record: line.record, timestamp: event.timestamp, eventId: event.eventId, lambdaRequestId: line.lambdaRequestId });
  }
  return attempts;
}

function newestFirst(attempts: FoundAttempt[]): FoundAttempt[] {
  return [...attempts].sort((a, b) => b.timestamp - a.timestamp || b.record.time.localeCompare(a.record.time));
}

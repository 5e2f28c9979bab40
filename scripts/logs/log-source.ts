/** Where attempt records are read from: CloudWatch Logs, or the local runtime's JSONL file. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  /** Unique per event within a source, to drop repeats when time windows overlap. */
  readonly eventId: string;
  /** The source could not read it at all (a line of the local file that is not JSON): it is
   * counted, never shown. */
  readonly unreadable?: true;
}

export interface LogQuery {
  /** Inclusive, ms since the epoch. */
  readonly startTime: number;
  /** Exclusive, ms since the epoch. */
  readonly endTime: number;
  /** CloudWatch filter pattern made of quoted terms, all of which must appear. */
  readonly filterPattern: string;
}

export interface LogSource {
  /** Every matching event in the range, all pages read. */
  query(query: LogQuery): Promise<LogEvent[]>;
}

/** A filter pattern matching events that contain `term`. A single quoted term behaves the same
 * on CloudWatch and in the emulator (DESIGN §5); JSON patterns and several terms do not. */
export function quotedTerm(term: string): string {
  return `"${term.replace(/"/g, "")}"`;
}

/** The local equivalent of CloudWatch's matching of quoted terms. */
export function matchesTerms(message: string, filterPattern: string): boolean {
  const terms = [...filterPattern.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
  return terms.every((term) => message.includes(term));
}

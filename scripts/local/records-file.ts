import { createWriteStream, mkdirSync, WriteStream } from "node:fs";
import { dirname } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { safeJson } from "../../functions/token-url/record-exit";

/**
 * The local runtime's log: one attempt record per line, the same JSON the Lambda logs. All
 * writes go through one append stream, one whole line per write, so concurrent requests never
 * interleave or tear a record; close() resolves once everything is on disk.
 */
export class RecordsFile {
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: "a" });
  }

  append(record: AttemptRecord): void {
    this.stream.write(`${safeJson(record)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once("error", reject);
      this.stream.end(resolve);
    });
  }
}

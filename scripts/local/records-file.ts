import { closeSync, createWriteStream, fchmodSync, mkdirSync, openSync, WriteStream } from "node:fs";
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
    // Records hold client ids, fingerprints and what the token URL answered: for this user only,
    // like saved links. Folders it creates are 0700; an existing folder is left as it is (it
    // may be /tmp or shared), but the file itself is tightened to 0600 even if it already
    // existed with a looser mode (the umask does not narrow 0600 further than wanted).
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(path, "a", 0o600);
    try {
      fchmodSync(fd, 0o600);
    } finally {
      closeSync(fd);
    }
    this.stream = createWriteStream(path, { flags: "a", mode: 0o600 });
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

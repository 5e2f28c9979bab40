import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Transform } from "node:stream";

/**
 * An answer's body as Alexa's HTTP client reads it (it decodes gzip, deflate and br
 * transparently), collected as it arrives and capped in *decoded* bytes: a ~200 KB gzip answer
 * can inflate to 200 MB (a decompression bomb), so the cap counts what the decoder gives, and
 * decoding stops there. Memory stays bounded by the cap: each chunk is inflated as it comes
 * (zlib's 16 KB output pieces), and the inflater is destroyed the moment the cap is reached.
 *
 * The bytes off the wire are capped too (an encoded stream can be long and decode to little),
 * and kept up to the cap, so that an answer whose decoding fails (`Content-Encoding: gzip` on
 * a plain body, a common misconfiguration) is still recorded as it was sent.
 */
export class CappedBodyDecoder {
  /** Bytes received from the wire, counted in full even past the cap. */
  receivedBytes = 0;
  /** True once the decoded (or the received) bytes went past the cap; reading stops there. */
  capped = false;
  /** Why the encoded body did not decode; the body is then the bytes as received. */
  decodingError: Error | null = null;
  /** The encoding that was decoded (lower-case), or null for a body taken as it came. */
  readonly encoding: string | null;

  private readonly decoded: Buffer[] = [];
  private decodedBytes = 0;
  private readonly received: Buffer[] = [];
  private keptReceivedBytes = 0;
  private readonly inflater: Transform | null;
  private readonly drained: Promise<void>;

  /** `onCapped` runs once, when the cap is reached: the caller stops reading the socket. */
  constructor(
    contentEncoding: string | undefined,
    private readonly maxBytes: number,
    private readonly onCapped: () => void,
  ) {
    const encoding = contentEncoding?.trim().toLowerCase() ?? "";
    this.inflater = inflaterFor(encoding);
    this.encoding = this.inflater ? encoding : null;
    if (!this.inflater) {
      this.drained = Promise.resolve();
      return;
    }
    const inflater = this.inflater;
    inflater.on("data", (chunk: Buffer) => this.keep(chunk));
    this.drained = new Promise((resolve) => {
      inflater.once("end", resolve);
      inflater.once("close", resolve); // destroyed at the cap: no "end" comes
      inflater.once("error", (error) => {
        this.decodingError ??= error;
        resolve();
      });
    });
  }

  /** One chunk off the wire. */
  write(chunk: Buffer): void {
    this.receivedBytes += chunk.length;
    if (this.capped) return;
    if (!this.inflater) {
      this.keep(chunk);
      return;
    }
    const room = this.maxBytes - this.keptReceivedBytes;
    if (chunk.length > room) {
      // Past the cap on the wire: what came so far is still decoded (below), the rest is not read.
      this.received.push(chunk.subarray(0, room));
      this.keptReceivedBytes += room;
      if (this.decodingError === null && !this.inflater.destroyed) this.inflater.write(chunk.subarray(0, room));
      this.reachCap();
      return;
    }
    this.received.push(chunk);
    this.keptReceivedBytes += chunk.length;
    if (this.decodingError === null && !this.inflater.destroyed) this.inflater.write(chunk);
  }

  /** The wire is done (its end, or the cap): resolves once the decoder has given all it will. */
  end(): Promise<void> {
    if (this.inflater && !this.inflater.destroyed && !this.inflater.writableEnded) this.inflater.end();
    return this.drained;
  }

  /** What was read so far, decoded; after a decoding failure, the bytes as received. */
  body(): Buffer {
    return Buffer.concat(this.decodingError ? this.received : this.decoded);
  }

  /** Stops decoding at once (a timeout or a reset: what came so far is the body). */
  stop(): void {
    this.inflater?.destroy();
  }

  private keep(chunk: Buffer): void {
    if (this.capped) return;
    const room = this.maxBytes - this.decodedBytes;
    if (chunk.length > room) {
      this.decoded.push(chunk.subarray(0, room));
      this.decodedBytes += room;
      this.reachCap();
      return;
    }
    this.decoded.push(chunk);
    this.decodedBytes += chunk.length;
  }

  private reachCap(): void {
    if (this.capped) return;
    this.capped = true;
    // The cap is the answer to a bomb: nothing more is inflated, nothing more is read.
    this.inflater?.destroy();
    this.onCapped();
  }
}

/** HTTP's `deflate` is the zlib format (RFC 9110 §8.4.1.2), which inflate reads. */
function inflaterFor(encoding: string): Transform | null {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * The capped decoder on its own, fed real zlib output chunk by chunk as a socket would: the cap
 * counts decoded bytes, decoding stops there, and what came is kept as Alexa's client reads it.
 */
import { randomBytes } from "node:crypto";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { CappedBodyDecoder } from "../../../functions/token-url/upstream/decode-body";

const CAP = 64 * 1024;

/** Feeds `wire` in chunks of `chunkSize`, stopping once the decoder asks to, then ends it. */
async function decode(wire: Buffer, contentEncoding: string | undefined, chunkSize = 1000) {
  let stopped = 0;
  const decoder = new CappedBodyDecoder(contentEncoding, CAP, () => (stopped += 1));
  for (let at = 0; at < wire.length && stopped === 0; at += chunkSize) {
    decoder.write(wire.subarray(at, at + chunkSize));
    await new Promise((resolve) => setImmediate(resolve)); // let zlib's thread pool work, as between socket reads
  }
  await decoder.end();
  return { decoder, stopped, body: decoder.body() };
}

const TOKEN = Buffer.from(JSON.stringify({ access_token: "a".repeat(40), token_type: "Bearer", expires_in: 3600 }));

describe("CappedBodyDecoder", () => {
  test.each([
    ["gzip", gzipSync],
    ["x-gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
    [" GZIP ", gzipSync],
  ] as const)("GIVEN a %s token answer THEN the body is the decoded JSON, not capped", async (encoding, compress) => {
    const { decoder, body, stopped } = await decode(compress(TOKEN), encoding, 7);
    expect(body.equals(TOKEN)).toBe(true);
    expect(decoder.capped).toBe(false);
    expect(stopped).toBe(0);
    expect(decoder.decodingError).toBeNull();
    expect(decoder.encoding).toBe(encoding.trim().toLowerCase());
  });

  test("GIVEN no or an unknown Content-Encoding THEN the bytes are taken as they came", async () => {
    for (const encoding of [undefined, "identity", "compress"]) {
      const { decoder, body } = await decode(TOKEN, encoding);
      expect(body.equals(TOKEN)).toBe(true);
      expect(decoder.encoding).toBeNull();
    }
  });

  test.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("GIVEN a %s bomb (16 MiB from a few KB) THEN decoding stops at the cap, once, with the cap's bytes", async (encoding, compress) => {
    const inflated = Buffer.alloc(16 * 1024 * 1024, "A");
    const bomb = compress(inflated);
    expect(bomb.length).toBeLessThan(CAP); // the wire cap alone would never catch it
    const { decoder, body, stopped } = await decode(bomb, encoding, 512);
    expect(decoder.capped).toBe(true);
    expect(stopped).toBe(1);
    expect(body.length).toBe(CAP);
    expect(body.equals(inflated.subarray(0, CAP))).toBe(true);
    expect(decoder.receivedBytes).toBeLessThanOrEqual(bomb.length);
    expect(decoder.decodingError).toBeNull();
  });

  test("GIVEN a plain body one byte over the cap THEN capped at the cap; exactly the cap THEN not", async () => {
    const over = await decode(Buffer.alloc(CAP + 1, "x"), undefined, 4096);
    expect([over.decoder.capped, over.body.length]).toEqual([true, CAP]);
    const exact = await decode(Buffer.alloc(CAP, "x"), undefined, 4096);
    expect([exact.decoder.capped, exact.body.length]).toEqual([false, CAP]);
  });

  test("GIVEN an encoded stream longer than the cap on the wire THEN capped too, with the received bytes counted", async () => {
    // Random bytes do not compress: the gzip stream is longer than the cap itself.
    const wire = gzipSync(randomBytes(CAP * 2));
    const { decoder, body, stopped } = await decode(wire, "gzip", 4096);
    expect(decoder.capped).toBe(true);
    expect(stopped).toBe(1);
    expect(body.length).toBeLessThanOrEqual(CAP);
    expect(decoder.receivedBytes).toBeGreaterThan(CAP);
  });

  test("GIVEN Content-Encoding gzip on a plain JSON body THEN a decoding error, and the body as it was sent", async () => {
    const { decoder, body } = await decode(TOKEN, "gzip");
    expect(decoder.decodingError?.message).toMatch(/incorrect header check/);
    expect(body.equals(TOKEN)).toBe(true);
    expect(decoder.capped).toBe(false);
  });

  test("GIVEN a gzip stream that ends early THEN a decoding error (Alexa's client fails too)", async () => {
    const whole = gzipSync(Buffer.alloc(10_000, "y"));
    const { decoder } = await decode(whole.subarray(0, whole.length - 12), "gzip");
    expect(decoder.decodingError?.message).toMatch(/unexpected end of file/);
  });
});

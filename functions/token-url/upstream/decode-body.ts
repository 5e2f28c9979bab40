import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** The body as Alexa's HTTP client reads it: it decodes gzip, deflate and br transparently. */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined): Buffer {
  switch (contentEncoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return gunzipSync(raw);
    case "deflate":
      return inflateSync(raw);
    case "br":
      return brotliDecompressSync(raw);
    default:
      return raw;
  }
}

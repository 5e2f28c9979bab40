import { createHash } from "node:crypto";

/** Stands in for a secret in every output: enough to compare with the value a developer expects
 * (`npm run probe` prints the same fingerprint for a value passed to it), never the value. */
export function fingerprint(secret: string): string {
  const digest = createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 8);
  return `[redacted len=${Buffer.byteLength(secret, "utf8")} sha256=${digest}]`;
}

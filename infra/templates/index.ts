import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The content types that get the request template; any other one is refused with 415 by API
 * Gateway before the Lambda runs, so it could never be recorded. */
export const REQUEST_CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "application/json",
  "text/plain",
] as const;

export type TemplateName = "token-request" | "token-response" | "token-error-response";

/** Read at synth time here, and by the local runtime, so both run the very same text. */
export function readTemplate(name: TemplateName): string {
  return readFileSync(join(__dirname, `${name}.vtl`), "utf8");
}

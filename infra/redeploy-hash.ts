import { createHash } from "node:crypto";

/**
 * A hash of the API's own definition for the deployment's `triggers`: an API Gateway
 * deployment is a snapshot, so it must be replaced exactly when the definition changes (a
 * template edit included) and never otherwise. Keys are sorted so that the order in which the
 * definition was written does not matter.
 */
export function redeployHash(definition: unknown): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

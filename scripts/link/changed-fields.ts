import { isDeepStrictEqual } from "node:util";
import { AccountLinking } from "../amazon/smapi-client";

/** Names of the fields whose values differ between two configurations, in a stable order. */
export function changedFields(before: AccountLinking, after: AccountLinking): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((name) => !isDeepStrictEqual(before[name], after[name]));
}

/** "  name  before" over "  →  after", the values in one column. */
export function changeLines(name: string, before: unknown, after: unknown): string[] {
  return [`  ${name.padEnd(15)} ${shown(before)}`, `${"→".padStart(16)}  ${shown(after)}`];
}

/** "https://…" or "(unset)". */
export function shown(value: unknown): string {
  return value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
}

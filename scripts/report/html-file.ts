/**
 * Writing the HTML report (`--html <file>` on probe and logs): the path checked while the
 * options are parsed, so a bad one fails before any request is sent, and one line on stderr
 * naming the file written, so stdout (the terminal report, or --json) stays as it was.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../cli/usage-error";

/** The --html value, checked: a file name, not empty and not a directory. */
export function htmlPathOf(value: string): string {
  if (value.trim() === "" || value.endsWith("/")) throw new UsageError(`--html needs a file name, got "${value}"`);
  return value;
}

/** Writes the page and says where; a failure is one line, with the terminal report already out. */
export function writeHtmlReport(path: string, html: string): boolean {
  const absolute = resolve(path);
  try {
    writeFileSync(absolute, html, { encoding: "utf8", mode: 0o644 });
  } catch (error) {
    console.error(`Could not write the HTML report to ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return false;
  }
  console.error(`HTML report: ${absolute}`);
  return true;
}

/** The debugger's version, for the page's footer. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
}

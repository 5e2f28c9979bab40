/**
 * How link and unlink end: 0 done (or nothing to do), 2 refused or failed, with one line on
 * stderr that says why: no stack trace, and no secret the command holds, even if some server
 * echoed one into an error message.
 */
import { ConfigError } from "../../infra/config";
import { AmazonApiError } from "../amazon/smapi-client";
import { NoDeployedStack } from "../link/deployed-stack";
import { UsageError } from "./usage-error";

export const EXIT = { done: 0, refused: 2 } as const;

/** The command declines to go on; nothing was written. */
export class Refusal extends Error {}

const EXPECTED = [UsageError, Refusal, AmazonApiError, NoDeployedStack, ConfigError];

export async function runOneLineCommand(body: () => Promise<number>, secrets: () => readonly string[]): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const known = EXPECTED.some((kind) => error instanceof kind);
    const message = known ? (error as Error).message : `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`${scrub(message.replace(/\s*\n\s*/g, " "), secrets())}\n`);
    return EXIT.refused;
  }
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((line, secret) => line.split(secret).join("[redacted]"), text);
}

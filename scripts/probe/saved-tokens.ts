/**
 * `probe --save-tokens FILE`: what the token URL issued, in clear, to a file only its owner can
 * read (0600), and nowhere else: the probe's own output shows every token as a fingerprint. A
 * refresh probe spends the refresh token on a rotating server; this keeps the new one, so a test
 * user's token can be used again.
 */
import { closeSync, constants, existsSync, fchmodSync, openSync, statSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../cli/usage-error";

/** One answer that issued tokens, as the server sent it (every field). */
export interface IssuedAnswer {
  /** "refresh", "code", or "refresh (the old refresh token again)". */
  readonly request: string;
  readonly answer: Record<string, unknown>;
}

export interface SavedTokens {
  readonly savedAt: string;
  readonly tokenUrl: string;
  readonly answers: readonly IssuedAnswer[];
  /** The tokens to use next: the last answer's, with the refresh token kept from an earlier
   * answer when the last carried none. */
  readonly current: { readonly access_token?: unknown; readonly refresh_token?: unknown };
}

/** The path as given, or a one-line usage error before anything is sent (a refresh token
 * spent with nowhere to keep the new one is what --save-tokens is for). */
export function saveTokensPathOf(value: string): string {
  if (value.trim() === "" || value.endsWith("/")) throw new UsageError(`--save-tokens needs a file name, got "${value}"`);
  const directory = dirname(resolve(value));
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new UsageError(`--save-tokens: the folder ${directory} does not exist`);
  }
  if (existsSync(value) && !statSync(value).isFile()) throw new UsageError(`--save-tokens: ${resolve(value)} is not a file`);
  return value;
}

export function savedTokens(tokenUrl: string, answers: readonly IssuedAnswer[], now: Date): SavedTokens {
  const last = answers[answers.length - 1]?.answer ?? {};
  const refresh = [...answers].reverse().find(({ answer }) => typeof answer.refresh_token === "string")?.answer.refresh_token;
  return {
    savedAt: now.toISOString(),
    tokenUrl,
    answers,
    current: { access_token: last.access_token, ...(refresh !== undefined && { refresh_token: refresh }) },
  };
}

/**
 * Writes the file with mode 0600 (also when it existed with a wider one), never through a
 * symbolic link. Returns the one line for stderr: where, or why not.
 */
export function writeSavedTokens(path: string, saved: SavedTokens): { ok: boolean; line: string } {
  const absolute = resolve(path);
  if (saved.answers.length === 0) return { ok: true, line: `The token URL issued no tokens; ${absolute} was not written.` };
  let fd: number | undefined;
  try {
    fd = openSync(absolute, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    fchmodSync(fd, 0o600);
    writeSync(fd, `${JSON.stringify(saved, null, 2)}\n`);
  } catch (error) {
    return { ok: false, line: `Could not save the tokens to ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { ok: true, line: `Tokens saved to ${absolute} (mode 0600; it holds them in clear: delete it when done).` };
}

import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, openSync, readFileSync, writeSync, closeSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where the key of this machine's fingerprints lives (npm start, probe, logs --local, the
 * fingerprint command): `$XDG_CONFIG_HOME/token-url-debugger/fingerprint.key`, else
 * `~/.config/…`. Created on first use, the folder 0700 and the file 0600: the key is what
 * keeps a short value (a 6-digit code) from being guessed from its fingerprint, so no record
 * and no report ever holds it.
 */
export function machineKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "token-url-debugger", "fingerprint.key");
}

/** The key as hex text (64 hex digits, 32 bytes) read from `FINGERPRINT_KEY`, else this
 * machine's key file, created when missing. A machine where neither can be had (a read-only
 * home) gets a key for this process only: fingerprints still compare within one run. */
export function resolveFingerprintKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const given = parseFingerprintKey(env.FINGERPRINT_KEY);
  if (given) return given;
  try {
    return readOrCreateKeyFile(machineKeyPath(env));
  } catch {
    return randomBytes(32);
  }
}

/** A key in the one accepted spelling (at least 32 hex digits); undefined otherwise. */
export function parseFingerprintKey(text: string | undefined): Buffer | undefined {
  const trimmed = text?.trim() ?? "";
  return /^(?:[0-9a-fA-F]{2}){16,}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : undefined;
}

function readOrCreateKeyFile(path: string): Buffer {
  try {
    const existing = parseFingerprintKey(readFileSync(path, "utf8"));
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const folder = join(path, "..");
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const key = randomBytes(32);
  try {
    // "wx": two processes starting at once must not end up with two keys.
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, `${key.toString("hex")}\n`);
    closeSync(fd);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const other = parseFingerprintKey(readFileSync(path, "utf8"));
    if (!other) throw error;
    return other;
  }
}

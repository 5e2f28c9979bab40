/**
 * The skill's account-linking configuration as it was before `npm run link`, kept on this
 * machine so that `npm run unlink` can put it back. One file per skill and stage under
 * .local/account-linking/ (git-ignored). It holds every field SMAPI returned, which never
 * includes the client secret, so the file never holds one either.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AccountLinking, SKILL_ID_PATTERN } from "../amazon/smapi-client";

export const SAVED_LINKS_DIR = join(".local", "account-linking");

export interface SavedLink {
  readonly type: "saved-account-linking";
  readonly version: 1;
  readonly skillId: string;
  readonly stage: string;
  readonly savedAt: string;
  /** The debugger's URL that link put into the skill: unlink restores only while it is there. */
  readonly debugTokenUrl: string;
  /** Every field as SMAPI returned it before the link. */
  readonly original: AccountLinking;
}

export function savedLinkPath(skillId: string, stage: string, projectDir: string = process.cwd()): string {
  if (!SKILL_ID_PATTERN.test(skillId) || !SKILL_ID_PATTERN.test(stage)) throw new Error(`unsafe file name for ${skillId}/${stage}`);
  return join(projectDir, SAVED_LINKS_DIR, `${skillId}.${stage}.json`);
}

export function readSavedLink(skillId: string, stage: string, projectDir?: string): SavedLink | undefined {
  const path = savedLinkPath(skillId, stage, projectDir);
  return existsSync(path) ? parseSavedLink(readFileSync(path, "utf8"), path) : undefined;
}

/** Written to a temporary name and renamed, so a crash never leaves half a file behind. */
export function writeSavedLink(link: SavedLink, projectDir?: string): string {
  if ("clientSecret" in link.original) throw new Error("refusing to save a configuration that holds a client secret");
  const path = savedLinkPath(link.skillId, link.stage, projectDir);
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(link, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return path;
}

export function deleteSavedLink(skillId: string, stage: string, projectDir?: string): void {
  unlinkSync(savedLinkPath(skillId, stage, projectDir));
}

/** Every saved link whose debugger URL is `debugTokenUrl`: skills that still point at that
 * stack, as far as this machine knows (`npm run destroy` warns about them). */
export function savedLinksTo(debugTokenUrl: string, projectDir: string = process.cwd()): SavedLink[] {
  const dir = join(projectDir, SAVED_LINKS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .flatMap((name) => {
      try {
        return [parseSavedLink(readFileSync(join(dir, name), "utf8"), name)];
      } catch {
        return []; // not ours, or damaged: unlink names it when asked for that skill
      }
    })
    .filter((link) => link.debugTokenUrl === debugTokenUrl);
}

function parseSavedLink(text: string, path: string): SavedLink {
  const link = JSON.parse(text);
  if (link?.type !== "saved-account-linking" || typeof link.original !== "object" || typeof link.debugTokenUrl !== "string") {
    throw new Error(`${path} is not a saved account-linking configuration`);
  }
  return link;
}

/**
 * `npm run unlink`: GET the skill's account linking, check it still points at the URL link
 * set, PUT the saved original back (plus the secret every PUT needs) guarded by If-Match, and
 * delete the saved file only once SMAPI accepted it. At most three HTTP calls: LWA, GET, PUT.
 */
import { SmapiClient } from "../amazon/smapi-client";
import { EXIT, Refusal } from "../cli/one-line-command";
import { changedFields, changeLines, shown } from "../link/changed-fields";
import { relativePath } from "../link/run-link";
import { deleteSavedLink, readSavedLink } from "../link/saved-links";
import { UnlinkOptions } from "./unlink-options";

export interface UnlinkRun {
  readonly options: UnlinkOptions;
  readonly client: SmapiClient;
  /** Undefined only with --dry-run. */
  readonly clientSecret?: string;
  readonly print: (text: string) => void;
}

export async function runUnlink({ options, client, clientSecret, print }: UnlinkRun): Promise<number> {
  const { skillId, stage } = options;
  const saved = readSavedLink(skillId, stage);
  if (!saved) {
    throw new Refusal(
      `No saved settings for skill ${skillId}, stage ${stage}, on this machine (${relativePath(skillId, stage)}): nothing to restore. ` +
        "Run unlink from the folder you ran link in, or set the Access Token URI back in the Alexa developer console (Account Linking)",
    );
  }
  const { accountLinking, etag } = await client.getAccountLinking(skillId, stage);
  const current = accountLinking.accessTokenUrl;
  const original = saved.original;
  print(`Skill ${skillId}, stage ${stage}`);
  if (current !== saved.debugTokenUrl && !options.force) {
    if (current === original.accessTokenUrl) {
      print(`The skill already points at its original Access Token URI (${shown(current)}); nothing written.`);
      print(`${relativePath(skillId, stage)} is kept: delete it, or unlink --force to restore every saved field.`);
      return EXIT.done;
    }
    throw new Refusal(
      `The skill points at ${shown(current)}, not at the debugger URL ${saved.debugTokenUrl} that link set: it was changed since. ` +
        "Nothing written; pass --force to restore the saved original anyway",
    );
  }

  const changes = changedFields(accountLinking, original).flatMap((name) => changeLines(name, accountLinking[name], original[name]));
  if (options.dryRun) {
    print(["", "Would change back:", ...(changes.length > 0 ? changes : ["  nothing"])].join("\n"));
    print("\nDry run: nothing written.");
    return EXIT.done;
  }
  await client.putAccountLinking(skillId, stage, { ...original, clientSecret: clientSecret! }, etag);
  deleteSavedLink(skillId, stage);
  print(["", "Changed back:", ...(changes.length > 0 ? changes : ["  nothing (the settings were already the original ones)"])].join("\n"));
  print(`\nUnlinked: every field is as saved before link. Deleted ${relativePath(skillId, stage)}.`);
  return EXIT.done;
}

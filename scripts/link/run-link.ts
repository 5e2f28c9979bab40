/**
 * `npm run link`: GET the skill's account linking, save it, PUT it back with only
 * accessTokenUrl changed (plus the secret every PUT needs), guarded by If-Match. At most three
 * HTTP calls: LWA, GET, PUT.
 */
import { EXTEND_COMMAND, expiryState, formatExpiry } from "../../functions/token-url/debugger-expiry";
import { skillSettingsFindings } from "../../functions/token-url/diagnosis/skill-settings-rules";
import { AccountLinking, AmazonApiError, SmapiClient } from "../amazon/smapi-client";
import { EXIT, Refusal } from "../cli/one-line-command";
import { OutputLayout } from "../report/output-layout";
import { renderFindings } from "../report/render-attempt";
import { changeLines, shown } from "./changed-fields";
import { DebuggerTarget } from "./debugger-target";
import { LinkOptions } from "./link-options";
import { deleteSavedLink, readSavedLink, SavedLink, savedLinkPath, writeSavedLink } from "./saved-links";

export interface LinkRun {
  readonly options: LinkOptions;
  readonly client: SmapiClient;
  readonly target: DebuggerTarget;
  /** Undefined only with --dry-run. */
  readonly clientSecret?: string;
  readonly print: (text: string) => void;
  readonly layout: OutputLayout;
}

export async function runLink({ options, client, target, clientSecret, print, layout }: LinkRun): Promise<number> {
  const { skillId, stage } = options;
  refuseExpiringDebugger(target.expiresAt, new Date());
  const { accountLinking, etag } = await client.getAccountLinking(skillId, stage);
  const current = accountLinking.accessTokenUrl;
  print(`Skill ${skillId}, stage ${stage}`);
  const findings = skillSettingsFindings(accountLinking, { debugTokenUrl: target.tokenUrl });
  print(renderFindings("Skill settings", findings, layout));

  const saved = readSavedLink(skillId, stage);
  if (current === target.tokenUrl) {
    // Never save the debug URL as the "original": the saved file, if any, stays as it is.
    print(`\nThe skill already points at the debugger (${target.tokenUrl}); nothing written.`);
    print(saved ? `The original settings stay saved in ${relativePath(skillId, stage)}.` : NO_SAVED_ORIGINAL);
    return EXIT.done;
  }
  if (target.upstreamTokenUrl !== undefined && current !== target.upstreamTokenUrl && !options.force) {
    throw new Refusal(
      `The skill's Access Token URI is ${shown(current)}, but the wrapper forwards to TOKEN_URL ${target.upstreamTokenUrl}: ` +
        "Alexa's codes would go to a different server. Deploy with TOKEN_URL set to the skill's URL, or pass --force; nothing written",
    );
  }
  if (saved && !options.force) {
    throw new Refusal(
      `${relativePath(skillId, stage)} holds the original from an earlier link (${saved.savedAt}), but the skill now points at ${shown(current)}: ` +
        "run unlink --force to restore that original, or link --force to save the current settings instead; nothing written",
    );
  }

  const linked: AccountLinking = { ...accountLinking, accessTokenUrl: target.tokenUrl };
  const others = Object.keys(accountLinking).filter((name) => name !== "accessTokenUrl").length;
  const change = changeLines("accessTokenUrl", current, target.tokenUrl);
  if (options.dryRun) {
    print(["", "Would change:", ...change].join("\n"));
    print(`\nDry run: nothing written. Every other field (${others}) would be sent back as read.`);
    return EXIT.done;
  }

  // Saved before the write: if the PUT lands and this process dies, unlink can still restore.
  writeSavedLink({
    type: "saved-account-linking",
    version: 1,
    skillId,
    stage,
    savedAt: new Date().toISOString(),
    debugTokenUrl: target.tokenUrl,
    original: accountLinking,
  });
  try {
    await client.putAccountLinking(skillId, stage, { ...linked, clientSecret: clientSecret! }, etag);
  } catch (error) {
    // SMAPI answered and wrote nothing: the saved file goes back to what it was. Without an
    // answer the write may have landed, so the file stays for unlink.
    if (error instanceof AmazonApiError && error.status !== undefined) restore(saved, skillId, stage);
    throw error;
  }
  print(["", "Changed:", ...change].join("\n"));
  print(`  nothing else: every other field (${others}) was sent back as read, with the client secret`);
  print(`\nLinked. The original settings are saved in ${relativePath(skillId, stage)}.`);
  print(`Link the skill again in the Alexa app, then: npm run logs. Undo with: npm run unlink -- --skill-id ${skillId}`);
  return EXIT.done;
}

/** Before any call to Amazon: a skill linked to an expired debugger only gets 503s, and one that
 * expires within the hour would fail mid-session. */
function refuseExpiringDebugger(expiresAt: Date | undefined, now: Date): void {
  const state = expiryState(expiresAt, now);
  if (state !== "expired" && state !== "expiring") return;
  const when = state === "expired" ? `expired at ${formatExpiry(expiresAt!)}` : `expires at ${formatExpiry(expiresAt!)}, in less than an hour`;
  throw new Refusal(`The debugger ${when}: restart its clock first with ${EXTEND_COMMAND}; nothing written`);
}

const NO_SAVED_ORIGINAL =
  "No original settings are saved on this machine, so unlink cannot restore them: set the Access Token URI back in the Alexa developer console when done.";

function restore(previous: SavedLink | undefined, skillId: string, stage: string): void {
  if (previous) writeSavedLink(previous);
  else deleteSavedLink(skillId, stage);
}

export function relativePath(skillId: string, stage: string): string {
  return savedLinkPath(skillId, stage, ".");
}

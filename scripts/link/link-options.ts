import { UsageError } from "../cli/usage-error";
import { checkSkillTarget, parseSkillCommandArgs } from "./skill-target";

export interface LinkOptions {
  readonly skillId: string;
  readonly stage: string;
  /** The debugger's URL; undefined: the deployed stack's token_url output. */
  readonly tokenUrl?: string;
  readonly dryRun: boolean;
  /** Link although the skill points at another server than the wrapper's TOKEN_URL, or a
   * saved original from an earlier link would be replaced. */
  readonly force: boolean;
  readonly clientSecretStdin: boolean;
}

export const LINK_USAGE = `Usage: npm run link -- --skill-id <id> [options]

Points the skill's Access Token URI at the deployed debugger through the Alexa Skill
Management API, after saving the skill's account-linking settings (every field, never the
secret) in .local/account-linking/ so that \`npm run unlink\` can restore them. Nothing else
changes. The skill's client secret comes from ALEXA_CLIENT_SECRET or --client-secret-stdin:
SMAPI never returns it, yet every write must send it (the one you give becomes the skill's).
Amazon credentials as for the ASK CLI: ASK_ACCESS_TOKEN, or ASK_REFRESH_TOKEN with
ASK_LWA_CLIENT_ID and ASK_LWA_CLIENT_CONFIRMATION.

  --skill-id <id>         the skill (amzn1.ask.skill.…)
  --stage development     the only stage SMAPI lets change (default development)
  --token-url <url>       the debugger's URL (default: the deployed stack's token_url output)
  --dry-run               read only: show the skill's settings, findings, and what would change
  --force                 link although the skill points at another server than the wrapper's
                          TOKEN_URL, or replace a saved original from an earlier link
  --client-secret-stdin   read the skill's client secret from standard input
  --help                  this text

Exit codes: 0 linked (or nothing to do), 2 refused or failed (one line says why).`;

/** The options, or "help"; throws UsageError on anything wrong. */
export function parseLinkOptions(argv: string[]): LinkOptions | "help" {
  const values = parseSkillCommandArgs(argv, { "token-url": { type: "string" } });
  if (values.help) return "help";
  const { skillId, stage } = checkSkillTarget(values["skill-id"], values.stage);
  const tokenUrl = values["token-url"];
  if (tokenUrl !== undefined && (!URL.canParse(tokenUrl) || new URL(tokenUrl).protocol !== "https:")) {
    throw new UsageError("--token-url must be the debugger's https URL (the deploy's token_url output)");
  }
  return {
    skillId,
    stage,
    tokenUrl,
    dryRun: values["dry-run"],
    force: values.force,
    clientSecretStdin: values["client-secret-stdin"],
  };
}

import { checkSkillTarget, parseSkillCommandArgs } from "../link/skill-target";

export interface UnlinkOptions {
  readonly skillId: string;
  readonly stage: string;
  readonly dryRun: boolean;
  /** Restore although the skill no longer points at the URL that link set. */
  readonly force: boolean;
  readonly clientSecretStdin: boolean;
}

export const UNLINK_USAGE = `Usage: npm run unlink -- --skill-id <id> [options]

Puts back the skill's account-linking settings that \`npm run link\` saved in
.local/account-linking/, through the Alexa Skill Management API, and deletes the saved file
once SMAPI accepted them. Refused when the skill no longer points at the debugger URL that
link set (someone changed it since), unless --force. The client secret comes from
ALEXA_CLIENT_SECRET or --client-secret-stdin; Amazon credentials as for the ASK CLI.

  --skill-id <id>         the skill (amzn1.ask.skill.…)
  --stage development     the only stage SMAPI lets change (default development)
  --dry-run               read only: show what would change back
  --force                 restore although the skill points elsewhere than the debugger
  --client-secret-stdin   read the skill's client secret from standard input
  --help                  this text

Exit codes: 0 restored (or nothing to do), 2 refused or failed (one line says why).`;

export function parseUnlinkOptions(argv: string[]): UnlinkOptions | "help" {
  const values = parseSkillCommandArgs(argv, {});
  if (values.help) return "help";
  return {
    ...checkSkillTarget(values["skill-id"], values.stage),
    dryRun: values["dry-run"],
    force: values.force,
    clientSecretStdin: values["client-secret-stdin"],
  };
}

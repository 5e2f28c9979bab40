import { parseArgs, ParseArgsConfig } from "node:util";
import { SKILL_ID_PATTERN } from "../amazon/smapi-client";
import { UsageError } from "../cli/usage-error";

/** SMAPI writes only this stage; "live" is read-only there. */
export const WRITABLE_STAGE = "development";

/** The options link and unlink share. */
const SKILL_COMMAND_OPTIONS = {
  "skill-id": { type: "string" },
  stage: { type: "string", default: WRITABLE_STAGE },
  "dry-run": { type: "boolean", default: false },
  force: { type: "boolean", default: false },
  "client-secret-stdin": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The command line of link or unlink (the shared options plus `extra`); throws UsageError. */
export function parseSkillCommandArgs<Extra extends Options>(argv: string[], extra: Extra) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { ...SKILL_COMMAND_OPTIONS, ...extra } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // Not echoed: a stray argument may be a secret that lost its flag.
  if (parsed.positionals.length > 0) {
    throw new UsageError(`Unexpected argument (${parsed.positionals.length}); this command takes options only, see --help`);
  }
  return parsed.values;
}

/** --skill-id and --stage as link and unlink take them: a stage other than development is
 * refused here, before anything is read or written. */
export function checkSkillTarget(skillId: string | undefined, stage: string): { skillId: string; stage: string } {
  if (skillId === undefined || skillId === "") {
    throw new UsageError("Missing --skill-id <id> (the skill's id, amzn1.ask.skill.…, from the Alexa developer console)");
  }
  if (!SKILL_ID_PATTERN.test(skillId)) {
    throw new UsageError("--skill-id must look like amzn1.ask.skill.<uuid> (letters, digits, dots, hyphens)");
  }
  if (stage !== WRITABLE_STAGE) {
    throw new UsageError(`--stage "${stage}" refused: SMAPI lets only the "${WRITABLE_STAGE}" stage be changed; nothing written`);
  }
  return { skillId, stage };
}

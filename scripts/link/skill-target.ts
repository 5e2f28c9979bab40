import { UsageError } from "../cli/usage-error";
import { SKILL_ID_PATTERN } from "../amazon/smapi-client";

/** SMAPI writes only this stage; "live" is read-only there. */
export const WRITABLE_STAGE = "development";

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
    throw new UsageError(
      `--stage "${stage}" refused: SMAPI lets only the "${WRITABLE_STAGE}" stage be changed; nothing written`,
    );
  }
  return { skillId, stage };
}

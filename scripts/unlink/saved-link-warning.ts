/**
 * Before the stack is destroyed: skills that a saved link says still point at it. Their
 * account linking would break (Alexa would call a deleted URL), and unlink would have nothing
 * to compare against. cdktf does not tell the app which command runs (synth, deploy and
 * destroy all run main.ts alike), so `npm run destroy` checks it in its preflight;
 * a bare `terraform destroy` cannot.
 */
import { Config } from "../../infra/config";
import { NoDeployedStack, readDeployedStack } from "../link/deployed-stack";
import { savedLinksTo } from "../link/saved-links";

/** One line to print, or undefined when no saved link points at the deployed stack. */
export function savedLinkWarning(config: Config, projectDir: string = process.cwd()): string | undefined {
  let tokenUrl: string;
  try {
    tokenUrl = readDeployedStack(config, projectDir).tokenUrl;
  } catch (error) {
    if (error instanceof NoDeployedStack) return undefined; // nothing deployed, nothing linked to it
    throw error;
  }
  const links = savedLinksTo(tokenUrl, projectDir);
  if (links.length === 0) return undefined;
  const skills = links.map((link) => `${link.skillId} (${link.stage})`).join(", ");
  return (
    `Warning: ${links.length === 1 ? "a skill still points" : `${links.length} skills still point`} at this stack's ${tokenUrl}: ${skills}. ` +
    "Run npm run unlink -- --skill-id <id> for each before destroying, or Alexa will call a URL that no longer exists"
  );
}

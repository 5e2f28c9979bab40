/** What link and unlink need before they write to a skill, checked before any HTTP call. */
import { CLIENT_SECRET_VARIABLE } from "./client-secret";
import { Refusal } from "./one-line-command";

/** Every PUT replaces the whole configuration and SMAPI never returns the secret: without it,
 * a write would erase the skill's. */
export function requireClientSecret(secret: string | undefined): asserts secret is string {
  if (secret !== undefined) return;
  throw new Refusal(
    `No client secret: set ${CLIENT_SECRET_VARIABLE} to the skill's "Your Secret", or pipe it in with --client-secret-stdin ` +
      "(SMAPI never returns it, and a write without it would erase it); nothing written",
  );
}

/** The values no output may show: the skill's secret and the ASK CLI's credentials. */
export function commandSecrets(clientSecret: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const names = ["ASK_ACCESS_TOKEN", "ASK_REFRESH_TOKEN", "ASK_LWA_CLIENT_CONFIRMATION"];
  return [clientSecret ?? "", ...names.map((name) => env[name] ?? "")].filter((value) => value !== "");
}

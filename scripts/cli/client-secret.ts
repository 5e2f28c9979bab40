/**
 * The skill's client secret ("Your Secret") for link and unlink, from ALEXA_CLIENT_SECRET or,
 * with --client-secret-stdin, from standard input; never from a command-line argument: npm
 * echoes a script's arguments, and `ps` and shell history keep them.
 */
import { SECRET_ENV } from "../probe/probe-options";
import { readSecretFromStdin } from "./read-secret-stdin";
import { UsageError } from "./usage-error";

export const CLIENT_SECRET_VARIABLE = SECRET_ENV.clientSecret;

/** The secret, or undefined when neither source gives one; with `fromStdin`, stdin must hold one. */
export async function readClientSecret(fromStdin: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (fromStdin) {
    const secret = await readSecretFromStdin("client secret");
    if (secret === "") throw new UsageError("--client-secret-stdin: standard input held no secret");
    return secret;
  }
  const secret = env[CLIENT_SECRET_VARIABLE];
  return secret === undefined || secret === "" ? undefined : secret;
}

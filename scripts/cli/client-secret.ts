/**
 * The skill's client secret ("Your Secret"), from ALEXA_CLIENT_SECRET or, with
 * --client-secret-stdin, from standard input; never from a command-line argument: npm echoes a
 * script's arguments, and `ps` and shell history keep them.
 */
import { UsageError } from "./usage-error";

export const CLIENT_SECRET_VARIABLE = "ALEXA_CLIENT_SECRET";

/** The secret, or undefined when neither source gives one. With `fromStdin`, stdin wins and
 * must hold a secret (one trailing newline is dropped: `echo "$S" |` adds one). */
export async function readClientSecret(
  fromStdin: boolean,
  env: NodeJS.ProcessEnv = process.env,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string | undefined> {
  if (fromStdin) {
    let text = "";
    for await (const chunk of stdin) text += chunk.toString();
    const secret = text.replace(/\r?\n$/, "");
    if (secret === "") throw new UsageError("--client-secret-stdin: standard input held no secret");
    return secret;
  }
  const secret = env[CLIENT_SECRET_VARIABLE];
  return secret === undefined || secret === "" ? undefined : secret;
}

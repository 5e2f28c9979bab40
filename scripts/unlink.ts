/**
 * `npm run unlink -- --skill-id <id>`: puts back the skill's account-linking settings that
 * `npm run link` saved, through the Skill Management API.
 */
import { SmapiClient } from "./amazon/smapi-client";
import { readClientSecret } from "./cli/client-secret";
import { EXIT, runOneLineCommand } from "./cli/one-line-command";
import { commandSecrets, requireClientSecret } from "./cli/skill-write-inputs";
import { runUnlink } from "./unlink/run-unlink";
import { parseUnlinkOptions, UNLINK_USAGE } from "./unlink/unlink-options";

let clientSecret: string | undefined;

runOneLineCommand(async () => {
  const options = parseUnlinkOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(UNLINK_USAGE);
    return EXIT.done;
  }
  clientSecret = await readClientSecret(options.clientSecretStdin);
  if (!options.dryRun) requireClientSecret(clientSecret);
  return runUnlink({
    options,
    client: SmapiClient.fromEnvironment(process.env),
    clientSecret,
    print: (text) => void process.stdout.write(`${text}\n`),
  });
}, () => commandSecrets(clientSecret)).then((code) => (process.exitCode = code));

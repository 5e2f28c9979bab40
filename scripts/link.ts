/**
 * `npm run link -- --skill-id <id>`: points the skill's Access Token URI at the deployed
 * debugger through the Skill Management API, saving the original settings for unlink.
 */
import { loadConfig } from "../infra/config";
import { SmapiClient } from "./amazon/smapi-client";
import { readClientSecret } from "./cli/client-secret";
import { EXIT, runOneLineCommand } from "./cli/one-line-command";
import { commandSecrets, requireClientSecret } from "./cli/skill-write-inputs";
import { debuggerTarget } from "./link/debugger-target";
import { LINK_USAGE, parseLinkOptions } from "./link/link-options";
import { runLink } from "./link/run-link";
import { outputLayout } from "./report/output-layout";

let clientSecret: string | undefined;

runOneLineCommand(async () => {
  const options = parseLinkOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(LINK_USAGE);
    return EXIT.done;
  }
  // Everything local first, so that a refusal costs no HTTP call.
  const target = debuggerTarget(options.tokenUrl, loadConfig());
  clientSecret = await readClientSecret(options.clientSecretStdin);
  if (!options.dryRun) requireClientSecret(clientSecret);
  return runLink({
    options,
    client: SmapiClient.fromEnvironment(process.env),
    target,
    clientSecret,
    print: (text) => void process.stdout.write(`${text}\n`),
    layout: outputLayout(process.stdout, process.env),
  });
}, () => commandSecrets(clientSecret)).then((code) => (process.exitCode = code));

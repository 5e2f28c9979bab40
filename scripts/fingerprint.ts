/**
 * `npm run -s fingerprint [-- --deployed]`: reads one value from standard input and prints its
 * fingerprint exactly as records and reports show it, so a user can tell whether the
 * `[redacted …]` in a record is the secret, code or token they expect. The value comes from
 * stdin only (never an argument: npm echoes those, ps and shell history keep them); one
 * trailing newline is dropped. Without --deployed the key is this machine's (npm start, probe,
 * logs --local); with it, the deployed stack's (records in CloudWatch), read from its state.
 */
import { parseArgs } from "node:util";
import { fingerprint, useFingerprintKey } from "../functions/token-url/fingerprint";
import { parseFingerprintKey } from "../functions/token-url/fingerprint-key";
import { ConfigError, loadConfig } from "../infra/config";
import { readSecretFromStdin } from "./cli/read-secret-stdin";
import { NoDeployedStack, readDeployedStack } from "./link/deployed-stack";

const USAGE = `Usage: printf %s "$VALUE" | npm run -s fingerprint [-- --deployed]

Prints the fingerprint of the value read from standard input, as the records show it:
  [redacted len=<UTF-8 bytes> hmac=<first 12 hex digits of HMAC-SHA-256>]
The key is this machine's (npm start, probe, logs --local), or with --deployed the deployed
stack's (STACK_NAME; records in CloudWatch). FINGERPRINT_KEY overrides both.`;

async function main(argv: string[]): Promise<number> {
  let deployed: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { deployed: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    deployed = values.deployed ?? false;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (deployed && !parseFingerprintKey(process.env.FINGERPRINT_KEY)) {
    try {
      const key = parseFingerprintKey(readDeployedStack(loadConfig()).fingerprintKey);
      if (!key) {
        console.error("The deployed stack has no fingerprint_key output: redeploy it (npm run deploy) to key its fingerprints.");
        return 2;
      }
      useFingerprintKey(key);
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof NoDeployedStack)) throw error;
      console.error(error.message);
      return 2;
    }
  }
  const value = await readSecretFromStdin("value");
  if (value === "") {
    console.error("Nothing on standard input: pipe the value in, e.g. printf %s \"$VALUE\" | npm run -s fingerprint");
    return 2;
  }
  console.log(fingerprint(value));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);

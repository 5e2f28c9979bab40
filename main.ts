import { App } from "cdktf";
import { checkDeployable, ConfigError, loadConfig } from "./infra/config";
import { TokenUrlStack } from "./infra/token-url-stack";
import { bundleTokenFunction } from "./scripts/bundle";

function main(): void {
  let config;
  try {
    config = loadConfig();
    checkDeployable(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One clear line, before anything is synthesized or deployed.
    console.error(error.message);
    process.exit(2);
  }
  // stdout: cdktf shows the app's stdout as it is, but its stderr as a red "[ERROR]".
  for (const notice of config.notices) console.log(notice);
  // Built here so that every `npm run deploy` ships the current code.
  const bundle = bundleTokenFunction();
  const app = new App();
  new TokenUrlStack(app, config.stackName, { config, bundleDir: bundle.dir });
  app.synth();
}

main();

/** `npm run bench`: every benchmark, each against a baseline measured in the same run. */
import { benchBundle, benchSynth } from "./deploy-benchmarks";
import { benchLocalRuntime, benchProbe } from "./local-benchmarks";
import { benchLatestAttempt } from "./logs-benchmarks";
import { benchHandlerMemory, benchWrapperOverhead } from "./wrapper-benchmarks";

async function main(): Promise<void> {
  // The SDK's notice about its own future Node support would only clutter the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  benchSynth();
  benchBundle();
  await benchWrapperOverhead();
  await benchHandlerMemory();
  await benchLatestAttempt();
  await benchLocalRuntime();
  await benchProbe();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

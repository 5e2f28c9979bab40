/** `npm run bench`: every benchmark, each against a baseline measured in the same run. */
import { benchBundle, benchSynth } from "./deploy-benchmarks";
import { benchLocalRuntime, benchProbe } from "./local-benchmarks";
import { benchLatestAttempt } from "./logs-benchmarks";
import { benchHandlerMemory, benchWrapperOverhead } from "./wrapper-benchmarks";

async function main(): Promise<void> {
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

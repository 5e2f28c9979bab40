/** `npm run bench [-- name …]`: every benchmark (or the named ones), each against a baseline
 * measured in the same run. */
import { benchAuthorize } from "./authorize-benchmarks";
import { benchBundle, benchSynth } from "./deploy-benchmarks";
import { benchLocalRuntime, benchProbe } from "./local-benchmarks";
import { benchLatestAttempt } from "./logs-benchmarks";
import { benchReportRender } from "./report-benchmarks";
import { benchScrubber } from "./scrubber-benchmarks";
import { benchSoak } from "./soak-benchmarks";
import { benchStartup } from "./startup-benchmarks";
import { benchVerify } from "./verify-benchmarks";
import { benchHandlerMemory, benchWrapperOverhead } from "./wrapper-benchmarks";

const BENCHMARKS: Record<string, () => unknown> = {
  synth: benchSynth,
  bundle: benchBundle,
  wrapper: benchWrapperOverhead,
  scrubber: benchScrubber,
  memory: benchHandlerMemory,
  logs: benchLatestAttempt,
  local: benchLocalRuntime,
  soak: benchSoak,
  probe: benchProbe,
  verify: benchVerify,
  authorize: benchAuthorize,
  report: benchReportRender,
  startup: benchStartup,
};

async function main(names: string[]): Promise<void> {
  // The SDK's notice about its own future Node support would only clutter the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const unknown = names.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) throw new Error(`No benchmark ${unknown.join(", ")}; there are: ${Object.keys(BENCHMARKS).join(", ")}`);
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    if (names.length === 0 || names.includes(name)) await bench();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

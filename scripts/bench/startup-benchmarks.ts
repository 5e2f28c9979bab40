/**
 * How long each command takes to start, against two baselines measured in the same run,
 * samples interleaved so that a busy machine slows all of them alike:
 * - the command's own process (what its npm script runs: `node scripts/launch.js <command>
 *   --help`) against `node -e 0`: target at most 2x;
 * - `npm run -s <command> -- --help` against `npm run -s` of a script that is `node -e 0`, in
 *   a copy of this package.json (npm reads the same file): target at most 1.5x for probe,
 *   logs, verify and link, the commands a user types most.
 * `--help` does everything a command does before its real work: load its code, parse options.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats";

const PROJECT_DIR = resolve(__dirname, "../..");
const SAMPLES = 11;
const OWN_TARGET = 2;
const NPM_TARGET = 1.5;

interface Command {
  /** The npm script. */
  readonly script: string;
  /** What that script runs after `node`, plus --help. */
  readonly own: readonly string[];
  /** Held to the npm target (the others are reported beside it). */
  readonly npmTarget: boolean;
}

const COMMANDS: readonly Command[] = [
  { script: "probe", own: ["scripts/launch.js", "probe", "--help"], npmTarget: true },
  { script: "logs", own: ["scripts/launch.js", "logs", "--help"], npmTarget: true },
  { script: "verify", own: ["scripts/launch.js", "verify", "--help"], npmTarget: true },
  { script: "link", own: ["scripts/launch.js", "link", "--help"], npmTarget: true },
  { script: "unlink", own: ["scripts/launch.js", "unlink", "--help"], npmTarget: false },
  { script: "start", own: ["scripts/launch.js", "start", "--help"], npmTarget: false },
  { script: "fingerprint", own: ["scripts/launch.js", "fingerprint", "--help"], npmTarget: false },
  { script: "diff", own: ["scripts/launch.js", "deploy", "diff", "--help"], npmTarget: false },
];

function wallMs(command: string, args: readonly string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function benchStartup(): Promise<void> {
  // npm's baseline: this package.json with one more script, `node -e 0`.
  const baselineDir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  const manifest = JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
  manifest.scripts = { ...manifest.scripts, "bench-baseline": "node -e 0" };
  writeFileSync(join(baselineDir, "package.json"), JSON.stringify(manifest, null, 2));
  const node = () => wallMs(process.execPath, ["-e", "0"], PROJECT_DIR);
  const npmBaseline = () => wallMs("npm", ["run", "-s", "bench-baseline"], baselineDir);
  try {
    // A first run builds the commands (scripts/launch.js); that is not start-up.
    wallMs(process.execPath, COMMANDS[0].own, PROJECT_DIR);
    const samples = { node: [] as number[], npm: [] as number[], own: COMMANDS.map(() => [] as number[]), viaNpm: COMMANDS.map(() => [] as number[]) };
    for (let i = 0; i < SAMPLES; i += 1) {
      samples.node.push(node());
      samples.npm.push(npmBaseline());
      COMMANDS.forEach((command, index) => {
        samples.own[index].push(wallMs(process.execPath, command.own, PROJECT_DIR));
        samples.viaNpm[index].push(wallMs("npm", ["run", "-s", command.script, "--", "--help"], PROJECT_DIR));
      });
    }
    const nodeMs = median(samples.node);
    const npmMs = median(samples.npm);
    console.log(`command start-up, --help (median of ${SAMPLES}, interleaved)`);
    console.log(`  baselines: node -e 0 ${nodeMs.toFixed(0)} ms; npm run -s <a node -e 0 script> ${npmMs.toFixed(0)} ms`);
    console.log(`  ${"command".padEnd(12)} ${"own process".padStart(11)}  ratio  target <= ${OWN_TARGET}x   ${"npm run -s".padStart(10)}  ratio  target <= ${NPM_TARGET}x`);
    COMMANDS.forEach((command, index) => {
      const own = median(samples.own[index]);
      const viaNpm = median(samples.viaNpm[index]);
      const ownRatio = own / nodeMs;
      const npmRatio = viaNpm / npmMs;
      const npmVerdict = command.npmTarget ? (npmRatio <= NPM_TARGET ? "ok" : "MISSED") : "(not a target)";
      console.log(
        `  ${command.script.padEnd(12)} ${`${own.toFixed(0)} ms`.padStart(11)}  ${ownRatio.toFixed(2).padStart(5)}  ${(ownRatio <= OWN_TARGET ? "ok" : "MISSED").padEnd(14)}   ` +
          `${`${viaNpm.toFixed(0)} ms`.padStart(10)}  ${npmRatio.toFixed(2).padStart(5)}  ${npmVerdict}`,
      );
    });
  } finally {
    rmSync(baselineDir, { recursive: true, force: true });
  }
}

/**
 * `npm run logs`: the latest linking attempt the debugger recorded, as a readable diagnosis
 * (or JSON), from CloudWatch Logs or, with --local, from the local runtime's file.
 */
import { safeJson } from "../functions/token-url/record-exit";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { Config, ConfigError, loadConfig, logGroupOf } from "../infra/config";
import { exitQuietlyOnBrokenPipe } from "./cli/broken-pipe";
import { toolVersion, writeHtmlReport } from "./report/html-file";
import { renderAttempt } from "./report/render-attempt";
import { renderAttemptHtml, renderTimelineHtml } from "./report/render-html";
import { buildTimelineReport } from "./report/timeline-model";
import { buildAttemptReport, LambdaReport } from "./report/report-model";
import { renderSummaryLine } from "./report/render-summary";
import { OutputLayout, outputLayout, summaryWidth } from "./report/output-layout";
import { linkChainJson, renderTimeline } from "./report/render-timeline";
import { buildLinkChains } from "../functions/token-url/diagnosis/link-chains";
import { NoDeployedStack, readDeployedStack } from "./link/deployed-stack";
import { createStyle } from "./report/style";
import { describeAwsError } from "./logs/aws-errors";
import { expiryHeader } from "./logs/expiry-header";
import { FoundAttempt, findAllAttempts, findLambdaReport, findLatestAttempts, findNewAttempts, UnreadableLines } from "./logs/find-attempts";
import { cloudWatchLogsClient, CloudWatchSource } from "./logs/cloudwatch-source";
import { LocalFileSource } from "./logs/local-source";
import { LogSource } from "./logs/log-source";
import { UsageError } from "./cli/usage-error";
import { formatAge, LOGS_USAGE, LogsOptions, parseLogsOptions } from "./logs/logs-options";

const EXIT = { pass: 0, fail: 1, usage: 2, none: 3 } as const;
const FOLLOW_INTERVAL_MS = { first: 2_000, max: 10_000 };

interface Output {
  readonly layout: OutputLayout;
  print(text: string): void;
}

async function main(argv: string[]): Promise<number> {
  let options: LogsOptions;
  let config;
  try {
    options = parseLogsOptions(argv);
    if (options.help) {
      console.log(LOGS_USAGE);
      return EXIT.pass;
    }
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    console.error(error.message);
    if (error instanceof UsageError) console.error(`\n${LOGS_USAGE}`);
    return EXIT.usage;
  }

  // The SDK's notice about its own future Node support is not the user's concern here, and
  // stderr is where this command says what went wrong.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const region = options.region ?? config.region;
  const logGroup = options.logGroup ?? logGroupOf(config);
  const recordsFile = resolve(config.localRecordsFile);
  if (options.local && !options.follow && !existsSync(recordsFile)) {
    console.error(
      `No records file at ${recordsFile}: npm start writes it, one line per request it answers. ` +
        "Run npm start, send it a request (npm run probe -- http://127.0.0.1:8787/token), then rerun.",
    );
    return EXIT.none;
  }
  const source: LogSource = options.local
    ? new LocalFileSource(recordsFile)
    : new CloudWatchSource(await cloudWatchLogsClient({ region, profile: options.profile, maxAttempts: 6 }), logGroup);
  const where = options.local ? `${config.localRecordsFile}` : `${logGroup} (${region})`;
  const output: Output = {
    layout: outputLayout(process.stdout, process.env, options.json ? false : options.color),
    print: (text) => void process.stdout.write(`${text}\n`),
  };

  if (!options.local) printExpiry(config, options, output);
  const unreadable = new UnreadableLines();
  const search = { ...options, unreadable };
  try {
    if (options.timeline) return await timeline(source, search, output, where);
    const latest = await findWithGrace(source, search);
    if (latest.length > 0) {
      const lambdaReport = await show(latest, source, options, output);
      if (options.html && !writeHtml(options.html, latest, lambdaReport ?? (await findLambdaReport(source, latest[0])))) return EXIT.usage;
    }
    if (options.follow) return await follow(source, latest, search, output, where);
    if (latest.length === 0) return noAttempt(where, options);
    return latest[0].record.verdict === "fail" ? EXIT.fail : EXIT.pass;
  } catch (error) {
    console.error(options.local ? `Reading ${where} failed: ${(error as Error).message}` : describeAwsError(error, { region, logGroup }));
    return EXIT.usage;
  } finally {
    reportUnreadable(unreadable, where);
  }
}

type Search = LogsOptions & { readonly unreadable: UnreadableLines };

/** One line on stderr for the lines skipped as unreadable, so a torn or edited file never
 * stops the report, and never hides that something was skipped. */
function reportUnreadable(unreadable: UnreadableLines, where: string): void {
  const count = unreadable.takeUnreported();
  if (count > 0) {
    console.error(`${count} line${count === 1 ? "" : "s"} could not be read in ${where} (not an attempt record this version can show) and ${count === 1 ? "was" : "were"} skipped.`);
  }
}

function noAttempt(where: string, options: LogsOptions): number {
  console.error(
    `No linking attempt found in ${where} within the last ${formatAge(options.sinceMs)}` +
      `${options.attemptId ? ` with request id ${options.attemptId}` : ""}. ` +
      "Link the skill again in the Alexa app (or send a request to the token URL), then rerun; " +
      "to look further back, pass --since 7d.",
  );
  return EXIT.none;
}

/** --timeline: every attempt in the window as link chains, newest first; fails when the newest
 * chain is broken, or lapsed (its refresh token has died). */
async function timeline(source: LogSource, options: Search, output: Output, where: string): Promise<number> {
  const deadline = Date.now() + options.waitMs;
  const search = () => findAllAttempts(source, { sinceMs: options.sinceMs, now: Date.now(), unreadable: options.unreadable });
  let attempts = await search();
  while (attempts.length === 0 && Date.now() < deadline) {
    await sleep(Math.min(1_000, deadline - Date.now()));
    attempts = await search();
  }
  if (attempts.length === 0) return noAttempt(where, options);
  const chains = buildLinkChains(attempts.map((attempt) => attempt.record), new Date());
  if (options.json) for (const chain of chains) output.print(linkChainJson(chain));
  else output.print(renderTimeline(chains, output.layout));
  const page = () => renderTimelineHtml(buildTimelineReport(chains), { toolVersion: toolVersion(), where: `${where}, the last ${formatAge(options.sinceMs)}` });
  if (options.html && !writeHtmlReport(options.html, page())) return EXIT.usage;
  // A lapsed chain is as good as broken: its refresh token is dead, so the next refresh fails.
  return chains[0].state.kind === "broken" || chains[0].state.kind === "lapsed" ? EXIT.fail : EXIT.pass;
}

/** The deployed stack's expiry, from its Terraform state, as the first line; with --json only
 * a warning, on stderr. Nothing when no stack is deployed from this folder. */
function printExpiry(config: Config, options: LogsOptions, output: Output): void {
  let expiresAt: Date | undefined;
  try {
    expiresAt = readDeployedStack(config).expiresAt;
  } catch (error) {
    if (error instanceof NoDeployedStack) return;
    throw error;
  }
  const header = expiryHeader(expiresAt, new Date(), createStyle(options.json ? false : output.layout.color));
  if (header && !options.json) output.print(header.text);
  else if (header?.warning) console.error(header.text);
}

/** Records reach CloudWatch a few seconds after the request: keep looking briefly before
 * saying there are none. */
async function findWithGrace(source: LogSource, options: Search): Promise<FoundAttempt[]> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const found = await findLatestAttempts(source, { ...options, now: Date.now() });
    if (found.length > 0 || options.follow || Date.now() >= deadline) return found;
    await sleep(Math.min(1_000, deadline - Date.now()));
  }
}

/** Prints the attempts; returns the newest one's Lambda REPORT when it looked for it. */
async function show(attempts: FoundAttempt[], source: LogSource, options: LogsOptions, output: Output): Promise<LambdaReport | undefined> {
  if (options.json) {
    for (const attempt of attempts) output.print(safeJson(attempt.record));
    return undefined;
  }
  if (attempts.length > 1) {
    const { color } = output.layout;
    for (const attempt of attempts) output.print(renderSummaryLine(attempt.record, { color, width: summaryWidth(output.layout), time: true }));
    output.print("");
  }
  const lambdaReport = await findLambdaReport(source, attempts[0]);
  output.print(renderAttempt(attempts[0].record, { ...output.layout, lambdaReport }));
  return lambdaReport;
}

/** The newest attempt in full as a page, the others listed above it as their summary lines. */
function writeHtml(path: string, attempts: FoundAttempt[], lambdaReport: LambdaReport | undefined): boolean {
  const listed = attempts.map((attempt) => renderSummaryLine(attempt.record, { color: false, width: Infinity, time: true }));
  return writeHtmlReport(path, renderAttemptHtml(buildAttemptReport(attempts[0].record, lambdaReport), { toolVersion: toolVersion(), listed }));
}

/** Polls for new attempts (backing off while nothing happens) until SIGINT or SIGTERM. */
async function follow(
  source: LogSource,
  shown: FoundAttempt[],
  options: Search,
  output: Output,
  where: string,
): Promise<number> {
  let stopped = false;
  const stop = () => (stopped = true);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const seen = new Set(shown.map((attempt) => attempt.eventId));
  let since = shown[0]?.timestamp ?? Date.now() - 60_000;
  let interval = FOLLOW_INTERVAL_MS.first;
  reportUnreadable(options.unreadable, where);
  if (!options.json) console.error(`Watching ${where} for new attempts; Ctrl-C to stop.`);
  while (!stopped) {
    await sleep(interval, () => stopped);
    if (stopped) break;
    const fresh = await findNewAttempts(source, since, Date.now(), seen, options.unreadable);
    reportUnreadable(options.unreadable, where);
    for (const attempt of fresh) {
      seen.add(attempt.eventId);
      since = Math.max(since, attempt.timestamp);
      await show([attempt], source, options, output);
    }
    interval = fresh.length > 0 ? FOLLOW_INTERVAL_MS.first : Math.min(interval * 1.5, FOLLOW_INTERVAL_MS.max);
  }
  return EXIT.pass;
}

/** Sleeps `ms`, waking early (within 100 ms) once `wake()` says so. */
async function sleep(ms: number, wake: () => boolean = () => false): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !wake()) {
    await new Promise((resolvePromise) => setTimeout(resolvePromise, Math.min(100, until - Date.now())));
  }
}

exitQuietlyOnBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(EXIT.usage);
  },
);

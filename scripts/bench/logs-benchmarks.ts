/**
 * Finding the latest attempt in a busy log group, against CloudWatch Logs in moto_server:
 * the windowed search `npm run logs` makes versus a naive scan of the whole group, on the same
 * seeded data in the same run. Events transferred are what count: the emulator pages at
 * 10,000 events whatever their size, real CloudWatch at 1 MB.
 */
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { buildLinkChains } from "../../functions/token-url/diagnosis/link-chains";
import { renderTimeline } from "../report/render-timeline";
import { MotoServer } from "../../test/e2e/support/moto";
import { findMotoServer } from "../../test/e2e/support/tools";
import { LogGroupFixture } from "../../test/support/cloudwatch-fixture";
import { parseLogLine } from "../logs/log-line";
import { CloudWatchSource } from "../logs/cloudwatch-source";
import { findAllAttempts, findLambdaReport, findLatestAttempts } from "../logs/find-attempts";
import { LogQuery, LogSource } from "../logs/log-source";
import { verdict } from "./stats";

const GROUP = "/aws/lambda/bench-token-url";

export async function benchLatestAttempt(): Promise<void> {
  const motoServer = findMotoServer();
  if (typeof motoServer !== "string") {
    console.log(`latest attempt in CloudWatch: skipped (${motoServer.missing})`);
    return;
  }
  const moto = await MotoServer.start(motoServer);
  const fixture = new LogGroupFixture(moto.endpoint, GROUP);
  try {
    const now = new Date();
    const seeded = await fixture.seedScale({ group: GROUP, records: 10_000, streams: 200, otherLines: 50_000, spanHours: 24, now });

    const source = new CloudWatchSource(fixture.client, GROUP);
    let started = performance.now();
    const [latest] = await findLatestAttempts(source, { limit: 1, sinceMs: 24 * 3_600_000 + 60_000, now: now.getTime() });
    await findLambdaReport(source, latest);
    const oursMs = performance.now() - started;

    started = performance.now();
    const naive = await naiveScan(fixture);
    const naiveMs = performance.now() - started;

    const timeline = await benchTimeline(fixture, moto.endpoint, now);

    const ratio = naive.events / source.eventsTransferred;
    const same = latest.record.attemptId === naive.newestAttemptId && latest.record.attemptId === seeded.newest.attemptId;
    console.log("latest attempt in CloudWatch (moto: 10,000 attempts in 200 streams over 24 h, 50,000 other lines)");
    console.log(`  seeding                            ${(seeded.elapsedMs / 1000).toFixed(1)} s`);
    console.log(`  npm run logs: API calls            ${source.calls}   target <= 3: ${verdict(source.calls <= 3)}`);
    console.log(`  npm run logs: events transferred   ${source.eventsTransferred}`);
    console.log(`  npm run logs: wall time            ${oursMs.toFixed(0)} ms (record and its REPORT line)`);
    console.log(`  naive scan: API calls / events     ${naive.calls} / ${naive.events}`);
    console.log(`  naive scan: wall time              ${naiveMs.toFixed(0)} ms`);
    console.log(`  fewer events than the naive scan   ${ratio.toFixed(1)}x   target >= 20x: ${verdict(ratio >= 20)}`);
    console.log(`  same newest record                 ${same ? "yes" : "NO"} (${latest.record.attemptId})`);
    console.log(`  --timeline: attempts / chains      ${timeline.attempts} / ${timeline.chains}`);
    console.log(`  --timeline: queries / API calls    ${timeline.queries} / ${timeline.calls}   target 1 page sequence: ${verdict(timeline.queries === 1)}`);
    // The target is on the same footing as the latest-attempt figure above: the work the command
    // does, without Node starting and compiling the TypeScript (about a second, whatever the data).
    console.log(`  --timeline: read, chain, render    ${timeline.inProcessMs.toFixed(0)} ms (beside ${oursMs.toFixed(0)} ms for the latest attempt)   target < 2000 ms: ${verdict(timeline.inProcessMs < 2000)}`);
    console.log(`  --timeline: npm run logs, whole    ${timeline.cliMs.toFixed(0)} ms (a child process from start to exit ${timeline.cliExit}, Node's start-up included)`);
  } finally {
    fixture.destroy();
    moto.stop();
  }
}

/** `npm run logs -- --timeline` over the whole seeded day: in process (read, chain, render), and
 * as the user runs it, a child process from start to exit. */
async function benchTimeline(fixture: LogGroupFixture, endpoint: string, now: Date) {
  const source = new CloudWatchSource(fixture.client, GROUP);
  let queries = 0;
  const counted: LogSource = {
    query: (query: LogQuery) => {
      queries += 1;
      return source.query(query);
    },
  };
  const sinceMs = 25 * 3_600_000;
  const started = performance.now();
  const attempts = await findAllAttempts(counted, { sinceMs, now: now.getTime() });
  const chains = buildLinkChains(attempts.map((attempt) => attempt.record), now);
  renderTimeline(chains, { color: false, width: 80, keepValuesWhole: true });
  const inProcessMs = performance.now() - started;

  const cliStarted = performance.now();
  const cli = spawnSync(process.execPath, ["scripts/launch.js", "logs", "--timeline", "--since", "25h", "--log-group", GROUP, "--wait", "0"], {
    cwd: resolve(__dirname, "../.."),
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const cliMs = performance.now() - cliStarted;
  return { attempts: attempts.length, chains: chains.length, queries, calls: source.calls, inProcessMs, cliMs, cliExit: cli.status };
}

/** Every event of the group, page by page, keeping the attempt with the newest timestamp. */
async function naiveScan(fixture: LogGroupFixture): Promise<{ calls: number; events: number; newestAttemptId?: string }> {
  let calls = 0;
  let events = 0;
  let newest: { timestamp: number; attemptId: string } | undefined;
  let nextToken: string | undefined;
  do {
    calls += 1;
    const page = await fixture.client.send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken }));
    for (const event of page.events ?? []) {
      events += 1;
      const line = parseLogLine(event.message ?? "");
      if (line.kind === "attempt" && (!newest || event.timestamp! > newest.timestamp)) {
        newest = { timestamp: event.timestamp!, attemptId: line.record.attemptId };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { calls, events, newestAttemptId: newest?.attemptId };
}

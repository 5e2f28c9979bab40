/**
 * Rendering a report, on the real attempt records in test/unit/report/fixtures: the HTML page
 * (model and renderer) beside the terminal report (the baseline) on the same records in the
 * same run, per attempt, and the page's size. Target: under 50 ms and 100 KB per attempt.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { renderAttempt } from "../report/render-attempt";
import { renderAttemptHtml } from "../report/render-html";
import { buildAttemptReport } from "../report/report-model";
import { median, percentile, verdict } from "./stats";

const FIXTURES = join(__dirname, "../../test/unit/report/fixtures");
const ROUNDS = 200;

export function benchReportRender(): void {
  const records: AttemptRecord[] = readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(readFileSync(join(FIXTURES, file), "utf8")));
  const terminal = (record: AttemptRecord) => renderAttempt(record, { color: true, width: 100 });
  const html = (record: AttemptRecord) => renderAttemptHtml(buildAttemptReport(record), { toolVersion: "bench" });
  const terminalMs = timePerAttempt(records, terminal);
  const htmlMs = timePerAttempt(records, html);
  const sizes = records.map((record) => Buffer.byteLength(html(record)));
  const worstMs = percentile(htmlMs, 99);
  const largest = Math.max(...sizes);
  console.log(`report rendering (${records.length} real attempt records x ${ROUNDS} rounds, per attempt)`);
  console.log(`  terminal report: median / p99      ${median(terminalMs).toFixed(3)} / ${percentile(terminalMs, 99).toFixed(3)} ms`);
  console.log(`  HTML report: median / p99          ${median(htmlMs).toFixed(3)} / ${worstMs.toFixed(3)} ms   target < 50 ms: ${verdict(worstMs < 50)}`);
  console.log(`  HTML / terminal (median)           ${(median(htmlMs) / median(terminalMs)).toFixed(2)}x`);
  console.log(`  HTML size: median / largest        ${(median(sizes) / 1024).toFixed(1)} / ${(largest / 1024).toFixed(1)} KB   target < 100 KB: ${verdict(largest < 100 * 1024)}`);
}

/** One figure per render: every record, round after round, after a warm-up round. */
function timePerAttempt(records: readonly AttemptRecord[], render: (record: AttemptRecord) => string): number[] {
  for (const record of records) render(record);
  const figures: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const record of records) {
      const started = performance.now();
      render(record);
      figures.push(performance.now() - started);
    }
  }
  return figures;
}

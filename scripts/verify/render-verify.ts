/** The verify report for a terminal: one verdict, then one line per check, then the findings. */
import { createStyle } from "../report/style";
import { printable } from "../report/text";
import { VerifyReport } from "./run-verify";

const HEADLINE: Record<VerifyReport["verdict"], string> = {
  faithful: "FAITHFUL  the deployed path carries Alexa's request and the answer byte for byte",
  altered: "ALTERED   the deployed path changes what Alexa sends or gets",
  "records-missing": "UNKNOWN   the debugger answered, but not every attempt record was found in time",
  blocked: "BLOCKED   API Gateway answered itself: verify's requests never reached the debugger's Lambda",
  "not-the-debugger": "NOT THE DEBUGGER  this endpoint is not API Gateway: the deployed path was not checked",
  unreachable: "UNREACHABLE  the host does not resolve: nothing was sent",
};

/** One line, whatever a detail holds: printable, newlines and runs of spaces folded. */
const oneLine = (text: string) => printable(text).replace(/\s*\n\s*/g, " ⏎ ");

export function renderVerifyReport(report: VerifyReport, options: { readonly color: boolean }): string {
  const style = createStyle(options.color);
  const mark = report.verdict === "faithful" ? style.green("✓") : style.red("✗");
  const failed = report.checks.filter((check) => !check.ok).length;
  const lines = [
    `${mark} ${style.bold(HEADLINE[report.verdict])}`,
    style.dim(
      `  ${report.tokenUrl} · ${report.mode ? `${report.mode} mode` : "no attempt record found"}${report.upstreamUrl ? ` in front of ${report.upstreamUrl}` : ""} · ` +
        `${report.requests} requests · ${report.checks.length} checks, ${failed} failed`,
    ),
    "",
  ];
  const labelWidth = Math.max(0, ...report.checks.map((check) => check.request.length));
  const nameWidth = Math.max(0, ...report.checks.map((check) => check.name.length));
  for (const check of report.checks) {
    const where = check.ok ? "" : `${style.red(`[${check.layer}]`)} `;
    lines.push(
      `${check.ok ? style.green("✓") : style.red("✗")} ${check.request.padEnd(labelWidth)}  ${check.side.padEnd(8)} ${check.name.padEnd(nameWidth)}  ${where}${check.ok ? style.dim(oneLine(check.detail)) : oneLine(check.detail)}`,
    );
  }
  if (report.checks.length > 0) lines.push("");
  for (const finding of report.findings) {
    const code = finding.severity === "error" ? style.red(finding.code) : style.cyan(finding.code);
    lines.push(`${code}: ${oneLine(finding.message)}`, style.dim(`  fix: ${oneLine(finding.fix)}`));
  }
  return lines.join("\n");
}

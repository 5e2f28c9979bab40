/** verify's checks, summed up as findings with stable codes (docs/findings.md). Pure. */
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { Check, Layer } from "./path-checks";

export type VerifyVerdict = "faithful" | "altered" | "records-missing";

const FIX: Record<Layer, string> = {
  "request template":
    "Redeploy (npm run deploy) so that API Gateway runs infra/templates/token-request.vtl as it is in this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  "response template":
    "Redeploy (npm run deploy) so that API Gateway runs infra/templates/token-response.vtl as it is in this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  Lambda: "Redeploy (npm run deploy) so that the function runs the handler of this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  upstream:
    "Your token URL answered the same request two ways (several server versions behind a load balancer, rate limiting, or state kept between calls): rerun npm run verify; if it persists, what the debugger passes on may not be what your server usually answers.",
};

export function verifyFindings(checks: readonly Check[], missingRecords: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const side of ["request", "response"] as const) {
    const failed = checks.filter((check) => check.side === side && !check.ok);
    for (const layer of [...new Set(failed.map((check) => check.layer!))]) {
      const mine = failed.filter((check) => check.layer === layer);
      const first = mine[0];
      findings.push({
        code: side === "request" ? "DEPLOY_PATH_ALTERED_REQUEST" : "DEPLOY_PATH_ALTERED_RESPONSE",
        severity: "error",
        message:
          `The ${layer} altered ${side === "request" ? "Alexa's request" : "the answer to Alexa"}: ` +
          `${first.name} of "${first.request}": ${first.detail}` +
          (mine.length > 1 ? ` (${mine.length} checks failed: ${[...new Set(mine.map((check) => check.name))].join(", ")})` : ""),
        fix: FIX[layer],
      });
    }
  }
  if (missingRecords.length > 0) {
    findings.push({
      code: "DEPLOY_PATH_RECORDS_NOT_FOUND",
      severity: "error",
      message: `No attempt record found in time for ${missingRecords.length} request(s) the debugger answered: ${missingRecords.join(", ")}.`,
      fix: "Records reach CloudWatch a few seconds after the request: rerun with a longer --wait; check that --region, --log-group (or STACK_NAME) name the deployed stack.",
    });
  }
  if (findings.length === 0) {
    findings.push({
      code: "DEPLOY_PATH_FAITHFUL",
      severity: "info",
      message: "The deployed path carries Alexa's request and the answer byte for byte.",
      fix: "Nothing to fix: paste the token URL into the Alexa console (or npm run link).",
    });
  }
  return findings;
}

export function verifyVerdict(checks: readonly Check[], missingRecords: readonly string[]): VerifyVerdict {
  if (checks.some((check) => !check.ok)) return "altered";
  return missingRecords.length > 0 ? "records-missing" : "faithful";
}

/** verify's checks, summed up as findings with stable codes (docs/findings.md). Pure. */
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { Check, Layer } from "./path-checks";

/** faithful, altered and records-missing judge the deployed path; blocked: API Gateway
 * answered itself, not for a template's fault; not-the-debugger and
 * unreachable say verify never reached it (an endpoint that is not API Gateway, a host that
 * does not resolve), so nothing about the path is known. */
export type VerifyVerdict = "faithful" | "altered" | "records-missing" | "blocked" | "not-the-debugger" | "unreachable";

const FIX: Record<Exclude<Layer, "API Gateway" | "endpoint">, string> = {
  "request template":
    "Redeploy (npm run deploy) so that API Gateway runs infra/templates/token-request.vtl as it is in this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  "response template":
    "Redeploy (npm run deploy) so that API Gateway runs infra/templates/token-response.vtl as it is in this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  Lambda: "Redeploy (npm run deploy) so that the function runs the handler of this repository, then rerun npm run verify; if it still fails, report it with npm run verify -- --json.",
  upstream:
    "Your token URL answered the same request two ways (several server versions behind a load balancer, rate limiting, or state kept between calls): rerun npm run verify; if it persists, what the debugger passes on may not be what your server usually answers.",
};

// Neither one is a template's doing, so neither says "redeploy".
const NOT_THE_PATH_FIX =
  "Point verify at the deployed stack's token_url (npm run deploy prints it; --token-url to give another). An AWS emulator (moto, LocalStack) creates the API but cannot run the API Gateway → Lambda path, so verify cannot pass there: check the templates and the handler with npm start and npm run verify -- --local instead (docs/deploying.md).";
const GATEWAY_FIX =
  "API Gateway answered before the debugger's Lambda ran, and not because of the templates: check that the URL is the stack's token_url with its stage and /token (a 403 Missing Authentication Token means no such route; a 403 ForbiddenException on an execute-api host, no such API in that region), that npm run diff shows no change left to deploy, and API Gateway's execution logs for the request id; then rerun npm run verify.";

export function verifyFindings(checks: readonly Check[], missingRecords: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const outside = checks.filter((check) => !check.ok && (check.layer === "endpoint" || check.layer === "API Gateway"));
  for (const layer of ["endpoint", "API Gateway"] as const) {
    const mine = outside.filter((check) => check.layer === layer);
    if (mine.length === 0) continue;
    findings.push({
      code: layer === "endpoint" ? "DEPLOY_PATH_NOT_API_GATEWAY" : "DEPLOY_PATH_GATEWAY_ERROR",
      severity: "error",
      message:
        `${mine.length} of verify's requests did not reach the debugger's Lambda: ${mine[0].detail}` +
        (layer === "endpoint" ? ". This is not the deployed path, so verify judged nothing about it." : "."),
      fix: layer === "endpoint" ? NOT_THE_PATH_FIX : GATEWAY_FIX,
    });
  }
  for (const side of ["request", "response"] as const) {
    const failed = checks.filter((check) => check.side === side && !check.ok && !outside.includes(check));
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
        fix: FIX[layer as keyof typeof FIX],
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
  if (checks.some((check) => !check.ok && check.layer === "endpoint")) return "not-the-debugger";
  if (checks.some((check) => !check.ok && check.layer !== "API Gateway")) return "altered";
  if (checks.some((check) => !check.ok)) return "blocked";
  return missingRecords.length > 0 ? "records-missing" : "faithful";
}

/**
 * The token URL's host does not resolve: nothing was sent. An execute-api host that does not
 * resolve belongs to no API in AWS: destroyed since, or made by a deploy to an AWS emulator
 * (AWS_ENDPOINT_URL), whose APIs get the same kind of name but no DNS record.
 */
export function hostNotFoundFinding(tokenUrl: string, errorCode: string, env: NodeJS.ProcessEnv = {}): Finding {
  const host = new URL(tokenUrl).hostname;
  const executeApi = /\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/i.test(host);
  const emulator = env.AWS_ENDPOINT_URL ? ` AWS_ENDPOINT_URL is set (${env.AWS_ENDPOINT_URL}): a deploy to an AWS emulator writes such names, but only real AWS serves them.` : "";
  return {
    code: "DEPLOY_PATH_HOST_NOT_FOUND",
    severity: "error",
    message: executeApi
      ? `The execute-api host ${host} does not resolve (${errorCode}): no API Gateway in AWS answers to that name, or this machine cannot look names up. The stack was destroyed, or the outputs come from a deploy to an AWS emulator.${emulator}`
      : `The host ${host} does not resolve (${errorCode}): nothing was sent.`,
    fix: executeApi
      ? "Deploy to a real AWS account (npm run deploy, without AWS_ENDPOINT_URL) and rerun npm run verify; on an AWS emulator, check the path with npm start and npm run verify -- --local instead (docs/deploying.md)."
      : "Check the URL (--token-url) for typos, and that this machine's DNS can resolve it.",
  };
}

/**
 * One verify run: send the canary series through the debugger, find the records of exactly
 * those requests (one query for all of them, repeated only while ingestion lags), send the
 * same requests straight to the token URL in proxy mode, and compare.
 */
import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { Finding } from "../../functions/token-url/diagnosis/finding";
import { dummyTokenResponse } from "../../functions/token-url/dummy";
import { FORWARDED_HEADERS } from "../../functions/token-url/proxy-mode";
import { findAttemptsByIds } from "../logs/find-attempts";
import { LogSource } from "../logs/log-source";
import { Scrubber } from "../../functions/token-url/scrubber";
import { CanaryCredentials, canaryCredentials, CanaryRequest, canaryRequests, canarySecrets } from "./canary-requests";
import { ATTEMPT_HEADER, Check, ExpectedAnswer, notDeliveredCheck, requestChecks, responseChecks } from "./path-checks";
import { Answer, sendRequest } from "./send-request";
import { hostNotFoundFinding, verifyFindings, VerifyVerdict, verifyVerdict } from "./verify-findings";

export interface VerifyInput {
  readonly tokenUrl: string;
  readonly source: LogSource;
  /** The user's, in proxy mode; else made up. */
  readonly credentials?: CanaryCredentials;
  readonly waitMs: number;
  /** For naming an emulator (AWS_ENDPOINT_URL). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface VerifyReport {
  readonly type: "verify-report";
  readonly verdict: VerifyVerdict;
  readonly tokenUrl: string;
  /** As the records say; null when none was found. */
  readonly mode: AttemptRecord["mode"] | null;
  readonly upstreamUrl: string | null;
  readonly requests: number;
  readonly checks: Check[];
  readonly findings: Finding[];
}

// A record may carry a timestamp slightly before this machine's clock says the run began.
const START_SLACK_MS = 5 * 60_000;

export async function runVerify(input: VerifyInput): Promise<VerifyReport> {
  const env = input.env ?? process.env;
  const unresolved = await hostLookupError(input.tokenUrl);
  if (unresolved) {
    return {
      type: "verify-report",
      verdict: "unreachable",
      tokenUrl: input.tokenUrl,
      mode: null,
      upstreamUrl: null,
      requests: 0,
      checks: [],
      findings: [hostNotFoundFinding(input.tokenUrl, unresolved, env)],
    };
  }
  const runId = randomBytes(6).toString("hex");
  const requests = canaryRequests(runId, input.credentials ?? canaryCredentials(runId));
  const startTime = Date.now() - START_SLACK_MS;
  const answers = await Promise.all(requests.map((request) => sendRequest(input.tokenUrl, request)));
  const ids = answers.map((answer) => answer.headers[ATTEMPT_HEADER]);
  const records = await findRecords(input.source, runId, ids.filter((id): id is string => id !== undefined), startTime, input.waitMs);

  const checks: Check[] = [];
  const missing: string[] = [];
  const compared: { request: CanaryRequest; answer: Answer; record: AttemptRecord }[] = [];
  requests.forEach((request, index) => {
    const id = ids[index];
    const record = id === undefined ? undefined : records.get(id);
    if (id === undefined) checks.push(notDeliveredCheck(request.label, answers[index], input.tokenUrl, env));
    else if (record === undefined) missing.push(`${request.label} (attempt ${id})`);
    else compared.push({ request, answer: answers[index], record });
  });
  const expected = await Promise.all(compared.map(({ request, record }) => expectedAnswer(request, record)));
  compared.forEach(({ request, answer, record }, index) => {
    checks.push(...requestChecks(request, record), ...responseChecks(request.label, answer, record, expected[index]));
  });
  const first = compared[0]?.record;
  // Check lines quote what answered (an error message, a header), and in proxy mode the
  // requests carry the user's own secret: the whole report leaves through the scrubber.
  const scrubber = new Scrubber([...canarySecrets(requests), ...(input.credentials ? [input.credentials.clientSecret] : [])]);
  return scrubber.scrubDeep<VerifyReport>({
    type: "verify-report",
    verdict: verifyVerdict(checks, missing),
    tokenUrl: input.tokenUrl,
    mode: first?.mode ?? null,
    upstreamUrl: first?.upstream?.url ?? null,
    requests: requests.length,
    checks,
    findings: verifyFindings(checks, missing),
  });
}

/** ENOTFOUND (or the resolver's EAI_AGAIN) when the token URL's host does not resolve. */
async function hostLookupError(tokenUrl: string): Promise<string | undefined> {
  const host = new URL(tokenUrl).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return undefined;
  try {
    await lookup(host);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL" ? code : undefined;
  }
}

/** Polls with one query for all ids until every record is in, or the wait is over. */
async function findRecords(source: LogSource, runId: string, ids: string[], startTime: number, waitMs: number): Promise<Map<string, AttemptRecord>> {
  // Nothing reached the Lambda: there is no record to look for (and maybe no log group).
  if (ids.length === 0) return new Map();
  const deadline = Date.now() + waitMs;
  for (let pause = 250; ; pause = Math.min(pause * 2, 2_000)) {
    const found = await findAttemptsByIds(source, { term: runId, ids, startTime, now: Date.now() });
    if (found.size === ids.length || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
  }
}

/** Proxy mode: the token URL's own answer to the same request, sent with the headers the
 * wrapper forwards. Dummy mode: the dummy's status and headers; its body is new each time. */
async function expectedAnswer(request: CanaryRequest, record: AttemptRecord): Promise<ExpectedAnswer> {
  if (record.mode === "proxy" && record.upstream) {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) if (request.headers[name] !== undefined) headers[name] = request.headers[name];
    return sendRequest(record.upstream.url, { body: request.body, headers });
  }
  const dummy = dummyTokenResponse();
  const headers: Record<string, string> = { "content-type": dummy.headers.contentType!, "cache-control": dummy.headers.cacheControl!, pragma: dummy.headers.pragma! };
  return { status: dummy.statusCode, headers };
}

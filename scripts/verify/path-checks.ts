/**
 * Pure comparison rules: what verify sent and got against what the Lambda recorded (and, in
 * proxy mode, against the token URL's own answer to the same request). A mismatch names the
 * layer that altered the data, judged from the points the path can be observed at: the request
 * as sent, the record (the Lambda's view of the request, of the upstream's answer and of its
 * own answer), the answer as received.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { fingerprint } from "../../functions/token-url/fingerprint";
import { redactFields, redactHeaders } from "../../functions/token-url/redact";
import { CanaryRequest } from "./canary-requests";
import { Answer } from "./send-request";
import { answerSummary, identifyAnswerer } from "./answerer";

/** Where a fault lies: a layer of the deployed path, API Gateway's own handling before the
 * templates, or an endpoint that is not the deployed path at all. */
export type Layer = "request template" | "Lambda" | "upstream" | "response template" | "API Gateway" | "endpoint";

export interface Check {
  /** The request's label. */
  readonly request: string;
  readonly side: "request" | "response";
  readonly name: string;
  readonly ok: boolean;
  /** Set when not ok. */
  readonly layer?: Layer;
  /** What matched, or what changed; fingerprints only for secrets. */
  readonly detail: string;
}

export { ATTEMPT_HEADER } from "./answerer";

/** Sent → recorded: fields (fingerprints and clear values), client auth, the decoded Basic
 * client id, content type, user agent. */
export function requestChecks(sent: CanaryRequest, record: AttemptRecord): Check[] {
  const check = (name: string, ok: boolean, layer: Layer, detail: string): Check => ({
    request: sent.label,
    side: "request",
    name,
    ok,
    ...(ok ? {} : { layer }),
    detail,
  });
  const recorded = record.request;
  const sentBody = fingerprint(sent.body.toString("utf8"));
  // Bytes that reached the Lambda intact, then read wrong, are the Lambda's fault; bytes that
  // arrived changed are the request template's.
  const bodyIntact = recorded.bodyFingerprint === undefined || recorded.bodyFingerprint === sentBody;
  const reader: Layer = bodyIntact ? "Lambda" : "request template";
  const checks: Check[] = [];
  if (recorded.bodyFingerprint !== undefined) {
    checks.push(
      check("body bytes", bodyIntact, "request template", bodyIntact ? `${sent.body.length} bytes as sent` : `sent ${sentBody}, the Lambda got ${recorded.bodyFingerprint}`),
    );
  }
  const fieldChanges = differences(redactFields(sent.expected.fields), recorded.fields);
  const secretCount = Object.keys(sent.expected.fields).filter((name) => redactFields({ [name]: "x" })[name] !== "x").length;
  checks.push(
    check(
      "fields",
      fieldChanges.length === 0,
      reader,
      fieldChanges.length === 0
        ? `${Object.keys(sent.expected.fields).length} fields as sent (${secretCount} by fingerprint)`
        : fieldChanges.join("; "),
    ),
  );
  const sentDuplicates = JSON.stringify(sent.expected.duplicateFields);
  const recordedDuplicates = JSON.stringify(recorded.duplicateFields ?? []);
  if (sent.expected.duplicateFields.length > 0 || recordedDuplicates !== sentDuplicates) {
    checks.push(check("duplicate fields", recordedDuplicates === sentDuplicates, reader, `sent ${sentDuplicates}, recorded ${recordedDuplicates}`));
  }
  checks.push(
    check("client auth", recorded.clientAuth === sent.expected.clientAuth, reader, `sent ${sent.expected.clientAuth}, recorded ${recorded.clientAuth}`),
  );
  if (sent.headers.authorization !== undefined) {
    const expected = redactHeaders({ authorization: sent.headers.authorization }).authorization;
    const got = recorded.headers.authorization;
    checks.push(check("Basic client id", got === expected, "request template", got === expected ? expected : `sent ${expected}, recorded ${got ?? "(none)"}`));
  }
  checks.push(same(check, "content type", sent.headers["content-type"], recorded.contentType ?? undefined, "request template"));
  checks.push(same(check, "user agent", sent.headers["user-agent"], recorded.headers["user-agent"], "request template"));
  const flagged = record.findings.some((finding) => finding.code === "REQUEST_NOT_FORM");
  checks.push(
    check(
      "REQUEST_NOT_FORM",
      flagged === sent.expected.notForm,
      "Lambda",
      sent.expected.notForm ? (flagged ? "recorded, as it must be" : "missing from the record") : flagged ? "recorded for a form body" : "not recorded, right for a form body",
    ),
  );
  return checks;
}

/** What the answer should be: in proxy mode the token URL's own answer to the same request;
 * in dummy mode the dummy's status and headers, and the body the Lambda recorded (a dummy
 * token is new on every request). */
export interface ExpectedAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export function responseChecks(label: string, received: Answer, record: AttemptRecord, expected: ExpectedAnswer): Check[] {
  const lambda = record.response;
  const upstream = record.upstream;
  const headerOf = (answer: ExpectedAnswer, name: string) => answer.headers[name] ?? null;
  const direct = expected.body === undefined ? null : { ...expected, body: expected.body };
  const rows: [name: string, received: string | number | null, lambda: string | number | null | undefined, upstream: string | number | null | undefined, expected: string | number | null | undefined][] = [
    ["status", received.status, lambda.status, upstream?.status, expected.status],
    ...HEADERS.map(([name, field]): [string, string | null, string | null | undefined, string | null | undefined, string | null] => [
      name,
      headerOf(received, name.toLowerCase()),
      lambda[field],
      upstream ? (upstream.headers[name.toLowerCase()] ?? null) : undefined,
      headerOf(expected, name.toLowerCase()),
    ]),
    ["body", fingerprint(received.body.toString("utf8")), lambda.bodyFingerprint, upstream ? `len=${upstream.bodyBytes}` : undefined, direct ? fingerprint(direct.body.toString("utf8")) : undefined],
  ];
  return rows.map(([name, got, fromLambda, fromUpstream, want]) => {
    const check = (ok: boolean, detail: string, layer?: Layer): Check => ({ request: label, side: "response", name, ok, ...(layer ? { layer } : {}), detail });
    const wanted = want === undefined ? fromLambda : want;
    if (wanted === undefined) return check(true, `${show(got)} (older record: not compared)`);
    if (got === wanted && (direct === null || name !== "body" || received.body.equals(direct.body))) {
      return check(true, name === "body" ? `${received.body.length} bytes, byte for byte` : show(got));
    }
    // The record is the Lambda's own answer: a change after it is the response template's.
    if (fromLambda !== undefined && got !== fromLambda) {
      return check(false, `the Lambda answered ${show(fromLambda)}, Alexa would get ${show(got)}`, "response template");
    }
    // Before it: the upstream answered the Lambda unlike it answered verify, or the Lambda
    // changed what the upstream said.
    const upstreamSaid = name === "body" ? (direct ? `len=${direct.body.length}` : undefined) : want;
    if (fromUpstream !== undefined && upstreamSaid !== undefined && fromUpstream !== upstreamSaid) {
      return check(false, `the token URL answered the Lambda ${show(fromUpstream)} but verify's own request ${show(upstreamSaid)}`, "upstream");
    }
    return check(false, `expected ${show(wanted)}, the Lambda answered ${show(got)}`, "Lambda");
  });
}

const HEADERS = [
  ["Content-Type", "contentType"],
  ["Cache-Control", "cacheControl"],
  ["Pragma", "pragma"],
  ["WWW-Authenticate", "wwwAuthenticate"],
] as const;

/**
 * A request answered without the attempt header, named by who answered it: the debugger's
 * error template (its Lambda failed), API Gateway refusing the body or its content type (the
 * request templates), API Gateway failing or refusing otherwise (a wrong path, a missing
 * permission: not the templates' doing), or an endpoint that is not API Gateway at all.
 * The answer shows as one line: status, size, type and fingerprint, never its text.
 */
export function notDeliveredCheck(label: string, received: Answer, url = "http://127.0.0.1/token", env: NodeJS.ProcessEnv = {}): Check {
  const check = (layer: Layer, detail: string): Check => ({ request: label, side: "request", name: "reached the Lambda", ok: false, layer, detail });
  const summary = answerSummary(received);
  const text = received.body.toString("utf8");
  if (received.status === 502 && text.includes("Lambda failed")) {
    return check("Lambda", `the Lambda failed, and the debugger's error template answered: ${summary}`);
  }
  const answerer = identifyAnswerer(url, received, env);
  if (answerer.kind === "not-api-gateway") return check("endpoint", `${answerer.name} answered, not API Gateway: ${summary}`);
  const gateway: { errorType?: string; message?: string } = answerer.kind === "api-gateway" ? answerer : {};
  const said = [gateway.errorType, gateway.message === undefined ? undefined : JSON.stringify(gateway.message.slice(0, 80))]
    .filter((part) => part !== undefined)
    .join(" ");
  const detail = `API Gateway answered itself${said ? ` (${said})` : ""}, before the Lambda: ${summary}`;
  // A body API Gateway could not map to JSON (400), or a content type no template takes (415):
  // the request templates' doing.
  return check(received.status === 400 || received.status === 415 ? "request template" : "API Gateway", detail);
}

function same(
  check: (name: string, ok: boolean, layer: Layer, detail: string) => Check,
  name: string,
  sent: string | undefined,
  recorded: string | undefined,
  layer: Layer,
): Check {
  return check(name, sent === recorded, layer, sent === recorded ? show(sent ?? null) : `sent ${show(sent ?? null)}, recorded ${show(recorded ?? null)}`);
}

function differences(expected: Record<string, string>, recorded: Record<string, string>): string[] {
  const changes: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    if (!(name in recorded)) changes.push(`${name} missing`);
    else if (recorded[name] !== value) changes.push(`${name}: sent ${show(value)}, recorded ${show(recorded[name])}`);
  }
  for (const name of Object.keys(recorded)) if (!(name in expected)) changes.push(`${name} added`);
  return changes;
}

function show(value: string | number | null): string {
  if (value === null) return "(none)";
  if (typeof value === "number") return String(value);
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  return JSON.stringify(shown);
}

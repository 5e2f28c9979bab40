/**
 * What a report says about one attempt record, decided once: the verdict, the sections with
 * their rows, the certificate chain, the timing phases and the findings in order. The terminal
 * renderer (render-attempt.ts) and the HTML renderer (render-html.ts) only lay this out, so the
 * two can never disagree. Pure: a record in, a model out. The record is already redacted.
 */
import { NextStep, nextStepsFor } from "./linking-next-steps";
import { STATUS_CODES } from "node:http";
import { AnswerSummary, AttemptRecord, AuthorizationSection, DeadlineSummary, UpstreamSummary } from "../../functions/token-url/attempt-record";
import { RedirectStanding } from "../../functions/token-url/diagnosis/authorize-rules";
import type { AuthorizeCheckRecord } from "../probe/authorize-probe";
import { ClientAuth } from "../../functions/token-url/client-auth";
import { alexaRegionOf } from "../../functions/token-url/diagnosis/alexa-region";
import { CertificateSummary, TlsFacts, UpstreamTimings } from "../../functions/token-url/diagnosis/exchange";
import { Finding, Verdict } from "../../functions/token-url/diagnosis/finding";
import { MetadataLookup } from "../../functions/token-url/upstream/server-metadata";
import { IdentifiedProduct, ServerIdentity } from "../../functions/token-url/diagnosis/server-identification";
import { utcDateTime } from "./text";
import { measuredPhases, MeasuredPhase } from "./timing-bar";
import { bySeverity, leadingFinding, leadingFindingSentence, LeadingFix, leadingFixes, verdictSentence } from "./verdict";

export type { LeadingFix } from "./verdict";

/** The Lambda's REPORT line for the invocation that wrote the record (CloudWatch only). */
export interface LambdaReport {
  durationMs: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
}

/** How a value reads: the terminal paints it, the page gives it a class. */
export type Tone = "plain" | "good" | "bad" | "warn" | "dim";

export interface ReportValue {
  readonly text: string;
  readonly tone: Tone;
}

export interface ReportRow {
  readonly label: string;
  readonly values: readonly ReportValue[];
}

export interface CertificateModel {
  /** 1 for the leaf. */
  readonly position: number;
  readonly subject: string;
  readonly selfSigned: boolean;
  readonly issuer: string;
  readonly validity: string;
  /** Expired, not yet valid or expiring soon at the attempt's time; undefined when fine. */
  readonly standing?: ReportValue;
  readonly names: readonly string[];
}

export interface ReportSection {
  readonly title: string;
  readonly rows: readonly ReportRow[];
  /** The upstream body as text (already redacted), printable characters only in the renderers. */
  readonly body?: string;
  readonly phases?: readonly MeasuredPhase[];
  readonly deadline?: DeadlineSummary;
  readonly chain?: readonly CertificateModel[];
}

export interface AttemptReport {
  readonly verdict: Verdict;
  readonly verdictWord: "PASS" | "WARN" | "FAIL";
  readonly sentence: string;
  readonly leadingCode?: string;
  /** What to do, shown right under the verdict: the leading finding's fix first, and for a
   * fail a second error's when it differs (verdict.ts leadingFixes). Empty on a pass. */
  readonly fixes: readonly LeadingFix[];
  /** "2026-11-24 19:00:00 UTC  proxy  attempt 9f0c…" */
  readonly when: string;
  readonly time: string;
  readonly mode: AttemptRecord["mode"];
  readonly attemptId: string;
  readonly sections: readonly ReportSection[];
  /** Errors, then warnings, then info. */
  readonly findings: readonly Finding[];
  /** "If linking still fails" guidance, for a record that earns it (linking-next-steps.ts). */
  readonly nextSteps: readonly NextStep[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
// The same window as TLS_CERT_EXPIRING_SOON.
const EXPIRING_SOON_MS = 14 * DAY_MS;

/** The Alexa console's words for each client-auth scheme ("Your Authentication Scheme"). */
const CLIENT_AUTH_WORDS: Record<ClientAuth, string> = {
  basic: '"HTTP Basic" (Authorization header)',
  body: '"Credentials in request body" (client_id and client_secret fields)',
  both: 'both "HTTP Basic" header and "Credentials in request body"',
  none: "none (no client credentials sent)",
};

// Request headers that have their own row.
const REQUEST_HEADER_ROWS = new Set(["content-type", "user-agent", "authorization"]);

// The answer's headers that decide how Alexa reads it, and those that name a WAF or CDN in
// front of the token URL (the usual cause of a 403 that only Alexa gets).
const TELLING_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "cache-control",
  "pragma",
  "www-authenticate",
  "location",
  "server",
  "via",
  "x-cache",
  "x-iinfo",
]);
const TELLING_HEADER_PREFIXES = ["cf-", "x-amzn-", "x-amz-cf-", "x-akamai-", "x-sucuri-"];

const VERDICT_WORDS = { pass: "PASS", warn: "WARN", fail: "FAIL" } as const;

export function buildAttemptReport(record: AttemptRecord, lambdaReport?: LambdaReport): AttemptReport {
  const upstream = record.upstream;
  const sections = [
    requestSection(record),
    upstream ? upstreamSection(record, upstream) : undefined,
    record.schemeRetry ? schemeRetrySection(record.schemeRetry) : undefined,
    record.rotationCheck ? rotationCheckSection(record.rotationCheck) : undefined,
    record.server ? serverSection(record.server) : undefined,
    upstream || record.deadline ? timingSection(upstream?.timings ?? null, record.deadline) : undefined,
    upstream?.tls ? tlsSection(upstream.tls, record.time) : undefined,
    record.authorization ? authorizationSection(record.authorization, record.time) : undefined,
    record.serverMetadata ? serverMetadataSection(record.serverMetadata) : undefined,
    lambdaReport ? lambdaSection(lambdaReport) : undefined,
  ].filter((section) => section !== undefined);
  return {
    verdict: record.verdict,
    verdictWord: VERDICT_WORDS[record.verdict],
    sentence: verdictSentence(record),
    leadingCode: leadingFinding(record.findings)?.code,
    fixes: leadingFixes(record.findings),
    when: `${formatTime(record.time)}  ${record.mode}  attempt ${record.attemptId}`,
    time: record.time,
    mode: record.mode,
    attemptId: record.attemptId,
    sections,
    findings: bySeverity(record.findings),
    nextSteps: nextStepsFor(record),
  };
}

/** The check tests each redirect URL it was given: the three regions' by default, a skill's own
 * (any number) with --skill-id. */
function redirectUrlsChecked(count: number): string {
  return count === 1 ? "the redirect URL checked" : `all ${count} redirect URLs checked`;
}

/** `probe --authorize-url` without a token URL: its own record, the same report around it. */
export function buildAuthorizeCheckReport(check: AuthorizeCheckRecord): AttemptReport {
  const leading = leadingFinding(check.findings);
  const allRegistered = check.authorization.regions.every((region) => region.standing === "registered");
  const sentence = leading
    ? leadingFindingSentence(check.verdict, leading)
    : allRegistered
      ? `The authorization URI accepts ${redirectUrlsChecked(check.authorization.regions.length)}`
      : `No fault found at the authorization URI${check.findings[0] ? ` (${check.findings[0].code})` : ""}`;
  return {
    verdict: check.verdict,
    verdictWord: VERDICT_WORDS[check.verdict],
    sentence,
    leadingCode: leading?.code,
    fixes: leadingFixes(check.findings),
    when: `${formatTime(check.time)}  authorize check ${check.checkId}`,
    time: check.time,
    mode: check.mode,
    attemptId: check.checkId,
    sections: [authorizationSection(check.authorization, check.time)],
    findings: bySeverity(check.findings),
    // Guidance follows a token exchange that worked; this check had none.
    nextSteps: [],
  };
}

const plain = (text: string): ReportValue => ({ text, tone: "plain" });
const row = (label: string, values: readonly (string | ReportValue)[]): ReportRow => ({
  label,
  values: values.map((value) => (typeof value === "string" ? plain(value) : value)),
});
const optionalRow = (label: string, value: string | undefined): ReportRow[] => (value === undefined ? [] : [row(label, [value])]);

function requestSection(record: AttemptRecord): ReportSection {
  const { request } = record;
  const redirectUri = request.fields.redirect_uri;
  const otherHeaders = Object.keys(request.headers).filter((name) => !REQUEST_HEADER_ROWS.has(name));
  const fields = Object.entries(request.fields).map(([name, value]) => `${name}=${value}`);
  return {
    title: "Request",
    rows: [
      row("grant type", [request.grantType ?? "(none)"]),
      row("client auth", [CLIENT_AUTH_WORDS[request.clientAuth]]),
      ...(redirectUri === undefined ? [] : [row("redirect_uri", [redirectUri]), row("Alexa region", [alexaRegion(redirectUri)])]),
      row("content type", [request.contentType ?? "(none)"]),
      ...(request.sourceIp === null ? [] : [row("source IP", [request.sourceIp])]),
      ...optionalRow("user agent", request.headers["user-agent"]),
      row("fields", fields.length > 0 ? fields : ["(none)"]),
      ...(request.duplicateFields.length > 0 ? [row("repeated", [{ text: request.duplicateFields.join(", "), tone: "warn" }])] : []),
      ...optionalRow("authorization", request.headers.authorization),
      ...(otherHeaders.length > 0 ? [row("other headers", [otherHeaders.join(", ")])] : []),
    ],
  };
}

function alexaRegion(redirectUri: string): ReportValue {
  const region = alexaRegionOf(redirectUri);
  return region ? plain(`${region.region} (${region.host})`) : { text: "not an Alexa redirect host", tone: "warn" };
}

function upstreamSection(record: AttemptRecord, upstream: UpstreamSummary): ReportSection {
  const shown = Object.entries(upstream.headers).filter(([name]) => isTellingHeader(name));
  const hidden = Object.keys(upstream.headers).filter((name) => !isTellingHeader(name));
  const headers: ReportValue[] = [
    ...shown.map(([name, value]) => plain(`${name}: ${value}`)),
    ...(hidden.length > 0 ? [{ text: `(+${hidden.length} more: ${hidden.join(", ")})`, tone: "dim" as const }] : []),
  ];
  const error = upstream.error;
  // No status and no body: the exchange failed before an answer, so there is nothing to list.
  const answered = upstream.status !== null || upstream.body !== "";
  return {
    title: "Upstream",
    rows: [
      row("URL", [upstream.url]),
      row("status", [statusValue(upstream.status)]),
      ...(error ? [row("error", [{ text: `${errorLabel(error.code, record.findings)}: ${error.message}`, tone: "bad" }])] : []),
      // A probe has no Alexa behind it: its response is the token URL's own answer, shown above.
      ...(record.mode === "probe"
        ? []
        : [row("to Alexa", [[record.response.status, record.response.contentType].filter((part) => part !== null).join(", ")])]),
      ...(answered ? [row("headers", headers.length > 0 ? headers : ["(none)"])] : []),
      ...(answered ? [row("body", [bodySize(upstream)])] : []),
    ],
    body: upstream.body,
  };
}

/**
 * The capture calls every rejected certificate TLS_VERIFY_FAILED; the TLS rules then name the
 * fault (TLS_INCOMPLETE_CHAIN, TLS_CERT_EXPIRED, ...). One failure, one label: the report
 * shows the finding's code wherever it shows the error.
 */
function errorLabel(code: string, findings: readonly Finding[]): string {
  if (code !== "TLS_VERIFY_FAILED") return code;
  return findings.find((finding) => finding.severity === "error" && finding.code.startsWith("TLS_"))?.code ?? code;
}

/** The probe's second request, with the other client-auth scheme: what it sent and what came back. */
function schemeRetrySection(retry: NonNullable<AttemptRecord["schemeRetry"]>): ReportSection {
  const { upstream } = retry;
  return {
    title: "Retried with the other scheme",
    rows: [
      row("client auth", [CLIENT_AUTH_WORDS[retry.request.clientAuth]]),
      row("status", [statusValue(upstream.status)]),
      ...(upstream.error ? [row("error", [{ text: `${upstream.error.code}: ${upstream.error.message}`, tone: "bad" }])] : []),
    ],
    body: upstream.body,
  };
}

/** `--check-rotation`'s second request: the old refresh token once more, and what came back. */
function rotationCheckSection(check: NonNullable<AttemptRecord["rotationCheck"]>): ReportSection {
  const { upstream } = check;
  return {
    title: "The old refresh token again (--check-rotation)",
    rows: [
      row("refresh_token", [check.request.fields.refresh_token ?? "-"]),
      row("status", [statusValue(upstream.status)]),
      ...(upstream.error ? [row("error", [{ text: `${upstream.error.code}: ${upstream.error.message}`, tone: "bad" }])] : []),
    ],
    body: upstream.body,
  };
}

function isTellingHeader(name: string): boolean {
  return TELLING_HEADERS.has(name) || TELLING_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function statusValue(status: number | null): ReportValue {
  if (status === null) return { text: "no answer", tone: "bad" };
  const reason = STATUS_CODES[status];
  const text = reason ? `${status} ${reason}` : String(status);
  return { text, tone: status >= 200 && status < 300 ? "good" : "bad" };
}

function bodySize(upstream: UpstreamSummary): string {
  if (upstream.bodyBytes === 0) return "(empty)";
  const bytes = `${upstream.bodyBytes} bytes`;
  if (!upstream.bodyCapped) return bytes;
  // Decoded bytes; a compressed answer also says what came off the wire for them.
  const wire = upstream.bodyEncoding && upstream.receivedBytes !== undefined ? `; ${upstream.bodyEncoding}, ${upstream.receivedBytes} bytes received` : "";
  return `${bytes} (the capture stopped at its 1 MiB cap${wire})`;
}

function timingSection(timings: UpstreamTimings | null, deadline: DeadlineSummary | undefined): ReportSection {
  return {
    title: "Timing",
    rows: [
      ...(timings ? [row("total", [`${timings.totalMs} ms`])] : []),
      ...(deadline ? [row("Alexa waited", [deadlineValue(deadline)])] : []),
    ],
    phases: timings ? measuredPhases(timings) : [],
    deadline,
  };
}

/** "4712 of 4500 ms (token URL 4300 ms, debugger 412 ms), too late": bad past the deadline. */
function deadlineValue(deadline: DeadlineSummary): ReportValue {
  const shares = [
    deadline.upstreamMs === null ? undefined : `token URL ${deadline.upstreamMs} ms`,
    deadline.debuggerMs === null ? undefined : `debugger ${deadline.debuggerMs} ms`,
  ].filter((part) => part !== undefined);
  const text = `${deadline.waitedMs} of ${deadline.limitMs} ms` + (shares.length > 1 ? ` (${shares.join(", ")})` : "");
  return deadline.waitedMs > deadline.limitMs ? { text: `${text}, too late`, tone: "bad" } : plain(text);
}

function tlsSection(tls: TlsFacts, time: string): ReportSection {
  const verified: ReportValue = tls.authorized
    ? { text: "yes", tone: "good" }
    : { text: `no: ${tls.verifyError ?? "the handshake did not complete"}`, tone: "bad" };
  const bypassed: ReportValue = tls.bypassed
    ? { text: "yes: TLS_BYPASS let the request go on; Alexa would have stopped here", tone: "warn" }
    : plain("no");
  const count = tls.chain.length;
  return {
    title: "TLS",
    rows: [
      row("protocol", [tls.protocol ? [tls.protocol, tls.cipher].filter(Boolean).join(", ") : "(no handshake)"]),
      row("verified", [verified]),
      row("bypassed", [bypassed]),
      row("chain", [chainCount(count), ...chainProvenance(tls.chain)]),
    ],
    chain: tls.chain.map((certificate, index) => certificateModel(certificate, index + 1, time)),
  };
}

/** Which certificates the server sent and which the client completed from its trust store
 * (records before provenance was recorded say nothing). */
function chainProvenance(chain: readonly CertificateSummary[]): ReportValue[] {
  if (chain.length === 0 || chain.every((certificate) => certificate.fromTrustStore === undefined)) return [];
  const positions = (fromStore: boolean) =>
    chain.flatMap((certificate, index) => ((certificate.fromTrustStore === true) === fromStore ? [String(index + 1)] : []));
  const sent = positions(false);
  const added = positions(true);
  return [
    plain(`sent by the server: ${sent.length} (${sent.map((position) => `#${position}`).join(", ")})`),
    ...(added.length > 0
      ? [{ text: `completed from this machine's trust store: ${added.map((position) => `#${position}`).join(", ")} (not sent by the server)`, tone: "dim" as const }]
      : []),
  ];
}

function chainCount(count: number): string {
  return count === 0 ? "(none received)" : `${count} certificate${count === 1 ? "" : "s"}, leaf first`;
}

function certificateModel(certificate: CertificateSummary, position: number, time: string): CertificateModel {
  return {
    position,
    subject: certificate.subject || "(empty subject)",
    selfSigned: certificate.selfSigned,
    issuer: certificate.issuer || "(empty issuer)",
    validity: `${formatTime(certificate.validFrom)} to ${formatTime(certificate.validTo)}`,
    standing: validityStanding(certificate, time),
    names: certificate.subjectAltNames,
  };
}

/** Expired, not yet valid or expiring soon, judged at the attempt's own time, not today's:
 * an old record must read as it did then. */
function validityStanding(certificate: CertificateSummary, time: string): ReportValue | undefined {
  const at = Date.parse(time);
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if ([at, from, to].some(Number.isNaN)) return undefined;
  if (at > to) return { text: `EXPIRED ${span(at - to)} before this attempt`, tone: "bad" };
  if (at < from) return { text: `NOT YET VALID: starts ${span(from - at)} after this attempt`, tone: "bad" };
  if (to - at < EXPIRING_SOON_MS) return { text: `expires ${span(to - at)} after this attempt`, tone: "warn" };
  return undefined;
}

function span(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `${days} day${days === 1 ? "" : "s"}`;
  const hours = Math.floor(ms / (60 * 60 * 1000));
  return hours >= 1 ? `${hours} hour${hours === 1 ? "" : "s"}` : "less than an hour";
}

const STANDING_VALUES: Record<RedirectStanding, ReportValue> = {
  registered: { text: "✓ registered", tone: "good" },
  rejected: { text: "✗ rejected", tone: "bad" },
  untestable: { text: "? untestable", tone: "warn" },
};

/** The authorization URI: its URL and TLS facts, then one row per Alexa region (✓ registered,
 * ✗ rejected, ? untestable) with what it answered, and the made-up redirect URL's answer. */
function authorizationSection(section: AuthorizationSection, time: string): ReportSection {
  const { tls } = section;
  const tlsValue: ReportValue | undefined = !tls
    ? undefined
    : tls.protocol === null
      ? { text: "handshake not completed", tone: "bad" }
      : tls.authorized
        ? { text: `${tls.protocol}, certificate trusted`, tone: "good" }
        : { text: `${tls.protocol}, certificate rejected (${tls.verifyError})`, tone: "bad" };
  const answered = (redirectUri: string, answer: AnswerSummary): ReportValue => ({ text: `${redirectUri}: ${answerText(answer)}`, tone: "dim" });
  return {
    title: "Authorization URI",
    rows: [
      row("url", [section.url]),
      row("client id", [section.clientId]),
      ...optionalRow("scope", section.scope ?? undefined),
      ...(tlsValue ? [row("tls", [tlsValue])] : []),
      ...(tls ? [row("chain", [chainCount(tls.chain.length), ...chainProvenance(tls.chain)])] : []),
      // The first request's own time: the others went out with it, so the check took about as long.
      row("time", [`${section.timings.totalMs} ms (the first of ${section.regions.length + 1} requests sent at once)`]),
      ...section.regions.map((region) => row(region.region, [STANDING_VALUES[region.standing], answered(region.redirectUri, region.answer)])),
      row("made-up", [answered(section.bogus.redirectUri, section.bogus.answer)]),
    ],
    chain: (tls?.chain ?? []).map((certificate, index) => certificateModel(certificate, index + 1, time)),
  };
}

/** "302 → /login?…", "400, body 153 bytes", "no answer (ECONNRESET)": where a redirect points
 * without its query (the --json record has it whole). */
function answerText(answer: AnswerSummary): string {
  if (answer.status === null) return `no answer (${answer.error?.code ?? "unknown"})`;
  if (answer.location === null) return `${answer.status}, body ${answer.bodyBytes} bytes`;
  const cut = answer.location.search(/[?#]/);
  return `${answer.status} → ${cut === -1 ? answer.location : `${answer.location.slice(0, cut)}?…`}`;
}

/** Who answered the token URL, and what stands in front of it, each with its evidence. */
function serverSection(identity: ServerIdentity): ReportSection {
  const identified = (label: string, product: IdentifiedProduct | null): ReportRow[] =>
    product === null
      ? []
      : [row(label, [{ text: product.name, tone: "plain" }, ...product.evidence.map((evidence): ReportValue => ({ text: evidence, tone: "dim" }))])];
  return { title: "Server", rows: [...identified("product", identity.server), ...identified("in front", identity.front)] };
}

/** The server's metadata as the lookup found it (or did not), with its time and what it asked. */
function serverMetadataSection(lookup: MetadataLookup): ReportSection {
  const { found } = lookup;
  const list = (values: readonly string[] | null) => (values === null ? undefined : values.join(" ") || "(empty)");
  const asked = `${lookup.tried.length} URL${lookup.tried.length === 1 ? "" : "s"} asked in ${lookup.timeMs} ms`;
  if (!found) {
    return {
      title: "Server metadata",
      rows: [row("document", [{ text: "none found (RFC 8414 / OpenID discovery)", tone: "dim" }]), row("lookup", [asked])],
    };
  }
  return {
    title: "Server metadata",
    rows: [
      row("document", [found.url]),
      ...optionalRow("issuer", found.issuer ?? undefined),
      ...optionalRow("scopes", list(found.scopesSupported)),
      ...optionalRow("client auth", list(found.tokenEndpointAuthMethodsSupported)),
      ...optionalRow("PKCE methods", list(found.codeChallengeMethodsSupported)),
      ...optionalRow("grant types", list(found.grantTypesSupported)),
      ...optionalRow("token endpoint", found.tokenEndpoint ?? undefined),
      row("lookup", [asked]),
    ],
  };
}

function lambdaSection(report: LambdaReport): ReportSection {
  const billed = report.billedDurationMs === undefined ? "" : `, billed ${report.billedDurationMs} ms`;
  const memory = [
    report.maxMemoryUsedMb === undefined ? undefined : `${report.maxMemoryUsedMb} MB used`,
    report.memorySizeMb === undefined ? undefined : `of ${report.memorySizeMb} MB`,
  ].filter((part) => part !== undefined);
  return {
    title: "Lambda",
    rows: [
      row("duration", [`${report.durationMs} ms${billed}`]),
      ...(memory.length > 0 ? [row("memory", [memory.join(" ")])] : []),
      ...(report.initDurationMs === undefined ? [] : [row("cold start", [{ text: `init ${report.initDurationMs} ms`, tone: "warn" }])]),
    ],
  };
}

/** "2026-11-24 19:00:00 UTC"; anything unparseable as it came. */
export function formatTime(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? iso : `${utcDateTime(iso)} UTC`;
}

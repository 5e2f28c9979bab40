/**
 * Whether a value read from a log line is an attempt record the reports can show: the fields
 * they read, with the types they read them as. A line that says it is an attempt record but
 * fails this check (hand-edited, cut by a log pipeline, written by a tool that is not this
 * one) is counted as unreadable and skipped, instead of crashing the report halfway through
 * (issue 22). Optional sections that are present must have their shape too.
 */
import { AttemptRecord, ATTEMPT_RECORD_TYPE } from "../../functions/token-url/attempt-record";
import { PRODUCT_NAMES } from "../../functions/token-url/diagnosis/server-identification";

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isNumber: Check = (value) => typeof value === "number" && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === "boolean";
const isTime: Check = (value) => typeof value === "string" && !Number.isNaN(Date.parse(value));
const nullable = (check: Check): Check => (value) => value === null || check(value);
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const oneOf = (...values: string[]): Check => (value) => typeof value === "string" && values.includes(value);
const arrayOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const recordOf = (check: Check): Check => (value) => isPlainObject(value) && Object.values(value).every(check);
const shape = (fields: Record<string, Check>): Check => (value) =>
  isPlainObject(value) && Object.entries(fields).every(([name, check]) => check(value[name]));

const timings = shape({
  dnsMs: nullable(isNumber),
  connectMs: nullable(isNumber),
  tlsMs: nullable(isNumber),
  ttfbMs: nullable(isNumber),
  totalMs: isNumber,
});
const upstreamError = shape({ code: isString, message: isString });
const certificate = shape({
  subject: isString,
  issuer: isString,
  validFrom: isString,
  validTo: isString,
  subjectAltNames: arrayOf(isString),
  selfSigned: isBoolean,
  fingerprint256: isString,
});
const tls = shape({
  protocol: nullable(isString),
  authorized: isBoolean,
  verifyError: optional(nullable(isString)),
  chain: arrayOf(certificate),
  bypassed: optional(isBoolean),
});
const request = shape({
  clientAuth: oneOf("basic", "body", "both", "none"),
  grantType: nullable(isString),
  contentType: nullable(isString),
  sourceIp: nullable(isString),
  fields: recordOf(isString),
  duplicateFields: arrayOf(isString),
  headers: recordOf(isString),
});
const upstream = shape({
  url: isString,
  status: nullable(isNumber),
  headers: recordOf(isString),
  body: isString,
  bodyBytes: optional(isNumber),
  timings,
  tls: nullable(tls),
  error: nullable(upstreamError),
});
const response = shape({ status: isNumber, contentType: nullable(isString) });
const finding = shape({ code: isString, severity: oneOf("error", "warning", "info"), message: isString, fix: isString });
const lineage = shape({
  refreshTokenPresented: nullable(isString),
  refreshTokenIssued: nullable(isString),
  accessTokenIssued: nullable(isString),
  expiresIn: nullable(isNumber),
  refreshTokenExpiresAt: optional(isTime),
});
const deadline = shape({ limitMs: isNumber, waitedMs: isNumber, upstreamMs: nullable(isNumber), debuggerMs: nullable(isNumber) });
const serverMetadata = shape({
  url: isString,
  issuer: nullable(isString),
  scopesSupported: nullable(arrayOf(isString)),
  tokenEndpointAuthMethodsSupported: nullable(arrayOf(isString)),
  codeChallengeMethodsSupported: nullable(arrayOf(isString)),
  grantTypesSupported: nullable(arrayOf(isString)),
  tokenEndpoint: nullable(isString),
  authorizationEndpoint: nullable(isString),
});
/** The probe's second request (schemeRetry, rotationCheck): the first's three parts again. */
const secondRequest = shape({ request, upstream, response });
// The product must be one the product settings know: the fixes are looked up by it.
const identifiedProduct = shape({ product: oneOf(...Object.keys(PRODUCT_NAMES)), name: isString, score: isNumber, evidence: arrayOf(isString) });
const serverIdentity = shape({ server: nullable(identifiedProduct), front: nullable(identifiedProduct) });
const answer = shape({ status: nullable(isNumber), location: nullable(isString), bodyBytes: isNumber, bodyFingerprint: isString, error: nullable(upstreamError) });
const authorization = shape({
  url: isString,
  clientId: isString,
  scope: optional(nullable(isString)),
  tls: nullable(tls),
  timings,
  regions: arrayOf(shape({ region: isString, redirectUri: isString, standing: oneOf("registered", "rejected", "untestable"), oauthError: nullable(isString), answer })),
  bogus: shape({ redirectUri: isString, answer }),
});

const attemptRecord = shape({
  type: (value) => value === ATTEMPT_RECORD_TYPE,
  attemptId: isString,
  time: isTime,
  mode: oneOf("dummy", "proxy", "probe"),
  verdict: oneOf("pass", "warn", "fail"),
  request,
  upstream: nullable(upstream),
  response,
  findings: arrayOf(finding),
  lineage: optional(lineage),
  deadline: optional(deadline),
  schemeRetry: optional(secondRequest),
  rotationCheck: optional(secondRequest),
  authorization: optional(authorization),
  serverMetadata: optional(shape({ tried: arrayOf(isString), found: nullable(serverMetadata), timeMs: isNumber })),
  server: optional(serverIdentity),
});

/** True when `value` is an attempt record every report can read. */
export function isReadableRecord(value: unknown): value is AttemptRecord {
  return attemptRecord(value);
}

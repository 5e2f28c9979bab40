import { AttemptRecord, attemptRecord, UpstreamSummary } from "./attempt-record";
import { detectClientAuth } from "./client-auth";
import { DUMMY_RESPONSE, dummyTokenResponse } from "./dummy";
import { decodeEvent, TokenEvent, TokenRequest } from "./event";
import { Finding } from "./finding";
import { forwardToTokenUrl } from "./forward";
import { redactFields, redactHeaders, redactTokenBody } from "./redact";
import { readRequestFields } from "./request-body";
import { requestFindings } from "./request-rules";
import { FunctionSettings, readSettings } from "./settings";
import { oauthError, TokenResponse } from "./token-response";
import { transportFinding } from "./transport-rules";

/** The Lambda entry point (non-proxy integration: the event comes from the request template). */
export async function handler(event: TokenEvent): Promise<TokenResponse> {
  return handleTokenRequest(event, readSettings(), (record) => console.log(JSON.stringify(record)));
}

/**
 * Answers one token request and logs exactly one attempt record. Never throws: whatever goes
 * wrong, Alexa still gets an RFC 6749-shaped answer and the developer still gets a record.
 */
export async function handleTokenRequest(
  event: TokenEvent,
  settings: FunctionSettings,
  log: (record: AttemptRecord) => void,
  now: Date = new Date(),
): Promise<TokenResponse> {
  const request = decodeEvent(event, now);
  const contentType = request.headers["content-type"];
  const form = readRequestFields(contentType, request.body);
  const clientAuth = detectClientAuth(request.headers, form.fields);
  const findings: Finding[] = requestFindings(contentType, clientAuth);

  let response: TokenResponse;
  let upstream: UpstreamSummary | null = null;
  try {
    if (settings.mode === "proxy" && settings.tokenUrl) {
      ({ response, upstream } = await proxy(request, settings.tokenUrl, settings, findings));
    } else {
      response = dummyTokenResponse();
      findings.push(DUMMY_RESPONSE);
    }
  } catch (error) {
    response = oauthError(500, "server_error", "The token URL debugger failed; see its log.");
    findings.push({
      code: "DEBUGGER_ERROR",
      severity: "error",
      message: `The debugger itself failed: ${error instanceof Error ? error.message : String(error)}`,
      fix: "Report this with the attempt record; the request was not passed on.",
    });
  }

  log(
    attemptRecord({
      attemptId: request.requestId ?? crypto.randomUUID(),
      time: request.receivedAt.toISOString(),
      mode: settings.mode,
      request: {
        clientAuth,
        grantType: form.fields.grant_type ?? null,
        contentType: contentType ?? null,
        sourceIp: request.sourceIp ?? null,
        fields: redactFields(form.fields),
        duplicateFields: form.duplicateNames,
        headers: redactHeaders(request.headers),
      },
      upstream,
      response: { status: response.statusCode, contentType: response.headers.contentType ?? null },
      findings,
    }),
  );
  return response;
}

// CloudWatch caps one event at 256 KB; the start of a body is what tells an HTML login page
// or a WAF block from a token.
const LOGGED_BODY_CHARS = 16 * 1024;

function clipForLog(body: string): string {
  if (body.length <= LOGGED_BODY_CHARS) return body;
  return `${body.slice(0, LOGGED_BODY_CHARS)}…[clipped: ${body.length} characters in all]`;
}

async function proxy(
  request: TokenRequest,
  tokenUrl: string,
  settings: FunctionSettings,
  findings: Finding[],
): Promise<{ response: TokenResponse; upstream: UpstreamSummary }> {
  const result = await forwardToTokenUrl(request, { tokenUrl, ...settings });
  const bodyText = result.body.toString("utf8");
  const upstream: UpstreamSummary = {
    url: tokenUrl,
    status: result.status,
    headers: result.headers,
    body: clipForLog(redactTokenBody(bodyText)),
    timings: { totalMs: result.totalMs },
    error: result.error,
  };
  if (result.error || result.status === null) {
    const finding = transportFinding(result.error ?? { code: "UPSTREAM_ERROR", message: "no status" });
    findings.push(finding);
    return {
      response: oauthError(502, "server_error", `The token URL could not be reached (${finding.code}).`),
      upstream,
    };
  }
  return {
    response: {
      statusCode: result.status,
      headers: {
        contentType: result.headers["content-type"],
        cacheControl: result.headers["cache-control"],
        pragma: result.headers.pragma,
        wwwAuthenticate: result.headers["www-authenticate"],
      },
      body: bodyText,
    },
    upstream,
  };
}

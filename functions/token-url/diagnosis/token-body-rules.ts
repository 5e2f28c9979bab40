import { bodyText, describeNonJson, hasUtf8Bom, isObject, kindOf, parseJson } from "./answer-body";
import { CapturedRequest, UpstreamExchange } from "./exchange";
import { Finding } from "./finding";

const MAX_TOKEN_BYTES = 2048;

const TOKEN_OBJECT_FIX =
  "Answer with the RFC 6749 §5.1 JSON object: access_token, token_type, expires_in and refresh_token.";

/** Findings about a success answer's body: the RFC 6749 §5.1 token response Alexa stores. */
export function tokenBodyFindings(request: CapturedRequest, upstream: UpstreamExchange): Finding[] {
  const status = upstream.status;
  // An answer that broke off (or was cut at the size cap) is the transport finding's; its body cannot be judged.
  if (status === null || status < 200 || status >= 300 || upstream.error || upstream.bodyCapped) return [];
  const findings: Finding[] = [];
  if (hasUtf8Bom(upstream.body)) {
    findings.push({
      code: "BODY_HAS_BOM",
      severity: "error",
      message:
        "The token answer starts with a UTF-8 byte-order mark (EF BB BF), which JSON parsers such as " +
        "Alexa's reject.",
      fix:
        "Write the JSON without a byte-order mark: e.g. new UTF8Encoding(false) in .NET, or a PHP file " +
        "saved as UTF-8 without BOM.",
    });
  }
  const text = bodyText(upstream.body);
  const body = parseJson(text);
  if (body === undefined) {
    findings.push({
      code: "BODY_NOT_JSON",
      severity: "error",
      message: `The token answer (${status}) is not JSON: ${describeNonJson(text)}.`,
      fix: TOKEN_OBJECT_FIX,
    });
    return findings;
  }
  if (!isObject(body)) {
    findings.push({
      code: "BODY_NOT_OBJECT",
      severity: "error",
      message: `The token answer is JSON but ${kindOf(body)}, not an object.`,
      fix: TOKEN_OBJECT_FIX,
    });
    return findings;
  }
  return [...findings, ...tokenFieldFindings(body, request)];
}

function tokenFieldFindings(body: Record<string, unknown>, request: CapturedRequest): Finding[] {
  const findings: Finding[] = [];
  if (typeof body.access_token !== "string" || body.access_token === "") {
    // Some servers answer a failure with 200 and an RFC 6749 error body; the fields a token answer
    // would have are then all missing for that one reason.
    const error = typeof body.error === "string" ? body.error : null;
    findings.push({
      code: "ACCESS_TOKEN_MISSING",
      severity: "error",
      message:
        `The token answer has no access_token string${presentAs(body.access_token)}` +
        `${error === null ? "" : `, but error "${error}" with a success status`}.`,
      fix:
        "Return the access token as a JSON string in access_token; answer failures with status 400 and an " +
        "RFC 6749 §5.2 error instead of a success status.",
    });
    if (error !== null) return findings;
  }

  if (body.token_type === undefined) {
    findings.push({
      code: "TOKEN_TYPE_MISSING",
      severity: "error",
      message: "The token answer has no token_type; RFC 6749 §5.1 requires it and Alexa expects \"Bearer\".",
      fix: 'Add "token_type": "Bearer" to the token answer.',
    });
  } else if (typeof body.token_type !== "string" || body.token_type.toLowerCase() !== "bearer") {
    findings.push({
      code: "TOKEN_TYPE_NOT_BEARER",
      severity: "error",
      message: `The token answer's token_type is ${JSON.stringify(body.token_type)}; Alexa needs "Bearer".`,
      fix: 'Answer with "token_type": "Bearer" and a bearer access token.',
    });
  }

  const expiresIn = body.expires_in;
  if (expiresIn === undefined) {
    findings.push({
      code: "EXPIRES_IN_MISSING",
      severity: "warning",
      message:
        "The token answer has no expires_in, so Alexa falls back to the Default Access Token Expiration " +
        "Time set in the console, which may not match the token's real lifetime.",
      fix: "Add expires_in (seconds, a JSON number) to the token answer.",
    });
  } else if (typeof expiresIn !== "number") {
    // A numeric string is a common slip that lenient parsers accept; anything else is unusable.
    const numericString = typeof expiresIn === "string" && /^\s*\d+\s*$/.test(expiresIn);
    findings.push({
      code: "EXPIRES_IN_NOT_NUMBER",
      severity: numericString ? "warning" : "error",
      message:
        `The token answer's expires_in is ${JSON.stringify(expiresIn)}; RFC 6749 §5.1 wants a JSON number ` +
        "of seconds.",
      fix: `Send expires_in as a number, e.g. "expires_in": 3600, not "3600".`,
    });
  }

  if (request.grantType === "authorization_code" && typeof body.refresh_token !== "string") {
    findings.push({
      code: "REFRESH_TOKEN_MISSING",
      severity: "warning",
      message:
        "The answer to the authorization code has no refresh_token, so Alexa cannot renew the access " +
        "token: the link breaks when it expires and the user has to link the skill again.",
      fix:
        "Issue a refresh token with the authorization_code grant (e.g. enable the refresh_token grant or " +
        "offline access for this client on the OAuth server).",
    });
  }

  const tooLong = (["access_token", "refresh_token"] as const)
    .map((name) => [name, body[name]] as const)
    .filter(([, value]) => typeof value === "string" && Buffer.byteLength(value) > MAX_TOKEN_BYTES)
    .map(([name, value]) => `${name} is ${Buffer.byteLength(value as string)} bytes`);
  if (tooLong.length > 0) {
    findings.push({
      code: "TOKEN_TOO_LONG",
      severity: "warning",
      message:
        `The token answer's ${tooLong.join(" and ")}, over ${MAX_TOKEN_BYTES} bytes: tokens this long risk ` +
        "being refused when Alexa stores the link.",
      fix: "Issue shorter tokens: fewer claims in the JWT, or opaque reference tokens the server looks up.",
    });
  }
  return findings;
}

/** " (it is a number)": what a field held instead of a token string. */
function presentAs(value: unknown): string {
  if (value === undefined) return "";
  return ` (it is ${value === "" ? "empty" : kindOf(value)})`;
}

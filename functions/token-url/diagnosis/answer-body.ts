/** Reading the token URL's answer body, shared by the rules for error and success answers. */

export function hasUtf8Bom(body: Buffer): boolean {
  return body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
}

/** The body as text without a UTF-8 BOM, so one reported fault does not hide the next. */
export function bodyText(body: Buffer): string {
  return (hasUtf8Bom(body) ? body.subarray(3) : body).toString("utf8");
}

/** The parsed JSON, or undefined when the text is not JSON (no valid JSON parses to undefined). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What a body that is not JSON looks like, without quoting it (a broken token body may still
 * hold a token). */
export function describeNonJson(text: string): string {
  const start = text.trimStart();
  if (start === "") return "the body is empty";
  if (/^<(!doctype html|html|head|body)\b/i.test(start) || /<html[\s>]/i.test(start.slice(0, 1024))) {
    return (
      "it looks like an HTML page, e.g. a login page or a proxy's error page, so the request was " +
      "probably not handled by the token endpoint"
    );
  }
  if (/(^|&)access_token=/.test(start)) return "it is form-encoded (access_token=…&…) instead of JSON";
  return "it is not JSON";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "an array", "a number", "null": what a JSON value is, without quoting it (it may be a secret). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** A success answer's JSON object when it issued an access token (the answer Alexa stores);
 * undefined for anything else, which the token body rules report. */
export function issuedTokenAnswer(upstream: {
  readonly status: number | null;
  readonly error: unknown;
  readonly bodyCapped: boolean;
  readonly body: Buffer;
}): Record<string, unknown> | undefined {
  if (upstream.status === null || upstream.status < 200 || upstream.status >= 300 || upstream.error || upstream.bodyCapped) return undefined;
  const body = parseJson(bodyText(upstream.body));
  return isObject(body) && typeof body.access_token === "string" && body.access_token !== "" ? body : undefined;
}

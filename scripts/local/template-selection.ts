/**
 * Which mapping template API Gateway applies, following "Select a VTL mapping template" and
 * "Integration passthrough behaviors" of the API Gateway developer guide.
 */

/** The integration's `passthroughBehavior`. */
export type PassthroughBehavior = "WHEN_NO_MATCH" | "WHEN_NO_TEMPLATES" | "NEVER";

/** The outcome for a method request: a template, the raw body, or 415 before the integration. */
export type RequestTemplateSelection =
  | { kind: "template"; template: string }
  | { kind: "passthrough" }
  | { kind: "unsupported-media-type" };

/** The outcome for an integration response; `contentType` is the template's key, which
 * becomes the response's Content-Type unless the template overrides it. */
export type ResponseTemplateSelection =
  | { kind: "template"; contentType: string; template: string }
  | { kind: "passthrough" };

/** "When the Content-Type header is absent in the request, API Gateway assumes that its
 * default value is application/json", and so for the Accept header. */
const DEFAULT_MEDIA_TYPE = "application/json";

/**
 * The request template for a Content-Type. The key is the media type without parameters
 * (`application/x-www-form-urlencoded;charset=UTF-8` matches `application/x-www-form-urlencoded`),
 * compared case-insensitively as media types are (RFC 9110 §8.3.1).
 *
 * With no matching template, the passthrough table decides: WHEN_NO_MATCH passes the body
 * through; WHEN_NO_TEMPLATES passes it only when the integration has no template at all and
 * otherwise answers 415; NEVER always answers 415. (The selection section's own sentence that
 * WHEN_NO_TEMPLATES passes an unmatched body through contradicts that table and the API
 * reference of passthroughBehavior; the table is what API Gateway does.)
 */
export function selectRequestTemplate(
  contentType: string | undefined,
  templates: Record<string, string>,
  passthroughBehavior: PassthroughBehavior,
): RequestTemplateSelection {
  const key = templateKey(templates, mediaType(contentType) ?? DEFAULT_MEDIA_TYPE);
  if (key !== undefined) return { kind: "template", template: templates[key] };
  const noTemplates = Object.keys(templates).length === 0;
  if (passthroughBehavior === "WHEN_NO_MATCH" || (passthroughBehavior === "WHEN_NO_TEMPLATES" && noTemplates)) {
    return { kind: "passthrough" };
  }
  return { kind: "unsupported-media-type" };
}

/**
 * The response template for the method request's Accept header: "API Gateway uses the
 * incoming request's Accept header value as the key"; without a match it takes the
 * application/json template, and without that "the first existing template"; with no
 * template at all the payload passes through. An Accept listing several types is tried in
 * the order written (quality values are not weighed; the guide only speaks of the value).
 */
export function selectResponseTemplate(
  accept: string | undefined,
  templates: Record<string, string>,
): ResponseTemplateSelection {
  const keys = Object.keys(templates);
  if (keys.length === 0) return { kind: "passthrough" };
  const wanted = (accept ?? "").split(",").map(mediaType);
  const key =
    wanted.map((type) => type && templateKey(templates, type)).find((found) => found !== undefined) ??
    templateKey(templates, DEFAULT_MEDIA_TYPE) ??
    keys[0];
  return { kind: "template", contentType: key, template: templates[key] };
}

/**
 * The integration response for a Lambda invocation: each `selectionPattern` is a regex that
 * must match the whole `errorMessage` of a failed invocation (the empty string for a
 * successful one, so `.+` never picks a success); with no match, the response without a
 * pattern is the default. `.` does not match a line break there, so a multi-line error message
 * falls to the default. Undefined means API Gateway answers 500 (a configuration error).
 */
export function selectIntegrationResponse<T extends { readonly selectionPattern?: string }>(
  errorMessage: string | undefined,
  responses: readonly T[],
): T | undefined {
  const value = errorMessage ?? "";
  return (
    responses.find(
      (response) => response.selectionPattern && new RegExp(`^(?:${response.selectionPattern})$`).test(value),
    ) ?? responses.find((response) => !response.selectionPattern)
  );
}

/** The media type of a Content-Type or Accept value, lower case, without parameters. */
function mediaType(value: string | undefined): string | undefined {
  const type = value?.split(";")[0].trim().toLowerCase();
  return type ? type : undefined;
}

function templateKey(templates: Record<string, string>, type: string): string | undefined {
  return Object.keys(templates).find((key) => mediaType(key) === type);
}

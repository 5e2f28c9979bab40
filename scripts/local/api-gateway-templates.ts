/**
 * API Gateway (REST API, non-proxy Lambda integration) without AWS: the stack's own `.vtl`
 * mapping templates rendered by a real Velocity engine, with `$input`, `$util` and `$context`
 * as the "API Gateway mapping template and access logging variable reference" describes them.
 */
import { GatewayRequest, GatewayResponse } from "./gateway-types";
import { PayloadError } from "./json-path";
import { renderVelocity } from "./velocity";
import { contextVariable, responseOverride, ResponseOverrides } from "./vtl-context";
import { inputVariable } from "./vtl-input";
import { vtlUtil } from "./vtl-util";

export type { GatewayRequest, GatewayResponse } from "./gateway-types";
export type { PassthroughBehavior, RequestTemplateSelection, ResponseTemplateSelection } from "./template-selection";
export { selectIntegrationResponse, selectRequestTemplate, selectResponseTemplate } from "./template-selection";

/** An answer API Gateway gives itself, instead of the integration's. */
export class GatewayError extends Error {
  constructor(readonly response: GatewayResponse, message: string) {
    super(message);
    this.name = "GatewayError";
  }
}

/**
 * API Gateway's own error answer, shaped by the default gateway response template
 * `{"message":$context.error.messageString}`.
 */
export function gatewayErrorResponse(status: number, message: string): GatewayResponse {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message }) };
}

/** The 415 API Gateway answers, before the Lambda runs, when no request template matches. */
export function unsupportedMediaTypeResponse(): GatewayResponse {
  return gatewayErrorResponse(415, "Unsupported Media Type");
}

/**
 * The Lambda event text the request template makes of a method request.
 *
 * @throws GatewayError 400 when the payload or the rendered event is not JSON (a Lambda
 * integration only takes JSON), 500 when the template itself fails; the Lambda never runs.
 */
export function renderRequestTemplate(template: string, request: GatewayRequest): string {
  const event = render(template, {
    input: inputVariable(request.body, request),
    context: contextVariable(request),
    util: vtlUtil,
    stageVariables: {},
  });
  try {
    JSON.parse(event);
  } catch (error) {
    throw badRequestBody(error as Error);
  }
  return event;
}

/**
 * The method response the response template makes of the Lambda's result: the rendered body,
 * the integration response's status unless `$context.responseOverride.status` overrides it,
 * and a Content-Type of the template's key (application/json for this stack's one template)
 * unless `$context.responseOverride.header.Content-Type` overrides it.
 *
 * @param lambdaResult the Lambda's return value; the template sees it as JSON, as API Gateway
 *   receives it from Lambda.
 * @param defaultStatus the status of the selected integration response.
 * @throws GatewayError 500 when the template fails or overrides one value twice.
 */
export function renderResponseTemplate(
  template: string,
  lambdaResult: unknown,
  request: GatewayRequest,
  defaultStatus: number,
  contentType = "application/json",
): GatewayResponse {
  const { variable, overrides } = responseOverride();
  const body = render(template, {
    input: inputVariable(JSON.stringify(lambdaResult) ?? "null", request),
    context: { ...contextVariable(request), responseOverride: variable },
    util: vtlUtil,
    stageVariables: {},
  });
  if (overrides.repeated.length > 0) {
    throw internalError(`responseOverride set more than once: ${overrides.repeated.join(", ")}`);
  }
  return { status: overrides.status ?? defaultStatus, headers: withOverrides(contentType, overrides), body };
}

function withOverrides(contentType: string, overrides: ResponseOverrides): Record<string, string> {
  // Header names ignore case: an override of content-type replaces the default Content-Type.
  const overridden = new Set(Object.keys(overrides.headers).map((name) => name.toLowerCase()));
  const defaults: Record<string, string> = overridden.has("content-type") ? {} : { "Content-Type": contentType };
  return { ...defaults, ...overrides.headers };
}

function render(template: string, variables: Record<string, unknown>): string {
  try {
    return renderVelocity(template, variables);
  } catch (error) {
    if (error instanceof PayloadError) throw badRequestBody(error);
    // In AWS: "Execution failed due to configuration error: Unable to transform request".
    throw internalError(`mapping template failed: ${(error as Error).message}`);
  }
}

/** What API Gateway answers when a Lambda integration's payload is not JSON, e.g.
 * "Could not parse request body into json: Could not parse payload into json: Unexpected
 * character ..." (reported in serverless/serverless#2270 and podaac/hydrocron#64). */
function badRequestBody(error: Error): GatewayError {
  const message = `Could not parse request body into json: Could not parse payload into json: ${error.message}`;
  return new GatewayError(gatewayErrorResponse(400, message), message);
}

function internalError(reason: string): GatewayError {
  return new GatewayError(gatewayErrorResponse(500, "Internal server error"), reason);
}

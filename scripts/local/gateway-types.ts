/** The HTTP exchange on API Gateway's side, as the local runtime hands it to the templates. */

/** A method request: what the client sent to `POST /<stage>/token`. */
export interface GatewayRequest {
  method: string;
  /** The resource, e.g. `/token` ($context.resourcePath). */
  resourcePath: string;
  stage: string;
  /** As sent, original case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  /** Decoded query string parameters. */
  query: Record<string, string>;
  /** The body decoded as UTF-8, as API Gateway hands a text payload to a template. */
  body: string;
  sourceIp: string;
  requestId: string;
  requestTimeEpoch: number;
  /** Path parameters of the resource; `/token` has none. @default {} */
  pathParameters?: Record<string, string>;
  /** @default "HTTP/1.1" */
  protocol?: string;
}

/** What API Gateway answers the client. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

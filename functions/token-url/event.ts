/** The Lambda event, as infra/templates/token-request.vtl renders it. */
export interface TokenEvent {
  bodyBase64?: string;
  headersBase64?: [string, string][];
  queryBase64?: [string, string][];
  httpMethod?: string;
  resourcePath?: string;
  stage?: string;
  requestId?: string;
  requestTimeEpoch?: number;
  sourceIp?: string;
  userAgentBase64?: string;
}

/** The request Alexa sent, decoded from the event. */
export interface TokenRequest {
  readonly method: string;
  /** Lower-case names; a null-prototype object so that a header named __proto__ is just data. */
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body: Buffer;
  readonly requestId?: string;
  readonly sourceIp?: string;
  readonly receivedAt: Date;
}

/** Never throws: a malformed event still yields a request, so the attempt is still answered
 * and recorded. */
export function decodeEvent(event: TokenEvent | null | undefined, now: Date): TokenRequest {
  const safe = event && typeof event === "object" ? event : {};
  return {
    method: typeof safe.httpMethod === "string" ? safe.httpMethod : "POST",
    headers: decodePairs(safe.headersBase64, (name) => name.toLowerCase()),
    query: decodePairs(safe.queryBase64, (name) => name),
    body: decodeBase64(safe.bodyBase64),
    requestId: typeof safe.requestId === "string" ? safe.requestId : undefined,
    sourceIp: typeof safe.sourceIp === "string" ? safe.sourceIp : undefined,
    receivedAt: isValidEpoch(safe.requestTimeEpoch) ? new Date(safe.requestTimeEpoch) : now,
  };
}

function isValidEpoch(value: unknown): value is number {
  return typeof value === "number" && !Number.isNaN(new Date(value).getTime());
}

function decodePairs(pairs: unknown, normalizeName: (name: string) => string): Record<string, string> {
  const decoded: Record<string, string> = Object.create(null);
  if (!Array.isArray(pairs)) return decoded;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    decoded[normalizeName(decodeBase64(pair[0]).toString("utf8"))] = decodeBase64(pair[1]).toString("utf8");
  }
  return decoded;
}

function decodeBase64(value: unknown): Buffer {
  return typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0);
}

/** What the Lambda returns; infra/templates/token-response.vtl turns it into the HTTP answer. */
export interface TokenResponse {
  readonly statusCode: number;
  readonly headers: {
    readonly contentType?: string;
    readonly cacheControl?: string;
    readonly pragma?: string;
    readonly wwwAuthenticate?: string;
  };
  readonly body: string;
  /** The attempt record's id; the response template sends it as X-Token-Debugger-Attempt, so
   * that a caller (npm run verify) can find the record of its own request. */
  readonly attemptId?: string;
}

export const JSON_UTF8 = "application/json;charset=UTF-8";

/** An RFC 6749 §5.2-shaped error, for the cases where there is no upstream answer to pass on. */
export function oauthError(statusCode: number, error: string, description: string): TokenResponse {
  return {
    statusCode,
    headers: { contentType: JSON_UTF8, cacheControl: "no-store", pragma: "no-cache" },
    body: JSON.stringify({ error, error_description: description }),
  };
}

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

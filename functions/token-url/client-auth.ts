/** How the client authenticated: the Alexa console's "Your Authentication Scheme" is either
 * "HTTP Basic" (header) or "Credentials in request body". */
export type ClientAuth = "basic" | "body" | "both" | "none";

/** `basicInHeader`: the request's Authorization header is well-formed HTTP Basic (read once,
 * with the rest of its credentials, by readCredentials). */
export function detectClientAuth(basicInHeader: boolean, fields: Record<string, string>): ClientAuth {
  const inBody = fields.client_secret !== undefined;
  if (basicInHeader && inBody) return "both";
  if (basicInHeader) return "basic";
  return inBody ? "body" : "none";
}

import { parseBasicAuthorization } from "./redact";

/** How the client authenticated: the Alexa console's "Your Authentication Scheme" is either
 * "HTTP Basic" (header) or "Credentials in request body". */
export type ClientAuth = "basic" | "body" | "both" | "none";

export function detectClientAuth(
  headers: Record<string, string>,
  fields: Record<string, string>,
): ClientAuth {
  const inHeader =
    headers.authorization !== undefined && parseBasicAuthorization(headers.authorization) !== undefined;
  const inBody = fields.client_secret !== undefined;
  if (inHeader && inBody) return "both";
  if (inHeader) return "basic";
  return inBody ? "body" : "none";
}

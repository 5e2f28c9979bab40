import { ClientAuth } from "./client-auth";
import { CapturedRequest } from "./diagnosis/exchange";
import { TokenRequest } from "./event";
import { parseBasicAuthorization } from "./redact";

/** The non-secret facts about Alexa's request that the diagnosis engine reads. */
export function captureRequest(
  request: TokenRequest,
  fields: Record<string, string>,
  clientAuth: ClientAuth,
): CapturedRequest {
  const basic = request.headers.authorization ? parseBasicAuthorization(request.headers.authorization) : undefined;
  return {
    contentType: request.headers["content-type"] ?? null,
    clientAuth,
    grantType: fields.grant_type ?? null,
    redirectUri: fields.redirect_uri ?? null,
    clientId: basic?.clientId ?? fields.client_id ?? null,
  };
}

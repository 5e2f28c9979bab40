import { ClientAuth, detectClientAuth } from "./client-auth";
import { CapturedRequest } from "./diagnosis/exchange";
import { TokenRequest } from "./event";
import { fingerprint } from "./fingerprint";
import { ParsedForm } from "./form";
import { parseBasicAuthorization, redactFields, redactHeaders } from "./redact";
import { readRequestFields } from "./request-body";
import { AttemptRecord } from "./attempt-record";

/** A token request read once: its fields, its client-auth scheme, and the non-secret facts
 * the diagnosis engine reads. The Lambda and the probe both start here. */
export interface ReadRequest {
  readonly form: ParsedForm;
  readonly clientAuth: ClientAuth;
  readonly captured: CapturedRequest;
}

export function readTokenRequest(request: TokenRequest): ReadRequest {
  const form = readRequestFields(request.headers["content-type"], request.body);
  const clientAuth = detectClientAuth(request.headers, form.fields);
  const basic = request.headers.authorization ? parseBasicAuthorization(request.headers.authorization) : undefined;
  return {
    form,
    clientAuth,
    captured: {
      contentType: request.headers["content-type"] ?? null,
      clientAuth,
      grantType: form.fields.grant_type ?? null,
      redirectUri: form.fields.redirect_uri ?? null,
      clientId: basic?.clientId ?? form.fields.client_id ?? null,
    },
  };
}

/** The record's request part, secrets fingerprinted. */
export function summarizeRequest(request: TokenRequest, read: ReadRequest): AttemptRecord["request"] {
  return {
    clientAuth: read.clientAuth,
    grantType: read.captured.grantType,
    contentType: read.captured.contentType,
    sourceIp: request.sourceIp ?? null,
    fields: redactFields(read.form.fields),
    duplicateFields: read.form.duplicateNames,
    headers: redactHeaders(request.headers),
    bodyFingerprint: fingerprint(request.body.toString("utf8")),
  };
}

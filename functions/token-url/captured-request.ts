import { ClientAuth, detectClientAuth } from "./client-auth";
import { CapturedRequest } from "./diagnosis/exchange";
import { TokenRequest } from "./event";
import { fingerprint } from "./fingerprint";
import { ParsedForm } from "./form";
import { readCredentials, redactFields, redactHeaders, RequestCredentials } from "./redact";
import { readRequestFields } from "./request-body";
import { AttemptRecord } from "./attempt-record";

/** A token request read once: its fields, its credentials (the Basic header decoded once, every
 * secret it carries), its client-auth scheme, and the non-secret facts the diagnosis engine
 * reads. The Lambda and the probe both start here. */
export interface ReadRequest {
  readonly form: ParsedForm;
  readonly credentials: RequestCredentials;
  readonly clientAuth: ClientAuth;
  readonly captured: CapturedRequest;
}

export function readTokenRequest(request: TokenRequest): ReadRequest {
  const form = readRequestFields(request.headers["content-type"], request.body);
  const credentials = readCredentials(request.headers, form.fields);
  const clientAuth = detectClientAuth(credentials.basic !== undefined, form.fields);
  return {
    form,
    credentials,
    clientAuth,
    captured: {
      contentType: request.headers["content-type"] ?? null,
      clientAuth,
      grantType: form.fields.grant_type ?? null,
      redirectUri: form.fields.redirect_uri ?? null,
      clientId: credentials.basic?.clientId ?? form.fields.client_id ?? null,
      refreshTokenPresented:
        form.fields.grant_type === "refresh_token" && form.fields.refresh_token ? fingerprint(form.fields.refresh_token) : null,
      codeVerifierSent: form.fields.code_verifier !== undefined,
    },
  };
}

/** The record's request part, secrets fingerprinted (attemptRecord scrubs the rest). */
export function summarizeRequest(request: TokenRequest, read: ReadRequest): AttemptRecord["request"] {
  return {
    clientAuth: read.clientAuth,
    grantType: read.captured.grantType,
    contentType: read.captured.contentType,
    sourceIp: request.sourceIp ?? null,
    fields: redactFields(read.form.fields),
    duplicateFields: read.form.duplicateNames,
    headers: redactHeaders(request.headers, read.credentials),
    bodyFingerprint: fingerprint(request.body.toString("utf8")),
  };
}

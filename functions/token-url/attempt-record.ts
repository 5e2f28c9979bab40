import { ClientAuth } from "./client-auth";
import { Finding, Verdict, verdictOf } from "./finding";

/** One per token request (DESIGN §3.2); the logs CLI finds it by `type`. Secrets are redacted
 * before anything reaches this shape. */
export interface AttemptRecord {
  readonly type: "token-attempt";
  readonly version: 1;
  readonly attemptId: string;
  readonly time: string;
  readonly mode: "dummy" | "proxy" | "probe";
  readonly verdict: Verdict;
  readonly request: {
    readonly clientAuth: ClientAuth;
    readonly grantType: string | null;
    readonly contentType: string | null;
    readonly sourceIp: string | null;
    readonly fields: Record<string, string>;
    readonly duplicateFields: string[];
    readonly headers: Record<string, string>;
  };
  readonly upstream: UpstreamSummary | null;
  readonly response: { readonly status: number; readonly contentType: string | null };
  readonly findings: Finding[];
}

export interface UpstreamSummary {
  readonly url: string;
  readonly status: number | null;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timings: { readonly totalMs: number };
  readonly error: { readonly code: string; readonly message: string } | null;
}

export const ATTEMPT_RECORD_TYPE = "token-attempt";

export function attemptRecord(
  fields: Omit<AttemptRecord, "type" | "version" | "verdict">,
): AttemptRecord {
  return { type: ATTEMPT_RECORD_TYPE, version: 1, verdict: verdictOf(fields.findings), ...fields };
}

/** A diagnosis, as data: rules produce it, renderers (log line, terminal, JSON) present it.
 * Codes are stable API (DESIGN §3.3): never rename one. */
export type Severity = "error" | "warning" | "info";

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

export type Verdict = "pass" | "warn" | "fail";

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((finding) => finding.severity === "error")) return "fail";
  if (findings.some((finding) => finding.severity === "warning")) return "warn";
  return "pass";
}

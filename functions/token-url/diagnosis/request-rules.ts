import { ClientAuth } from "../client-auth";
import { Finding } from "./finding";

/** Findings about the request itself, independent of any upstream. */
export function requestFindings(contentType: string | null | undefined, clientAuth: ClientAuth): Finding[] {
  const findings: Finding[] = [];
  if (!/^application\/x-www-form-urlencoded(\s*;.*)?$/i.test(contentType ?? "")) {
    findings.push({
      code: "REQUEST_NOT_FORM",
      severity: "warning",
      message:
        `The request was sent as ${contentType ? `"${contentType}"` : "no Content-Type"}, not ` +
        "application/x-www-form-urlencoded as Alexa sends it.",
      fix:
        "If this was your own test call, send the body form-urlencoded (curl --data-urlencode) to see what " +
        "Alexa would see.",
    });
  }
  if (clientAuth === "both") {
    findings.push({
      code: "CLIENT_AUTH_BOTH",
      severity: "warning",
      message:
        "Client credentials were sent both in the Authorization header and in the body; RFC 6749 §2.3 " +
        "allows only one, and some servers reject the request.",
      fix: 'Send the credentials one way only: "HTTP Basic" (the Alexa console default) or in the body.',
    });
  }
  return findings;
}

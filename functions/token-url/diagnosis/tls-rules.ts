import { CertificateSummary, DiagnosisContext, UpstreamExchange } from "./exchange";
import { Endpoint, TOKEN_ENDPOINT } from "./endpoint";
import { Finding } from "./finding";
import { targetOf } from "./url-rules";

type Fault = Omit<Finding, "severity">;

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRING_SOON_DAYS = 14;

const FULL_CHAIN_FIX =
  "Configure the server with the full chain: its certificate followed by the intermediates " +
  "(e.g. fullchain.pem, not cert.pem, with Let's Encrypt; the chain field on a load balancer).";

const PUBLIC_CA_FIX =
  "Install a certificate from a public certificate authority (e.g. Let's Encrypt, or AWS Certificate " +
  "Manager on a load balancer or API Gateway custom domain), with its full chain.";

/** Findings about the certificate the token URL (or another endpoint) presented, judged as
 * strictly as Alexa does. */
export function tlsFindings(
  upstream: UpstreamExchange,
  context: DiagnosisContext,
  endpoint: Endpoint = TOKEN_ENDPOINT,
): Finding[] {
  const tls = upstream.tls;
  if (!tls) return [];
  const findings: Finding[] = [];
  if (tls.verifyError) {
    const fault = verifyFault(tls.verifyError, tls.chain, upstream.url, context.now, endpoint.name);
    findings.push({ severity: "error", ...fault });
  }
  const leaf = tls.chain[0];
  const msLeft = leaf ? Date.parse(leaf.validTo) - context.now.getTime() : NaN;
  if (msLeft > 0 && msLeft <= EXPIRING_SOON_DAYS * DAY_MS) {
    const days = Math.ceil(msLeft / DAY_MS);
    findings.push({
      code: "TLS_CERT_EXPIRING_SOON",
      severity: "warning",
      message:
        `The ${endpoint.name}'s certificate expires in ${days} day${days === 1 ? "" : "s"} (${describe(leaf)}); ` +
        "from then on Alexa refuses the TLS handshake and linking and token refreshes fail.",
      fix: "Renew the certificate now and automate its renewal; install the new one with its full chain.",
    });
  }
  if (tls.bypassed) {
    findings.push({
      code: "TLS_BYPASSED",
      severity: "warning",
      message:
        "TLS verification was switched off (TLS_BYPASS), so the request went on despite the certificate " +
        "fault; Alexa never does that: it fails at the handshake and never sees the answer shown here.",
      fix: "Fix the certificate first, then set TLS_BYPASS back to false and try linking again.",
    });
  }
  return findings;
}

function verifyFault(
  verifyError: string,
  chain: readonly CertificateSummary[],
  tokenUrl: string,
  now: Date,
  name: string,
): Fault {
  const leaf = chain[0] as CertificateSummary | undefined;
  const leafText = leaf ? describe(leaf) : "no certificate details were captured";
  const { hostname, port } = targetOf(tokenUrl);
  switch (verifyError) {
    case "CERT_HAS_EXPIRED": {
      // Node reports an expired intermediate with the same code as an expired leaf.
      const expired = chain.find((cert) => Date.parse(cert.validTo) < now.getTime()) ?? leaf;
      return {
        code: "TLS_CERT_EXPIRED",
        message:
          `${expired === leaf ? `The ${name}'s certificate` : `A certificate in the ${name}'s chain`} ` +
          `has expired (${expired ? describe(expired) : leafText}); Alexa refuses the TLS handshake.`,
        fix: `Renew the certificate and automate its renewal. ${FULL_CHAIN_FIX}`,
      };
    }
    case "CERT_NOT_YET_VALID": {
      const early = chain.find((cert) => Date.parse(cert.validFrom) > now.getTime()) ?? leaf;
      const facts = early ? `${describe(early)}, valid from ${early.validFrom}` : leafText;
      return {
        code: "TLS_CERT_NOT_YET_VALID",
        message: `The ${name}'s certificate is not valid yet (${facts}); Alexa refuses the TLS handshake.`,
        fix:
          "Check the server's clock and the certificate's start date; install a certificate that is " +
          "valid now.",
      };
    }
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
      return {
        code: "TLS_SELF_SIGNED",
        message: `The ${name} serves a self-signed certificate (${leafText}); Alexa trusts public CAs.`,
        fix: PUBLIC_CA_FIX,
      };
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return untrustedRoot(chain, leafText, name);
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
      // A lone certificate from a real CA is the classic missing-intermediate setup.
      if (chain.length !== 1 || chain[0].selfSigned) return untrustedRoot(chain, leafText, name);
      return {
        code: "TLS_INCOMPLETE_CHAIN",
        message:
          `The ${name} sends only its own certificate (${leafText}), without the intermediate ` +
          "certificates that link it to a trusted root. Browsers often fetch missing intermediates " +
          "themselves, which is why the URL looks fine in a browser; Alexa's Java client does not, and " +
          'fails with "unable to find valid certification path to requested target".',
        fix: FULL_CHAIN_FIX,
      };
    case "ERR_TLS_CERT_ALTNAME_INVALID":
    case "HOSTNAME_MISMATCH": {
      const names = leaf?.subjectAltNames.map((name) => name.replace(/^DNS:/, "")).join(", ");
      return {
        code: "TLS_HOSTNAME_MISMATCH",
        message:
          `The ${name}'s certificate does not cover the host ${hostname}: it names ` +
          `${names || "no subject alternative names"} (${leafText}).`,
        fix:
          `Serve a certificate whose names include ${hostname} (a wildcard covers one label only); if the ` +
          "server hosts several names, check that SNI selects this certificate for that host.",
      };
    }
    default:
      return {
        code: "TLS_VERIFY_FAILED",
        message:
          `The ${name}'s certificate failed verification (${verifyError}; ${leafText}); ` +
          "Alexa refuses the TLS handshake.",
        fix:
          `Inspect the chain with \`openssl s_client -connect ${hostname}:${port} -servername ${hostname} ` +
          `-showcerts\`. ${PUBLIC_CA_FIX}`,
      };
  }
}

function untrustedRoot(chain: readonly CertificateSummary[], leafText: string, name: string): Fault {
  const top = chain[chain.length - 1] as CertificateSummary | undefined;
  const issuer = top && !top.selfSigned ? `, issued by "${top.issuer}"` : "";
  const end = top ? `"${top.subject}"${issuer}` : "an unknown CA";
  return {
    code: "TLS_UNTRUSTED_ROOT",
    message:
      `The ${name}'s certificate chain (${leafText}) ends at ${end}, ` +
      "which is not a publicly trusted CA: a private or corporate CA, or a missing intermediate. " +
      "Alexa trusts only public CAs.",
    fix: PUBLIC_CA_FIX,
  };
}

/** The facts a developer compares with their certificate: whom it is for, who issued it, until when. */
function describe(cert: CertificateSummary): string {
  return `subject "${cert.subject}", issuer "${cert.issuer}", valid until ${cert.validTo}`;
}

import { DetailedPeerCertificate } from "node:tls";
import { CertificateSummary } from "../diagnosis/exchange";

/** The peer's chain as Node reports it, leaf first. Node follows the issuer links the server
 * sent and, where the last one is not self-signed, adds its issuer from the trust store. */
export function summarizeChain(leaf: DetailedPeerCertificate | undefined): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  for (let cert = leaf; cert && cert.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    chain.push(summarizeCertificate(cert));
  }
  return chain;
}

function summarizeCertificate(cert: DetailedPeerCertificate): CertificateSummary {
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  return {
    subject,
    issuer,
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(", ") : [],
    selfSigned: subject === issuer,
    fingerprint256: cert.fingerprint256,
  };
}

function distinguishedName(parts: Record<string, string | string[] | undefined> | undefined): string {
  if (!parts) return "";
  return Object.entries(parts)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join("+") : value}`)
    .join(", ");
}

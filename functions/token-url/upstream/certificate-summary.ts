import { DetailedPeerCertificate, TLSSocket } from "node:tls";
import { CertificateSummary } from "../diagnosis/exchange";

/** How long a chain seen once is taken as the chain the same leaf comes with. */
const CHAIN_MEMORY_MS = 5 * 60_000;
const MAX_CHAINS = 32;
const chains = new Map<string, { chain: CertificateSummary[]; until: number }>();

/**
 * The peer's chain, summarized. A warm Lambda container or `npm start` meets the same chain on
 * every request, and Node's detailed chain (getPeerCertificate(true)) costs more than all the
 * rest of the wrapper's own work (npm run bench -- wrapper). So a chain is remembered for a few
 * minutes by its leaf and the verification's outcome: a fix that adds a missing intermediate
 * changes the outcome and is seen at once; an intermediate swapped for another that verifies
 * alike shows within CHAIN_MEMORY_MS.
 */
export function peerChainOf(socket: TLSSocket, now = Date.now()): CertificateSummary[] {
  // The leaf alone is cheap. Not getPeerX509Certificate(): on Node 20, after it the detailed
  // chain comes back empty.
  const leaf = socket.getPeerCertificate(false);
  if (!leaf?.fingerprint256) return [];
  const key = `${leaf.fingerprint256}|${socket.authorized}|${String(socket.authorizationError ?? "")}`;
  const known = chains.get(key);
  if (known && known.until > now) return known.chain;
  const chain = summarizeChain(socket.getPeerCertificate(true));
  if (chains.size >= MAX_CHAINS) chains.delete(chains.keys().next().value!);
  chains.set(key, { chain, until: now + CHAIN_MEMORY_MS });
  return chain;
}

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

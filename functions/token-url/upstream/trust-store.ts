/**
 * Which certificates of a verified chain came from the client's own trust store rather than
 * from the server. Node's getPeerCertificate(true) follows the issuer links among the
 * certificates the server sent and, when the last of them is not self-signed, appends its
 * issuers from the trust store (src/crypto/crypto_common.cc, GetLastIssuedCert). So the store's
 * part is a suffix of the chain, each certificate in it present in the store: the longest such
 * suffix, the leaf excepted (a server always sends its leaf). A root the server sent as well
 * also shows as the store's: the client verifies against its own copy either way.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { CertificateSummary } from "../diagnosis/exchange";

let defaultStore: Set<string> | undefined;
// A given store is the same array on every request of a process (the settings' or a test's):
// hashed once, not per handshake (about 2.5 ms for Node's 140-odd roots).
const givenStores = new WeakMap<readonly string[], Set<string>>();

/** Fingerprints (SHA-256, as Node's fingerprint256 writes them) of the trust store in use:
 * `trustedCa` when given (it replaces the default), else Node's roots plus NODE_EXTRA_CA_CERTS. */
export function trustStoreFingerprints(trustedCa: readonly string[] | undefined): Set<string> {
  if (trustedCa) {
    let fingerprints = givenStores.get(trustedCa);
    if (!fingerprints) givenStores.set(trustedCa, (fingerprints = fingerprintsOf(trustedCa.join("\n"))));
    return fingerprints;
  }
  if (!defaultStore) {
    // Computed once per process (a Lambda container): hashing the DER is cheap, no parsing.
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    let extraPem = "";
    try {
      if (extra) extraPem = readFileSync(extra, "utf8");
    } catch {
      // Node ignores an unreadable file too (with a warning at start-up).
    }
    defaultStore = fingerprintsOf([...rootCertificates, extraPem].join("\n"));
  }
  return defaultStore;
}

/** The chain with `fromTrustStore` set on the suffix the client completed from its store. */
export function markTrustStoreCertificates(chain: CertificateSummary[], store: Set<string>): CertificateSummary[] {
  let firstFromStore = chain.length;
  while (firstFromStore > 1 && store.has(chain[firstFromStore - 1].fingerprint256)) firstFromStore -= 1;
  return chain.map((certificate, index) => ({ ...certificate, fromTrustStore: index >= firstFromStore }));
}

function fingerprintsOf(pem: string): Set<string> {
  const fingerprints = new Set<string>();
  for (const match of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const der = Buffer.from(match[1].replace(/\s+/g, ""), "base64");
    const hex = createHash("sha256").update(der).digest("hex").toUpperCase();
    fingerprints.add(hex.match(/../g)!.join(":"));
  }
  return fingerprints;
}

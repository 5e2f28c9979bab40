/**
 * A throw-away PKI for TLS tests, built at run time with node-forge: a trusted root and
 * intermediate, and one server certificate per fault the token URL debugger must recognise.
 * Nothing is read from disk, so the certificates never expire in the repository.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { rootCertificates } from "node:tls";
import forge from "node-forge";

/** What a server needs for one certificate: its key, the leaf alone, and the chain it should send. */
export interface LeafCertificate {
  /** The leaf's private key (PKCS#1 PEM). */
  key: string;
  /** The leaf certificate alone (PEM). */
  cert: string;
  /** Leaf followed by its intermediate(s): what a correctly configured server sends. */
  chain: string;
}

/** The whole test PKI: CAs, one leaf per fault, and the store a client should trust. */
export interface TestPki {
  /** "Token URL Debugger Test Root CA": the root the test clients trust. */
  rootCaPem: string;
  /** The intermediate CA, signed by the root, that signs every trusted leaf. */
  intermediateCaPem: string;
  /** SAN DNS:localhost + IP:127.0.0.1, from yesterday for 90 days. */
  valid: LeafCertificate;
  /** Valid from 60 days ago to 1 day ago. */
  expired: LeafCertificate;
  /** Valid from 10 days ahead. */
  notYetValid: LeafCertificate;
  /** Otherwise valid, but expires in 5 days. */
  expiringSoon: LeafCertificate;
  /** SAN only DNS:auth.example.com, so it does not match localhost or 127.0.0.1. */
  wrongHost: LeafCertificate;
  /** A self-signed leaf for localhost/127.0.0.1; chain is the leaf alone. */
  selfSigned: LeafCertificate;
  /** A leaf from a separate root the client does not trust; chain = leaf + its intermediate + its root. */
  untrustedRoot: LeafCertificate;
  /** Node's default roots plus the test root, for a client's `ca` option. */
  trustStore(): string[];
  /** A valid, trusted leaf for localhost whose subject's organization is `organizationName`
   * (a UTF8String, as sent: control and bidi characters included), made on each call. */
  withOrganization(organizationName: string): LeafCertificate;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The private key stays PEM: signing is done by node:crypto (see signSha256); forge only needs the public key. */
interface KeyPair {
  pem: string;
  publicKey: forge.pki.rsa.PublicKey;
}

/** An issuer: the certificate and key that sign the next certificate down. */
interface Issuer {
  cert: forge.pki.Certificate;
  keys: KeyPair;
}

interface SubjectAltName {
  type: number;
  value?: string;
  ip?: string;
}

/** node:crypto keygen is native (~0.1-0.3 s per key here); forge's pure-JS keygen takes seconds. */
function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return {
    pem: privateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

let serialCounter = 0;

/**
 * A unique, positive serial: the leading "01" keeps the DER integer's high bit clear (a set bit
 * would make it negative), the counter makes it unique within the process, the random tail
 * across processes.
 */
function nextSerial(): string {
  serialCounter += 1;
  return `01${serialCounter.toString(16).padStart(4, "0")}${randomBytes(8).toString("hex")}`;
}

const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS);

const subject = (commonName: string, organizationName?: string): forge.pki.CertificateField[] => [
  { name: "commonName", value: commonName },
  organizationName === undefined
    ? { name: "organizationName", value: "Token URL Debugger Tests" }
    : // UTF8String: forge's default PrintableString cannot hold what a hostile subject holds.
      ({ name: "organizationName", value: forge.util.encodeUtf8(organizationName), valueTagClass: forge.asn1.Type.UTF8 } as unknown as forge.pki.CertificateField),
];

/** A key identifier as forge wants it in authorityKeyIdentifier: raw bytes, not hex. */
const keyIdOf = (cert: forge.pki.Certificate) => cert.generateSubjectKeyIdentifier().getBytes();

/** forge exports getTBSCertificate (cert.sign uses it) but @types/node-forge does not declare it. */
const forgeInternals = forge.pki as unknown as {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};

/**
 * What forge's cert.sign(key, sha256) does, with the RSA operation done natively: forge's
 * pure-JS signing costs ~100 ms per certificate, node:crypto's a millisecond.
 */
function signSha256(cert: forge.pki.Certificate, signerKeyPem: string): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  // Cached on the certificate: certificateToPem serialises exactly these signed bytes.
  cert.tbsCertificate = forgeInternals.getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbsDer, signerKeyPem).toString("binary");
}

function signedCertificate(options: {
  commonName: string;
  keys: KeyPair;
  /** Omitted for a self-signed certificate. */
  issuer?: Issuer;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
  organizationName?: string;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = nextSerial();
  cert.publicKey = options.keys.publicKey;
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  cert.setSubject(subject(options.commonName, options.organizationName));
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject(options.commonName));
  // The subjectKeyIdentifier is computed from cert.publicKey, so the key must be set first.
  const authorityKeyId = options.issuer ? keyIdOf(options.issuer.cert) : keyIdOf(cert);
  cert.setExtensions([
    ...options.extensions,
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: authorityKeyId },
  ]);
  signSha256(cert, (options.issuer?.keys ?? options.keys).pem);
  return cert;
}

function certificateAuthority(commonName: string, parent?: Issuer): Issuer {
  const keys = rsaKeyPair();
  const cert = signedCertificate({
    commonName,
    keys,
    issuer: parent,
    notBefore: daysFromNow(-365),
    notAfter: daysFromNow(3650),
    extensions: [
      // pathLenConstraint 0 on the intermediate: it may sign leaves, not further CAs.
      parent
        ? { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true }
        : { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { cert, keys };
}

const LOCALHOST_SANS: SubjectAltName[] = [
  { type: 2, value: "localhost" },
  { type: 7, ip: "127.0.0.1" },
];

let sharedLeafKeys: KeyPair | undefined;

/**
 * All leaves share one key: what differs between the faults is what the certificate says, and
 * keygen is most of the build time (~100 ms per 2048-bit key).
 */
function leafKeys(): KeyPair {
  sharedLeafKeys ??= rsaKeyPair();
  return sharedLeafKeys;
}

function leafCertificate(options: {
  issuer?: Issuer;
  sans?: SubjectAltName[];
  notBefore?: Date;
  notAfter?: Date;
  organizationName?: string;
}): { keys: KeyPair; cert: forge.pki.Certificate } {
  const sans = options.sans ?? LOCALHOST_SANS;
  const keys = leafKeys();
  const cert = signedCertificate({
    commonName: sans[0].value ?? "localhost",
    keys,
    issuer: options.issuer,
    notBefore: options.notBefore ?? daysFromNow(-1),
    notAfter: options.notAfter ?? daysFromNow(89),
    organizationName: options.organizationName,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: sans },
    ],
  });
  return { keys, cert };
}

/** forge writes CRLF line ends; LF matches what Node and OpenSSL write, so bundles split and compare simply. */
const pem = (cert: forge.pki.Certificate) => forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n");

function served(leaf: { keys: KeyPair; cert: forge.pki.Certificate }, chainAbove: forge.pki.Certificate[]): LeafCertificate {
  return {
    key: leaf.keys.pem,
    cert: pem(leaf.cert),
    chain: [leaf.cert, ...chainAbove].map(pem).join(""),
  };
}

function buildPki(): TestPki {
  const root = certificateAuthority("Token URL Debugger Test Root CA");
  const intermediate = certificateAuthority("Token URL Debugger Test Intermediate CA", root);
  const trusted = (options: Parameters<typeof leafCertificate>[0]) =>
    served(leafCertificate({ issuer: intermediate, ...options }), [intermediate.cert]);

  // A separate hierarchy nobody trusts; its root is sent too, as some misconfigured servers do.
  const strangerRoot = certificateAuthority("Untrusted Test Root CA");
  const strangerIntermediate = certificateAuthority("Untrusted Test Intermediate CA", strangerRoot);

  const rootCaPem = pem(root.cert);
  return {
    rootCaPem,
    intermediateCaPem: pem(intermediate.cert),
    valid: trusted({}),
    expired: trusted({ notBefore: daysFromNow(-60), notAfter: daysFromNow(-1) }),
    notYetValid: trusted({ notBefore: daysFromNow(10), notAfter: daysFromNow(100) }),
    expiringSoon: trusted({ notBefore: daysFromNow(-85), notAfter: daysFromNow(5) }),
    wrongHost: trusted({ sans: [{ type: 2, value: "auth.example.com" }] }),
    selfSigned: served(leafCertificate({}), []),
    untrustedRoot: served(leafCertificate({ issuer: strangerIntermediate }), [strangerIntermediate.cert, strangerRoot.cert]),
    trustStore: () => [...rootCertificates, rootCaPem],
    withOrganization: (organizationName) => trusted({ organizationName }),
  };
}

let cached: TestPki | undefined;

/** The test PKI, built on first use and shared by every test in the process (keygen is the slow part). */
export function testPki(): TestPki {
  cached ??= buildPki();
  return cached;
}

/** Node's default root store plus the test root: pass as `ca` so both real and test CAs verify. */
export function trustStore(): string[] {
  return testPki().trustStore();
}

import { CertificateSummary } from "../../../functions/token-url/diagnosis/exchange";
import { tlsFindings } from "../../../functions/token-url/diagnosis/tls-rules";
import {
  aCertificate,
  aContext,
  aFailure,
  anExchange,
  codesAndSeverities,
  codesOf,
  INTERMEDIATE,
  NOW,
  rejectedTls,
  tlsFacts,
} from "./builders";

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();

const LEAF = aCertificate();
const EXPIRED_LEAF = aCertificate({ validFrom: inDays(-120), validTo: inDays(-30) });
const FUTURE_LEAF = aCertificate({ validFrom: inDays(2), validTo: inDays(92) });
const SELF_SIGNED = aCertificate({ issuer: "CN=auth.example.com", selfSigned: true });
const PRIVATE_ROOT = aCertificate({
  subject: "O=Example Corp, CN=Example Corp Root CA",
  issuer: "O=Example Corp, CN=Example Corp Root CA",
  subjectAltNames: [],
  selfSigned: true,
});
const OTHER_NAMES = aCertificate({ subjectAltNames: ["DNS:www.other.com", "DNS:other.com"] });

/** The verdict on a rejected handshake: the request was not sent. */
const onRejection = (verifyError: string, chain: CertificateSummary[]) =>
  tlsFindings(
    aFailure("TLS_VERIFY_FAILED", "certificate rejected", { tls: rejectedTls(verifyError, chain) }),
    aContext(),
  );

describe("tlsFindings", () => {
  test("GIVEN a verified chain that is far from expiry THEN no finding", () => {
    expect(tlsFindings(anExchange(), aContext())).toEqual([]);
  });

  test("GIVEN an http token URL (no TLS facts) THEN no finding", () => {
    expect(tlsFindings(anExchange({ tls: null }), aContext())).toEqual([]);
  });

  describe("GIVEN the certificate was rejected", () => {
    test.each([
      ["CERT_HAS_EXPIRED", "an expired leaf", "TLS_CERT_EXPIRED", [EXPIRED_LEAF, INTERMEDIATE]],
      [
        "CERT_NOT_YET_VALID",
        "a leaf valid from the day after tomorrow",
        "TLS_CERT_NOT_YET_VALID",
        [FUTURE_LEAF],
      ],
      ["DEPTH_ZERO_SELF_SIGNED_CERT", "a self-signed leaf", "TLS_SELF_SIGNED", [SELF_SIGNED]],
      ["SELF_SIGNED_CERT_IN_CHAIN", "a private root", "TLS_UNTRUSTED_ROOT", [LEAF, PRIVATE_ROOT]],
      ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "a lone CA-issued leaf", "TLS_INCOMPLETE_CHAIN", [LEAF]],
      [
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "leaf and intermediate",
        "TLS_UNTRUSTED_ROOT",
        [LEAF, INTERMEDIATE],
      ],
      ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "a lone self-signed leaf", "TLS_UNTRUSTED_ROOT", [SELF_SIGNED]],
      ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "a lone CA-issued leaf", "TLS_INCOMPLETE_CHAIN", [LEAF]],
      ["UNABLE_TO_GET_ISSUER_CERT", "a lone CA-issued leaf", "TLS_INCOMPLETE_CHAIN", [LEAF]],
      [
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "leaf and intermediate",
        "TLS_UNTRUSTED_ROOT",
        [LEAF, INTERMEDIATE],
      ],
      [
        "ERR_TLS_CERT_ALTNAME_INVALID",
        "a leaf for other names",
        "TLS_HOSTNAME_MISMATCH",
        [OTHER_NAMES, INTERMEDIATE],
      ],
      ["HOSTNAME_MISMATCH", "a leaf for other names", "TLS_HOSTNAME_MISMATCH", [OTHER_NAMES, INTERMEDIATE]],
      ["CERT_REVOKED", "a revoked leaf", "TLS_VERIFY_FAILED", [LEAF, INTERMEDIATE]],
    ])("WHEN Node says %s about %s THEN one %s error", (verifyError, _, code, chain) => {
      expect(codesAndSeverities(onRejection(verifyError, chain))).toEqual([`${code}:error`]);
    });

    test("WHEN the leaf expired THEN the message quotes its subject, issuer and end date", () => {
      const [finding] = onRejection("CERT_HAS_EXPIRED", [EXPIRED_LEAF, INTERMEDIATE]);
      expect(finding.message).toContain('subject "CN=auth.example.com"');
      expect(finding.message).toContain(`issuer "C=US, O=Let's Encrypt, CN=R11"`);
      expect(finding.message).toContain(EXPIRED_LEAF.validTo);
    });

    test("WHEN an intermediate expired THEN the message names the intermediate, not the leaf", () => {
      const expiredIntermediate = { ...INTERMEDIATE, validTo: inDays(-1) };
      const [finding] = onRejection("CERT_HAS_EXPIRED", [LEAF, expiredIntermediate]);
      expect(finding.message).toMatch(/^A certificate in the token URL's chain has expired/);
      expect(finding.message).toContain(`subject "${INTERMEDIATE.subject}"`);
    });

    test("WHEN the leaf is not valid yet THEN the message quotes its start date", () => {
      expect(onRejection("CERT_NOT_YET_VALID", [FUTURE_LEAF])[0].message).toContain(FUTURE_LEAF.validFrom);
    });

    test("WHEN intermediates are missing THEN browsers fetch them, Alexa's Java client does not", () => {
      const [finding] = onRejection("UNABLE_TO_VERIFY_LEAF_SIGNATURE", [LEAF]);
      expect(finding.message).toMatch(/Browsers often fetch missing intermediates/);
      expect(finding.message).toMatch(/Alexa's Java client does not/);
      expect(finding.fix).toMatch(/full chain/);
    });

    test("WHEN the chain ends in a private root THEN the message names that root", () => {
      const [finding] = onRejection("SELF_SIGNED_CERT_IN_CHAIN", [LEAF, PRIVATE_ROOT]);
      expect(finding.message).toContain('"O=Example Corp, CN=Example Corp Root CA"');
    });

    test("WHEN the names do not match THEN the message lists the host and the certificate's names", () => {
      const [finding] = onRejection("ERR_TLS_CERT_ALTNAME_INVALID", [OTHER_NAMES]);
      expect(finding.message).toContain("host auth.example.com");
      expect(finding.message).toContain("www.other.com, other.com");
    });

    test("WHEN the certificate has no alternative names at all THEN the message says so", () => {
      const [finding] = onRejection("ERR_TLS_CERT_ALTNAME_INVALID", [aCertificate({ subjectAltNames: [] })]);
      expect(finding.message).toContain("no subject alternative names");
    });

    test("WHEN the code is unknown THEN TLS_VERIFY_FAILED names it", () => {
      expect(onRejection("CERT_REVOKED", [LEAF])[0].message).toContain("CERT_REVOKED");
    });

    test("WHEN no chain was captured THEN the finding still stands", () => {
      expect(codesOf(onRejection("CERT_HAS_EXPIRED", []))).toEqual(["TLS_CERT_EXPIRED"]);
    });
  });

  describe("GIVEN a verified leaf", () => {
    const withLeafUntil = (validTo: string) =>
      tlsFindings(
        anExchange({ tls: tlsFacts({ chain: [aCertificate({ validTo }), INTERMEDIATE] }) }),
        aContext(),
      );

    test.each([
      ["in 3 days", ["TLS_CERT_EXPIRING_SOON"], inDays(3)],
      ["in exactly 14 days", ["TLS_CERT_EXPIRING_SOON"], inDays(14)],
      ["in an hour", ["TLS_CERT_EXPIRING_SOON"], inDays(1 / 24)],
      ["in 15 days", [], inDays(15)],
      ["a minute ago (clock skew)", [], inDays(-1 / 1440)],
    ])("WHEN it expires %s THEN %j", (_, codes, validTo) => {
      expect(codesOf(withLeafUntil(validTo))).toEqual(codes);
    });

    test("WHEN it expires in 3 days THEN a warning that counts the days and quotes the certificate", () => {
      const [finding] = withLeafUntil(inDays(3));
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("expires in 3 days");
      expect(finding.message).toContain(inDays(3));
    });
  });

  test("GIVEN an expired leaf THEN TLS_CERT_EXPIRED only, not also expiring soon", () => {
    expect(codesOf(onRejection("CERT_HAS_EXPIRED", [EXPIRED_LEAF]))).toEqual(["TLS_CERT_EXPIRED"]);
  });

  test("GIVEN a bad certificate and TLS_BYPASS THEN the certificate fault and TLS_BYPASSED", () => {
    const exchange = anExchange({ tls: rejectedTls("DEPTH_ZERO_SELF_SIGNED_CERT", [SELF_SIGNED], true) });
    expect(codesAndSeverities(tlsFindings(exchange, aContext()))).toEqual([
      "TLS_SELF_SIGNED:error",
      "TLS_BYPASSED:warning",
    ]);
  });

  test("GIVEN a bypassed self-signed leaf expiring soon THEN fault, expiry, bypass in that order", () => {
    const leaf = { ...SELF_SIGNED, validTo: inDays(2) };
    const exchange = anExchange({ tls: rejectedTls("DEPTH_ZERO_SELF_SIGNED_CERT", [leaf], true) });
    expect(codesOf(tlsFindings(exchange, aContext()))).toEqual([
      "TLS_SELF_SIGNED",
      "TLS_CERT_EXPIRING_SOON",
      "TLS_BYPASSED",
    ]);
  });
});

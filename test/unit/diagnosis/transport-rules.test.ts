import { AUTHORIZATION_ENDPOINT } from "../../../functions/token-url/diagnosis/endpoint";
import { transportFindings } from "../../../functions/token-url/diagnosis/transport-rules";
import {
  aCertificate,
  aFailure,
  anExchange,
  codesAndSeverities,
  codesOf,
  rejectedTls,
} from "./builders";

const diagnoseTransport = transportFindings;

describe("transportFindings", () => {
  test("GIVEN a complete, quick answer THEN no finding", () => {
    expect(diagnoseTransport(anExchange())).toEqual([]);
  });

  test.each(["ECONNREFUSED", "CONNECT_TIMEOUT", "TLS_HANDSHAKE_TIMEOUT", "ECONNRESET", "ERR_SSL_WRONG_VERSION_NUMBER"])(
    "GIVEN %s THEN the message names the endpoint whose connection failed (a probe may check both)",
    (code) => {
      expect(diagnoseTransport(aFailure(code))[0].message).toMatch(/the token URL at \S+:\d+/i);
      expect(diagnoseTransport(aFailure(code), AUTHORIZATION_ENDPOINT)[0].message).toMatch(/the authorization URI at \S+:\d+/i);
    },
  );

  describe("GIVEN the exchange failed before any answer", () => {
    test.each([
      ["ENOTFOUND", "DNS_NOT_FOUND"],
      ["EAI_AGAIN", "DNS_NOT_FOUND"],
      ["ECONNREFUSED", "CONNECTION_REFUSED"],
      ["CONNECT_TIMEOUT", "CONNECT_TIMEOUT"],
      ["TLS_HANDSHAKE_TIMEOUT", "TLS_HANDSHAKE_TIMEOUT"],
      ["RESPONSE_TIMEOUT", "RESPONSE_TIMEOUT"],
      ["ECONNRESET", "CONNECTION_RESET"],
      ["EPIPE", "CONNECTION_RESET"],
      ["socket hang up", "CONNECTION_RESET"],
      ["ERR_SSL_UNSUPPORTED_PROTOCOL", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_NO_PROTOCOLS_AVAILABLE", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_NO_SHARED_CIPHER", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_VERSION_TOO_LOW", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY", "TLS_PROTOCOL_UNSUPPORTED"],
      ["EPROTO", "TLS_PROTOCOL_UNSUPPORTED"],
      ["ERR_SSL_WRONG_VERSION_NUMBER", "TLS_PROTOCOL_UNSUPPORTED"],
      ["EHOSTUNREACH", "UPSTREAM_ERROR"],
    ])("WHEN the error code is %s THEN one %s error", (code, finding) => {
      expect(codesAndSeverities(diagnoseTransport(aFailure(code)))).toEqual([`${finding}:error`]);
    });

    test("WHEN Node says only 'socket hang up' in the message THEN CONNECTION_RESET", () => {
      const findings = diagnoseTransport(aFailure("UPSTREAM_ERROR", "socket hang up"));
      expect(codesOf(findings)).toEqual(["CONNECTION_RESET"]);
      expect(findings[0].message).toContain("before answering");
    });

    test("WHEN DNS fails THEN the message names the host", () => {
      expect(diagnoseTransport(aFailure("ENOTFOUND"))[0].message).toContain("auth.example.com");
    });

    test("WHEN the connection is refused THEN the message names host and port", () => {
      expect(diagnoseTransport(aFailure("ECONNREFUSED"))[0].message).toContain("auth.example.com:443");
    });

    test("WHEN the TCP connect times out THEN it points at allowlists and Alexa's AWS address ranges", () => {
      const [finding] = diagnoseTransport(aFailure("CONNECT_TIMEOUT"));
      expect(finding.message).toMatch(/allowlist/);
      expect(finding.fix).toMatch(/AWS address ranges/);
    });

    test("WHEN the port speaks plain HTTP (wrong version number) THEN the message says so", () => {
      const [finding] = diagnoseTransport(aFailure("ERR_SSL_WRONG_VERSION_NUMBER"));
      expect(finding.message).toMatch(/plain HTTP/);
    });

    test("WHEN the code is unknown THEN UPSTREAM_ERROR names the code and Node's message", () => {
      const [finding] = diagnoseTransport(aFailure("EHOSTUNREACH", "connect EHOSTUNREACH 10.0.0.1:443"));
      expect(finding.message).toContain("EHOSTUNREACH");
      expect(finding.message).toContain("connect EHOSTUNREACH 10.0.0.1:443");
    });

    test("WHEN the capture recorded neither an answer nor an error THEN UPSTREAM_ERROR, not a pass", () => {
      expect(codesOf(diagnoseTransport(aFailure("x", "x", { error: null })))).toEqual(["UPSTREAM_ERROR"]);
    });
  });

  describe("GIVEN the certificate was rejected (TLS_VERIFY_FAILED)", () => {
    test("WHEN tls.verifyError says why THEN nothing here: tls-rules explain it", () => {
      const exchange = aFailure("TLS_VERIFY_FAILED", "certificate rejected", {
        tls: rejectedTls("CERT_HAS_EXPIRED", [aCertificate()]),
      });
      expect(diagnoseTransport(exchange)).toEqual([]);
    });

    test("WHEN the error carries the verification code itself THEN nothing here either", () => {
      const exchange = aFailure("CERT_HAS_EXPIRED", "certificate has expired", {
        tls: rejectedTls("CERT_HAS_EXPIRED", [aCertificate()]),
      });
      expect(diagnoseTransport(exchange)).toEqual([]);
    });

    test("WHEN no TLS facts were captured THEN UPSTREAM_ERROR still reports it", () => {
      expect(codesOf(diagnoseTransport(aFailure("TLS_VERIFY_FAILED")))).toEqual(["UPSTREAM_ERROR"]);
    });
  });

  describe("GIVEN an answer shorter than its Content-Length", () => {
    const cut = { status: 200, declaredLength: 500, receivedBytes: 120 };

    test("WHEN the server reset the connection THEN only BODY_TRUNCATED, not also CONNECTION_RESET", () => {
      const findings = diagnoseTransport(
        anExchange({ ...cut, error: { code: "ECONNRESET", message: "aborted" } }),
      );
      expect(codesAndSeverities(findings)).toEqual(["BODY_TRUNCATED:error"]);
      expect(findings[0].message).toContain("500");
      expect(findings[0].message).toContain("120");
    });

    test("WHEN the answer stalled until the timeout THEN RESPONSE_TIMEOUT and BODY_TRUNCATED", () => {
      const findings = diagnoseTransport(
        anExchange({ ...cut, error: { code: "RESPONSE_TIMEOUT", message: "the answer did not complete" } }),
      );
      expect(codesOf(findings)).toEqual(["RESPONSE_TIMEOUT", "BODY_TRUNCATED"]);
      expect(findings[0].message).toContain("(200)");
    });

    test("WHEN the capture itself stopped reading at its size cap THEN BODY_TOO_LARGE, not BODY_TRUNCATED", () => {
      expect(codesOf(diagnoseTransport(anExchange({ ...cut, bodyCapped: true })))).toEqual(["BODY_TOO_LARGE"]);
    });
  });

  test("GIVEN a gzip answer that decodes past the cap THEN BODY_TOO_LARGE names the encoding, the decoded and the received bytes", () => {
    const findings = diagnoseTransport(
      anExchange({ body: Buffer.alloc(1024 * 1024, "{"), receivedBytes: 1_017, declaredLength: 1_017, bodyCapped: true, bodyEncoding: "gzip" }),
    );
    expect(codesOf(findings)).toEqual(["BODY_TOO_LARGE"]);
    expect(findings[0].message).toContain("larger than 1 MiB once decoded (gzip: the capture stopped after 1048576 decoded bytes from 1017 bytes received");
    expect(findings[0].message).toContain("decompression bomb");
    const long = diagnoseTransport(anExchange({ body: Buffer.alloc(300_000), receivedBytes: 1_200_000, bodyCapped: true, bodyEncoding: "br" }));
    expect(long[0].message).toContain("larger than 1 MiB even compressed (br: the capture stopped after 300000 decoded bytes from 1200000 bytes received");
  });

  test("GIVEN a chunked answer (no Content-Length) reset mid-body THEN CONNECTION_RESET", () => {
    const findings = diagnoseTransport(
      anExchange({
        declaredLength: null,
        receivedBytes: 40,
        error: { code: "ECONNRESET", message: "aborted" },
      }),
    );
    expect(codesOf(findings)).toEqual(["CONNECTION_RESET"]);
    expect(findings[0].message).toContain("while answering");
  });
});

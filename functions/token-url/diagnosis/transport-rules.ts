import { UpstreamError, UpstreamExchange } from "./exchange";
import { Endpoint, TOKEN_ENDPOINT } from "./endpoint";
import { Finding } from "./finding";
import { targetOf } from "./url-rules";

type Fault = Omit<Finding, "severity">;

// Node's (and the capture's) error codes, by the finding that names them (DESIGN §3.3).
const CODES_OF: Record<string, readonly string[]> = {
  DNS_NOT_FOUND: ["ENOTFOUND", "EAI_AGAIN"],
  CONNECTION_REFUSED: ["ECONNREFUSED"],
  CONNECT_TIMEOUT: ["CONNECT_TIMEOUT"],
  TLS_HANDSHAKE_TIMEOUT: ["TLS_HANDSHAKE_TIMEOUT"],
  RESPONSE_TIMEOUT: ["RESPONSE_TIMEOUT"],
  CONNECTION_RESET: ["ECONNRESET", "EPIPE", "socket hang up"],
  TLS_PROTOCOL_UNSUPPORTED: [
    "ERR_SSL_UNSUPPORTED_PROTOCOL",
    "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
    "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
    "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
    "ERR_SSL_NO_SHARED_CIPHER",
    "ERR_SSL_VERSION_TOO_LOW",
    "ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY",
    "ERR_SSL_WRONG_VERSION_NUMBER",
    "EPROTO",
  ],
};

const FINDING_OF_CODE = new Map(
  Object.entries(CODES_OF).flatMap(([finding, codes]) => codes.map((code) => [code, finding] as const)),
);

/** Findings about getting an answer at all: DNS, TCP, TLS negotiation, timeouts, a body cut
 * short. Certificate verification belongs to tls-rules, slowness to deadline-rules. */
export function transportFindings(upstream: UpstreamExchange, endpoint: Endpoint = TOKEN_ENDPOINT): Finding[] {
  const findings: Finding[] = [];
  const truncated =
    upstream.status !== null &&
    upstream.declaredLength !== null &&
    upstream.receivedBytes < upstream.declaredLength &&
    !upstream.bodyCapped; // the capture stopped reading there, not the server
  const error = upstream.error ?? (upstream.status === null ? NO_ANSWER : null);
  if (error && !isCertificateRejection(upstream)) {
    const fault = describeFailure(error, upstream, endpoint);
    // The reset is how a truncated body shows up; BODY_TRUNCATED names the actual fault.
    if (!(truncated && fault.code === "CONNECTION_RESET")) findings.push({ severity: "error", ...fault });
  }
  if (truncated) {
    findings.push({
      code: "BODY_TRUNCATED",
      severity: "error",
      message:
        `The token URL declared Content-Length ${upstream.declaredLength} but sent only ` +
        `${upstream.receivedBytes} bytes; Alexa's client fails on such an answer ` +
        '("Premature end of Content-Length delimited message body").',
      fix:
        "Make the server send the whole body, and set Content-Length from the bytes actually sent " +
        "(after compression and UTF-8 encoding, not the number of characters), or leave it to the framework.",
    });
  }
  if (upstream.bodyCapped) {
    // The body rules (BODY_NOT_JSON and the rest) do not judge the cut body: its first MiB says
    // nothing of the whole, and Alexa gets a 502 for it. This finding names the fault instead.
    const encoding = upstream.bodyEncoding;
    // A bomb passes the cap decoded; a long stream of little content passes it on the wire.
    const where = upstream.body.length >= upstream.receivedBytes ? "once decoded" : "even compressed";
    const size = encoding
      ? `larger than 1 MiB ${where} (${encoding}: the capture stopped after ${upstream.body.length} decoded bytes ` +
        `from ${upstream.receivedBytes} bytes received, and read no further)`
      : "larger than 1 MiB";
    findings.push({
      code: "BODY_TOO_LARGE",
      severity: "error",
      message:
        `The token URL's answer is ${size}; a token response is a few hundred bytes, so this ` +
        `is not a token answer (${encoding ? "a file, a page, a stream or a decompression bomb" : "a file, a page or a stream"}).`,
      fix: "Check that the Access Token URI points at the token endpoint itself.",
    });
  }
  return findings;
}

// An inconsistent capture still must not read as a pass.
const NO_ANSWER: UpstreamError = { code: "NO_RESPONSE", message: "no answer and no error were recorded" };

/** A rejected certificate is tls-rules' to explain, from tls.verifyError. */
function isCertificateRejection(upstream: UpstreamExchange): boolean {
  const verifyError = upstream.tls?.verifyError;
  const code = upstream.error?.code;
  return Boolean(verifyError) && (code === "TLS_VERIFY_FAILED" || code === verifyError);
}

function describeFailure(error: UpstreamError, upstream: UpstreamExchange, { name, consoleField }: Endpoint): Fault {
  const { hostname, port } = targetOf(upstream.url);
  // Named, so that a probe of both endpoints tells whose connection failed.
  const where = `the ${name} at ${hostname}:${port}`;
  const sentenceStart = where.charAt(0).toUpperCase() + where.slice(1);
  const after = `after ${upstream.timings.totalMs} ms`;
  const code = FINDING_OF_CODE.get(error.code) ?? FINDING_OF_CODE.get(error.message) ?? "UPSTREAM_ERROR";
  switch (code) {
    case "DNS_NOT_FOUND":
      return {
        code,
        message: `The ${name}'s host ${hostname} does not resolve (${error.code}): Alexa cannot reach it.`,
        fix:
          `Check the ${consoleField}'s host name in the Alexa console (Account Linking) for typos, and ` +
          "that it has a public DNS record, not one that only resolves inside your network or VPN.",
      };
    case "CONNECTION_REFUSED":
      return {
        code,
        message: `${sentenceStart} refused the TCP connection: nothing listens on that port, or a firewall says no.`,
        fix:
          `Check the port in the ${consoleField}, and that the server (or its load balancer) is ` +
          "running and listening on a public address.",
      };
    case "CONNECT_TIMEOUT":
      return {
        code,
        message:
          `No TCP connection to ${where} could be made (${after}): the packets are dropped, which is ` +
          "typical of an IP allowlist, a firewall, a security group or a geo-block.",
        fix:
          `Let Alexa reach port ${port}: Alexa calls from AWS address ranges ` +
          "(https://ip-ranges.amazonaws.com/ip-ranges.json), not from a short fixed list of IPs.",
      };
    case "TLS_HANDSHAKE_TIMEOUT":
      return {
        code,
        message:
          `${sentenceStart} accepted the TCP connection but the TLS handshake did not complete (${after}): the ` +
          "port may not speak TLS, or something in between stalls the handshake.",
        fix:
          `Check that port ${port} serves HTTPS itself, and that any load balancer or proxy in front ` +
          "completes TLS.",
      };
    case "RESPONSE_TIMEOUT":
      return {
        code,
        message:
          upstream.status === null
            ? `No answer from the ${name} (${after}: ${error.message}).`
            : `The ${name} sent its status (${upstream.status}) but not the rest of the answer (${after}).`,
        fix:
          "Find what the token endpoint waits on (database, upstream identity provider, cold start) and " +
          "make it answer within a second or two: Alexa gives up after 4.5 s.",
      };
    case "CONNECTION_RESET":
      return {
        code,
        message:
          `${sentenceStart} closed or reset the connection ${upstream.status === null ? "before" : "while"} ` +
          `answering (${error.code}: ${error.message}).`,
        fix:
          "Look in the logs of the server, load balancer or WAF for a dropped POST at this time: a crash " +
          "on this request, or a proxy that drops clients that are not browsers, are the usual causes.",
      };
    case "TLS_PROTOCOL_UNSUPPORTED":
      if (error.code === "ERR_SSL_WRONG_VERSION_NUMBER") {
        return {
          code,
          message: `${sentenceStart} answered the TLS handshake with something else: the port speaks plain HTTP.`,
          fix:
            "Serve HTTPS on this port (terminate TLS at the server or load balancer), or put the port " +
            `that serves HTTPS into the ${consoleField}.`,
        };
      }
      return {
        code,
        message:
          `${sentenceStart} and a current TLS client found no TLS version or cipher in common ` +
          `(${error.code}: ${error.message}); current Java clients such as Alexa's refuse TLS 1.0 and 1.1.`,
        fix: "Enable TLS 1.2 and 1.3 with current ECDHE and AES-GCM ciphers on the server or load balancer.",
      };
    default:
      return {
        code: "UPSTREAM_ERROR",
        message: `The exchange with the ${name} failed: ${error.code}: ${error.message}.`,
        fix:
          "Call the token URL with `npm run probe -- <token-url>` for a closer look, and check the " +
          "server's logs at this time.",
      };
  }
}

import { Finding } from "./finding";

type TransportFault = Pick<Finding, "code" | "message" | "fix">;

// Node's error codes for a failed exchange, named in the product's finding codes (DESIGN §3.3).
const TRANSPORT_FAULTS: Record<string, TransportFault> = {
  ENOTFOUND: {
    code: "DNS_NOT_FOUND",
    message: "The token URL's host name does not resolve.",
    fix: "Check the Access Token URI's host name for typos, and that its DNS record is public.",
  },
  ECONNREFUSED: {
    code: "CONNECTION_REFUSED",
    message: "The token URL's server refused the TCP connection.",
    fix: "Check the port and that the server is running and listening on a public address.",
  },
  CONNECT_TIMEOUT: {
    code: "CONNECT_TIMEOUT",
    message: "No TCP connection could be made in time: typical of an IP allowlist, a firewall or a geo-block.",
    fix: "Allow Alexa's traffic (it comes from AWS address ranges) through the firewall in front of the token URL.",
  },
  RESPONSE_TIMEOUT: {
    code: "RESPONSE_TIMEOUT",
    message: "The token URL accepted the connection but gave no complete answer in time.",
    fix: "Find what the token endpoint waits on (database, upstream identity provider) and make it answer within a few seconds.",
  },
  ECONNRESET: {
    code: "CONNECTION_RESET",
    message: "The token URL's server closed or reset the connection mid-exchange.",
    fix: "Check the server's and load balancer's logs for the dropped request.",
  },
  CERT_HAS_EXPIRED: {
    code: "TLS_CERT_EXPIRED",
    message: "The token URL's TLS certificate has expired; Alexa refuses the handshake.",
    fix: "Renew the certificate and install it with its full chain.",
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    code: "TLS_SELF_SIGNED",
    message: "The token URL serves a self-signed certificate; Alexa refuses it.",
    fix: "Use a certificate from a public certificate authority.",
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    code: "TLS_UNTRUSTED_ROOT",
    message: "The token URL's certificate chain ends in a CA that is not publicly trusted.",
    fix: "Use a certificate from a public certificate authority.",
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    code: "TLS_INCOMPLETE_CHAIN",
    message: "The token URL does not send its intermediate certificates; Alexa's Java client does not fetch them.",
    fix: "Configure the server with the full chain (leaf followed by intermediates, e.g. fullchain.pem).",
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    code: "TLS_HOSTNAME_MISMATCH",
    message: "The token URL's certificate does not cover its host name.",
    fix: "Serve a certificate whose names include the Access Token URI's host.",
  },
};

/** The error finding for a failed exchange; unknown codes are still reported, by their own name. */
export function transportFinding(error: { code: string; message: string }): Finding {
  const fault = TRANSPORT_FAULTS[error.code] ?? {
    code: "UPSTREAM_ERROR",
    message: `The exchange with the token URL failed: ${error.code}: ${error.message}`,
    fix: "Call the token URL with `npm run probe` for a closer look.",
  };
  return { severity: "error", ...fault };
}

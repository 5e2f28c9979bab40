import { Endpoint, TOKEN_ENDPOINT } from "./endpoint";
import { Finding } from "./finding";

/** Findings about the token URL (or another endpoint) itself, before anything is sent to it. */
export function urlFindings(tokenUrl: string, endpoint: Endpoint = TOKEN_ENDPOINT): Finding[] {
  // An unparsable URL could not have been called; the transport error already says why.
  if (!URL.canParse(tokenUrl)) return [];
  const url = new URL(tokenUrl);
  if (isLocalRuntimeUrl(tokenUrl)) {
    // The local runtime (npm start) on this machine: plain http is expected there, and Alexa
    // could never call a loopback address anyway; a probe of it checks everything else.
    return [
      {
        code: "NOT_HTTPS",
        severity: "info",
        message: `${tokenUrl} is a plain-http address on this machine (the local runtime, npm start?).`,
        fix: `Nothing to fix for a local test; the ${endpoint.consoleField} in the Alexa console must be https on port 443.`,
      },
    ];
  }
  if (url.protocol !== "https:") {
    return [
      {
        code: "NOT_HTTPS",
        severity: "error",
        message: `The ${endpoint.name} ${tokenUrl} is not https; Alexa only accepts an ${endpoint.consoleField} over HTTPS.`,
        fix:
          "Serve the endpoint over HTTPS on port 443 with a certificate from a public CA, " +
          `and enter the https URL as ${endpoint.consoleField} in the Alexa console (Account Linking).`,
      },
    ];
  }
  // URL.port is "" for the scheme's default port, whether or not ":443" was written.
  if (url.port !== "") {
    return [
      {
        code: "NON_STANDARD_PORT",
        severity: "warning",
        message:
          `The ${endpoint.name} uses port ${url.port}; Alexa expects the ${endpoint.consoleField} on the standard ` +
          "HTTPS port 443, and other ports may not be reachable from Alexa.",
        fix: `Serve the endpoint on port 443 and drop ":${url.port}" from the ${endpoint.consoleField}.`,
      },
    ];
  }
  return [];
}

/** A plain-http address on this machine: the local runtime (npm start), not a token URL Alexa
 * could ever call. */
export function isLocalRuntimeUrl(tokenUrl: string): boolean {
  if (!URL.canParse(tokenUrl)) return false;
  const url = new URL(tokenUrl);
  return url.protocol === "http:" && isLoopback(url.hostname);
}

/** A URL on this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0, ::, IPv4-mapped forms), any scheme. */
export function isLoopbackUrl(text: string): boolean {
  return URL.canParse(text) && isLoopback(new URL(text).hostname);
}

/**
 * Every spelling of this machine. The WHATWG URL parser has already turned decimal, hex and
 * octal IPv4 (2130706433, 0x7f000001, 0177.1) into dotted form, lower-cased the name and
 * bracketed IPv6, so what is left to catch is the unspecified address (0.0.0.0 and [::]
 * reach this machine too), IPv4-mapped IPv6 ([::ffff:7f00:1]), and a trailing-dot name.
 */
function isLoopback(hostname: string): boolean {
  const name = hostname.replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true; // RFC 6761 §6.3
  if (/^(127\.\d+\.\d+\.\d+|0\.\d+\.\d+\.\d+)$/.test(name)) return true;
  if (!name.startsWith("[")) return false;
  const ipv6 = name.slice(1, -1);
  if (ipv6 === "::1" || ipv6 === "::") return true;
  // IPv4-mapped (::ffff:a.b.c.d, normalised by URL to ::ffff:XXXX:XXXX) and IPv4-compatible forms.
  const mapped = /^::(ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ipv6);
  if (!mapped) return false;
  const high = parseInt(mapped[2], 16) >> 8;
  return high === 127 || high === 0;
}

export interface UrlTarget {
  readonly hostname: string;
  readonly port: number;
}

/** Where a URL points, for messages; the URL itself stands in as hostname when it does not parse. */
export function targetOf(tokenUrl: string): UrlTarget {
  if (!URL.canParse(tokenUrl)) return { hostname: tokenUrl, port: 443 };
  const url = new URL(tokenUrl);
  return { hostname: url.hostname, port: Number(url.port) || (url.protocol === "http:" ? 80 : 443) };
}

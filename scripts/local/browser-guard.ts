/**
 * Keeps web pages from driving `npm start`. A page on any site can make the browser POST a
 * "simple" request (text/plain, form) to 127.0.0.1 with no preflight; and through DNS
 * rebinding (a host name that first resolves to the attacker, then to 127.0.0.1) it can even
 * read the answers. Token clients (Alexa's Java client, curl, the probe) send no Origin and no
 * Sec-Fetch-Site, and name this machine, or the tunnel in front of it, in Host.
 *
 * - Origin, when present, must be this runtime's own origin. Browsers send it on every POST
 *   made by a page (Fetch standard, "origin" header), and "null" from sandboxed frames and
 *   file:// pages, which is refused too.
 * - Sec-Fetch-Site must be absent, "same-origin" or "none" (a user's own navigation).
 *   "same-site" is refused as well as "cross-site": sites ignore the port, so a page served
 *   by any other server on 127.0.0.1 is "same-site" to this one.
 * - Host must be 127.0.0.1, localhost or [::1] on this port, or one of ALLOWED_HOSTS (the
 *   name a tunnel forwards): a rebinding page's requests carry the attacker's host name.
 *   (https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Sec-Fetch-Site,
 *   https://fetch.spec.whatwg.org/#origin-header)
 */
import { IncomingHttpHeaders } from "node:http";

export interface BrowserGuardOptions {
  readonly port: number;
  /** Host names (with or without :port) a tunnel forwards; "*" accepts any Host. */
  readonly allowedHosts: readonly string[];
}

/** Why the request is refused, for npm start's line; undefined when it may go on. */
export function browserRefusal(headers: IncomingHttpHeaders, options: BrowserGuardOptions): string | undefined {
  const ownHosts = [`127.0.0.1:${options.port}`, `localhost:${options.port}`, `[::1]:${options.port}`];
  const host = (headers.host ?? "").toLowerCase();
  if (!options.allowedHosts.includes("*") && !ownHosts.includes(host) && !isAllowed(host, options.allowedHosts)) {
    return `Host ${host || "(none)"} is not this machine (a DNS-rebinding page names its own host); a tunnel's host name goes in ALLOWED_HOSTS`;
  }
  const origin = headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, host)) {
    return `a browser page at ${origin} sent it (Origin is not this runtime's own)`;
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `a browser page sent it (Sec-Fetch-Site: ${site})`;
  }
  return undefined;
}

function isAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = host.replace(/:\d+$/, "");
  return allowedHosts.some((allowed) => {
    const entry = allowed.toLowerCase();
    return entry === host || entry === name;
  });
}

/** The page's origin is this runtime as the browser reached it: scheme-less compare of host. */
function isOwnOrigin(origin: string, host: string): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return (url.protocol === "http:" || url.protocol === "https:") && url.host === host;
}

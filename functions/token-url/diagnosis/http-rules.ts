import { bodyText } from "./answer-body";
import { UpstreamExchange } from "./exchange";
import { Finding } from "./finding";
import { oauthErrorOf, quoteOAuthError } from "./oauth-error-rules";

type Headers = Record<string, string>;

const server = (headers: Headers) => headers.server ?? "";
const hasPrefixed = (headers: Headers, prefix: string) =>
  Object.keys(headers).some((name) => name.startsWith(prefix));

// Who answered a 403, told by the headers each product adds; the first match wins, so a CDN in
// front of an AWS origin is named rather than the origin.
const WAFS: readonly [string, (headers: Headers) => boolean][] = [
  ["Cloudflare", (headers) => headers["cf-ray"] !== undefined || /cloudflare/i.test(server(headers))],
  ["Akamai", (headers) => /AkamaiGHost/i.test(server(headers)) || hasPrefixed(headers, "x-akamai-")],
  ["Sucuri", (headers) => headers["x-sucuri-id"] !== undefined],
  ["Imperva", (headers) => headers["x-iinfo"] !== undefined || /incap_ses/.test(headers["set-cookie"] ?? "")],
  ["F5", (headers) => /big-?ip|\bf5\b/i.test(server(headers))],
  [
    "AWS WAF / CloudFront",
    (headers) =>
      hasPrefixed(headers, "x-amzn-waf-") ||
      headers["x-amz-cf-id"] !== undefined ||
      headers["x-amzn-requestid"] !== undefined ||
      /^(awselb|cloudfront)/i.test(server(headers)),
  ],
];

/** Findings from the status and headers of the token URL's answer. */
export function httpFindings(upstream: UpstreamExchange): Finding[] {
  const status = upstream.status;
  if (status === null) return [];
  if (status >= 200 && status < 300) return successHeaderFindings(upstream.headers);
  const finding = statusFinding(status, upstream);
  return finding ? [finding] : [];
}

function statusFinding(status: number, upstream: UpstreamExchange): Finding | null {
  const headers = upstream.headers;
  if (status >= 300 && status < 400) {
    const location = headers.location;
    // Location may be relative; the fix names the absolute URL to enter in the console.
    const target = location && URL.canParse(location, upstream.url) ? new URL(location, upstream.url) : null;
    const to = location ? `redirecting to ${location}` : "without a Location header";
    return {
      code: "HTTP_REDIRECT",
      severity: "error",
      message:
        `The token URL answered ${status} ${to}; ` +
        `Alexa does not follow redirects on the token POST, so it sees the ${status} as a failure.`,
      fix:
        `Enter ${target ? `the final URL (${target.href})` : "the URL that answers the POST itself"} as ` +
        "Access Token URI in the Alexa console (Account Linking). Usual causes: http instead of https, a " +
        "missing or extra trailing slash, a moved path.",
    };
  }
  if (status === 403) return forbidden(upstream);
  if (status === 404) {
    return {
      code: "HTTP_NOT_FOUND",
      severity: "error",
      message: "The token URL answered 404 Not Found: there is no token endpoint at this path.",
      fix:
        "Check the Access Token URI's path in the Alexa console against the OAuth server's documentation " +
        "(e.g. /oauth/token or /oauth2/token, a trailing slash, an API Gateway stage name).",
    };
  }
  if (status === 405) {
    return {
      code: "HTTP_METHOD_NOT_ALLOWED",
      severity: "error",
      message:
        "The token URL answered 405 Method Not Allowed to a POST" +
        `${headers.allow ? ` (Allow: ${headers.allow})` : ""}; Alexa always POSTs to the token URL.`,
      fix:
        "Point the Access Token URI at the endpoint that accepts a form POST; this URL may be a page or " +
        "the authorization endpoint rather than the token endpoint.",
    };
  }
  if (status >= 500) {
    const oauthError = oauthErrorOf(upstream);
    const said = oauthError ? ` (${quoteOAuthError(oauthError)})` : "";
    return {
      code: "HTTP_SERVER_ERROR",
      severity: "error",
      message:
        `The token URL failed with ${status}${said}: the OAuth server, or a proxy in front of it, broke ` +
        "while handling Alexa's request.",
      fix:
        "Check the OAuth server's logs at this time; a 502 or 504 usually comes from a load balancer or " +
        "gateway whose backend failed or timed out.",
    };
  }
  return null;
}

function forbidden(upstream: UpstreamExchange): Finding | null {
  // An RFC 6749 error means the OAuth server itself refused: oauth-error-rules names why.
  if (oauthErrorOf(upstream)) return null;
  if (bodyText(upstream.body).includes("Missing Authentication Token")) {
    return {
      code: "HTTP_FORBIDDEN",
      severity: "error",
      message:
        'The token URL answered 403 "Missing Authentication Token", which is how API Gateway answers a ' +
        "path or method it does not know.",
      fix:
        "Check the Access Token URI's path and stage name against the API Gateway deployment, and that " +
        "POST is deployed there.",
    };
  }
  const waf = WAFS.find(([, matches]) => matches(upstream.headers))?.[0];
  const shownBy = waf ? `, and the headers show ${waf} in front of it` : "";
  return {
    code: "HTTP_FORBIDDEN",
    severity: "error",
    message:
      `The token URL answered 403 Forbidden${shownBy}: an IP allowlist, a WAF or bot protection refused ` +
      "the request. Alexa calls from AWS address ranges with a Java user agent (Apache-HttpClient), which " +
      "such rules often block.",
    fix:
      // Cloudflare's Bot Fight Mode cannot be exempted (Cloudflare docs, "Bot Fight Mode"): the
      // Cloudflare settings that work follow from product-settings.ts once Cloudflare is named.
      (waf === "Cloudflare"
        ? "In Cloudflare, find what refused the request and let POSTs to the token path through"
        : `${waf ? `In ${waf}, exempt` : "Exempt"} POSTs to the token path from bot protection and challenges`) +
      " (Alexa cannot solve challenges), and if an IP allowlist applies, allow AWS address ranges " +
      "(https://ip-ranges.amazonaws.com/ip-ranges.json).",
  };
}

/** RFC 6749 §5.1 asks more of a token answer than a 200. */
function successHeaderFindings(headers: Headers): Finding[] {
  const findings: Finding[] = [];
  const contentType = headers["content-type"];
  const [mediaType, ...parameters] = (contentType ?? "").split(";").map((part) => part.trim());
  if (!/^application\/([^/\s]+\+)?json$/i.test(mediaType)) {
    findings.push({
      code: "CONTENT_TYPE_NOT_JSON",
      severity: "error",
      message:
        `The token answer is served as ${contentType ? `"${contentType}"` : "no Content-Type"}, not as ` +
        "application/json, which RFC 6749 §5.1 requires and Alexa expects.",
      fix: "Serve token answers with Content-Type: application/json;charset=UTF-8.",
    });
  }
  const charset = parameters
    .find((parameter) => /^charset\s*=/i.test(parameter))
    ?.replace(/^charset\s*=\s*/i, "")
    .replace(/^"(.*)"$/, "$1");
  if (charset !== undefined && charset.toLowerCase() !== "utf-8") {
    findings.push({
      code: "CHARSET_NOT_UTF8",
      severity: "warning",
      message:
        `The token answer declares charset "${charset}"; JSON is UTF-8 (RFC 8259), and a client that ` +
        "honours the declared charset misreads any non-ASCII character.",
      fix: "Declare charset=UTF-8 (or no charset) and encode the body as UTF-8.",
    });
  }
  const cacheControl = headers["cache-control"];
  if (!/\bno-store\b/i.test(cacheControl ?? "")) {
    const instead = cacheControl ? ` (it says "${cacheControl}")` : "";
    findings.push({
      code: "CACHE_HEADERS_MISSING",
      severity: "warning",
      message:
        `The token answer has no "Cache-Control: no-store"${instead}; RFC 6749 §5.1 requires it so that ` +
        "no cache keeps the tokens.",
      fix: "Add Cache-Control: no-store and Pragma: no-cache to token answers.",
    });
  }
  return findings;
}

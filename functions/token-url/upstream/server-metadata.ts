/**
 * The authorization server's metadata (RFC 8414, OpenID Connect Discovery 1.0 §4), looked up
 * from nothing but the token URL: Alexa's console knows no issuer, so the candidates are the
 * token URL's origin and each of its path prefixes (Keycloak's issuer is /realms/<name>).
 * Shared by the probe and the wrapper; the lifetime rules read `scopesSupported`.
 */
import { captureExchange } from "./capture-exchange";

/** RFC 8414 / OpenID Connect discovery, looked up from the token URL. */
export interface ServerMetadata {
  /** The document that answered. */
  readonly url: string;
  readonly issuer: string | null;
  readonly scopesSupported: readonly string[] | null;
  readonly tokenEndpointAuthMethodsSupported: readonly string[] | null;
  readonly codeChallengeMethodsSupported: readonly string[] | null;
  readonly grantTypesSupported: readonly string[] | null;
  readonly tokenEndpoint: string | null;
  readonly authorizationEndpoint: string | null;
}

export interface MetadataLookup {
  /** Every URL asked, in order. */
  readonly tried: readonly string[];
  readonly found: ServerMetadata | null;
  readonly timeMs: number;
}

export interface MetadataLookupOptions {
  /** For the whole lookup, every candidate included. @default 1500 */
  readonly totalTimeoutMs?: number;
  /** For each TCP connect and TLS handshake. @default 1000 */
  readonly connectTimeoutMs?: number;
  /** Trust anchors replacing Node's default store (tests, the local runtime). */
  readonly trustedCa?: string[];
}

export const METADATA_LOOKUP_TIMEOUT_MS = 1_500;

const WELL_KNOWN = ["oauth-authorization-server", "openid-configuration"] as const;

// A token URL nested deeper than this is rare; the cap keeps the request count bounded
// (4 URLs a level) whatever path a token URL has.
const MAX_PREFIX_DEPTH = 4;

/**
 * Pure: the candidate discovery URLs for a token URL, most specific first. For each path
 * prefix (the token URL's directory down to the origin): the RFC 8414 §3.1 insertion form
 * (`/.well-known/<name><prefix>`) for both names, then the OpenID Connect Discovery §4 appended
 * form (`<prefix>/.well-known/<name>`) for both; at the origin the two forms coincide. No
 * duplicates. An unparseable URL gives none.
 */
export function metadataCandidates(tokenUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    return [];
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return [];
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  segments.pop(); // the token endpoint itself
  const prefixes: string[] = [];
  for (let depth = Math.min(segments.length, MAX_PREFIX_DEPTH); depth >= 1; depth -= 1) {
    prefixes.push(`/${segments.slice(0, depth).join("/")}`);
  }
  prefixes.push("");
  const candidates: string[] = [];
  for (const prefix of prefixes) {
    for (const name of WELL_KNOWN) candidates.push(`${url.origin}/.well-known/${name}${prefix}`);
    for (const name of WELL_KNOWN) candidates.push(`${url.origin}${prefix}/.well-known/${name}`);
  }
  return [...new Set(candidates)];
}

/**
 * Pure: a metadata document as the lookup keeps it, or null when the answer is not one (not a
 * JSON object, or neither an issuer nor a token endpoint: a login page or an SPA's catch-all
 * route answers 200 too). Fields of the wrong type read as null.
 */
export function parseServerMetadata(url: string, body: string): ServerMetadata | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.replace(/^\uFEFF/, ""));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const document = parsed as Record<string, unknown>;
  const text = (name: string): string | null => (typeof document[name] === "string" ? (document[name] as string) : null);
  const list = (name: string): readonly string[] | null => {
    const value = document[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : null;
  };
  const metadata: ServerMetadata = {
    url,
    issuer: text("issuer"),
    scopesSupported: list("scopes_supported"),
    tokenEndpointAuthMethodsSupported: list("token_endpoint_auth_methods_supported"),
    codeChallengeMethodsSupported: list("code_challenge_methods_supported"),
    grantTypesSupported: list("grant_types_supported"),
    tokenEndpoint: text("token_endpoint"),
    authorizationEndpoint: text("authorization_endpoint"),
  };
  return metadata.issuer === null && metadata.tokenEndpoint === null ? null : metadata;
}

/**
 * Looks the metadata up: one path prefix at a time, most specific first, the (up to four)
 * candidates of a prefix at once; the first document found, in candidate order, wins. Never
 * throws and never fails anything: nothing found is an answer too. Bounded by
 * `totalTimeoutMs`, and uses the token request's own client, so TLS is as strict (a bad
 * certificate sends nothing), and body caps and decoding are the same. Sends no credentials.
 */
export async function lookupServerMetadata(tokenUrl: string, options: MetadataLookupOptions = {}): Promise<MetadataLookup> {
  const started = performance.now();
  const totalTimeoutMs = options.totalTimeoutMs ?? METADATA_LOOKUP_TIMEOUT_MS;
  const remaining = () => totalTimeoutMs - (performance.now() - started);
  const tried: string[] = [];
  const candidates = metadataCandidates(tokenUrl);
  try {
    for (const wave of wavesOf(candidates)) {
      if (remaining() <= 0) break;
      tried.push(...wave);
      const budget = remaining();
      const found = await Promise.all(wave.map((url) => fetchDocument(url, budget, options)));
      const first = found.find((document) => document !== null);
      if (first) return { tried, found: first, timeMs: Math.round(performance.now() - started) };
    }
  } catch {
    // captureExchange never throws; this is a guard, since a lookup must never fail a probe.
  }
  return { tried, found: null, timeMs: Math.round(performance.now() - started) };
}

/** The candidates grouped by path prefix, in order (four to a prefix, two at the origin). */
function wavesOf(candidates: readonly string[]): string[][] {
  const waves = new Map<string, string[]>();
  for (const url of candidates) {
    const { pathname } = new URL(url);
    // The prefix is what stands beside the well-known part, before or after it.
    const prefix = pathname.replace(/\/\.well-known\/(oauth-authorization-server|openid-configuration)/, "");
    waves.set(prefix, [...(waves.get(prefix) ?? []), url]);
  }
  return [...waves.values()];
}

async function fetchDocument(url: string, budgetMs: number, options: MetadataLookupOptions): Promise<ServerMetadata | null> {
  const exchange = await captureExchange(
    { method: "GET", body: Buffer.alloc(0), headers: { accept: "application/json", "user-agent": "token-url-debugger (metadata lookup)" } },
    {
      tokenUrl: url,
      connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 1_000, budgetMs),
      upstreamTimeoutMs: budgetMs,
      tlsBypass: false, // never past a bad certificate, whatever the wrapper's TLS_BYPASS says
      trustedCa: options.trustedCa,
    },
  );
  if (exchange.status !== 200 || exchange.error !== null || exchange.bodyCapped) return null;
  return parseServerMetadata(url, exchange.body.toString("utf8"));
}

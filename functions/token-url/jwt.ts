/**
 * What a JWT says, shown beside its fingerprint because it helps diagnosis (who issued it, for
 * whom, until when), never its signature or payload as a whole. Claims are shown from a fixed
 * list of public ones; a claim value is shown only as plain words (no quotes or backslashes,
 * so the description is safe inside any JSON, HTML or header text it replaces a token in),
 * and a value that looks like a credential itself is left out.
 */
const SHOWN_CLAIMS = ["iss", "aud", "azp", "client_id", "scope", "exp", "iat"];
const SHOWN_HEADER = ["alg", "typ", "kid"];
const TIMES = new Set(["exp", "iat"]);
const SAFE_VALUE = /^[A-Za-z0-9 .,:/_@+-]{1,200}$/;

/** "alg=RS256 typ=JWT iss=… aud=… exp=2026-…" for a well-formed JWT; undefined otherwise. */
export function describeJwt(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 && parts.length !== 5) return undefined;
  const header = decodeSegment(parts[0]);
  if (!header || typeof header.alg !== "string") return undefined;
  const shown: string[] = [];
  const add = (name: string, value: unknown) => {
    const text = TIMES.has(name) && typeof value === "number" ? new Date(value * 1000).toISOString() : Array.isArray(value) ? value.join(",") : value;
    if ((typeof text === "string" || typeof text === "number") && SAFE_VALUE.test(String(text)) && !looksSecret(String(text))) {
      shown.push(`${name}=${text}`);
    }
  };
  for (const name of SHOWN_HEADER) if (header[name] !== undefined) add(name, header[name]);
  if (parts.length === 5) return [...shown, "encrypted"].join(" ");
  const claims = decodeSegment(parts[1]);
  if (!claims) return shown.join(" ");
  for (const name of SHOWN_CLAIMS) if (claims[name] !== undefined) add(name, claims[name]);
  return shown.join(" ");
}

/** A signed JWT's claims, decoded but not verified (read only: a lifetime, a scope);
 * undefined for anything else. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  return parts.length === 3 ? decodeSegment(parts[1]) : undefined;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Long runs of mixed letters and digits read as a key or a token, not as a name or a URL. */
function looksSecret(text: string): boolean {
  return /[A-Za-z0-9_-]{24,}/.test(text) && /\d/.test(text) && /[A-Za-z]/.test(text) && !/^https?:/.test(text);
}

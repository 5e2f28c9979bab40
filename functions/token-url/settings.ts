/** The Lambda's own settings, set by the stack from the deploy-time config. The one module of
 * the function that reads process.env. */
export interface FunctionSettings {
  readonly mode: "dummy" | "proxy";
  readonly tokenUrl?: string;
  readonly upstreamTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly tlsBypass: boolean;
  /** A complete answer slower than this is flagged SLOW_RESPONSE: Alexa's own timeout is
   * unpublished, so anything beyond a few seconds is a risk. */
  readonly slowResponseMs: number;
  /** `expires_in` (seconds) Alexa is given instead of the server's, so it refreshes soon;
   * undefined leaves answers untouched. Validated by the deploy-time config. */
  readonly expiresInOverride?: number;
  /** When the debugger stops forwarding (DEBUGGER_EXPIRES_AT); undefined: never. */
  readonly expiresAt?: Date;
  /** Look the server's metadata up (RFC 8414 / OpenID discovery) beside the forward, once per
   * warm container, never waited on. On in the Lambda; tests turn it on where they need it.
   * @default false */
  readonly serverMetadataLookup?: boolean;
  /** Trust anchors replacing Node's default store; only the local runtime and tests set it. */
  readonly trustedCa?: string[];
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_SLOW_RESPONSE_MS = 3_000;

export function readSettings(env: NodeJS.ProcessEnv = process.env): FunctionSettings {
  return {
    mode: env.MODE === "proxy" ? "proxy" : "dummy",
    tokenUrl: env.TOKEN_URL || undefined,
    upstreamTimeoutMs: Number(env.UPSTREAM_TIMEOUT_MS) || 10_000,
    connectTimeoutMs: Number(env.CONNECT_TIMEOUT_MS) || DEFAULT_CONNECT_TIMEOUT_MS,
    tlsBypass: env.TLS_BYPASS === "true",
    slowResponseMs: DEFAULT_SLOW_RESPONSE_MS,
    expiresInOverride: Number(env.EXPIRES_IN_OVERRIDE) || undefined,
    expiresAt: readInstant(env.DEBUGGER_EXPIRES_AT),
    serverMetadataLookup: env.SERVER_METADATA_LOOKUP !== "false",
  };
}

/** The deploy stamps a valid time; anything unreadable counts as expired rather than never, so
 * that a broken value cannot keep a forgotten wrapper forwarding. */
function readInstant(raw: string | undefined): Date | undefined {
  if (!raw) return undefined;
  const time = Date.parse(raw);
  return new Date(Number.isNaN(time) ? 0 : time);
}

import { FunctionSettings } from "../../functions/token-url/settings";

/** Function settings for tests: dummy mode and short timeouts unless overridden. */
export function testSettings(overrides: Partial<FunctionSettings> = {}): FunctionSettings {
  return {
    mode: "dummy",
    upstreamTimeoutMs: 2_000,
    // Room for a TLS handshake on a busy 2-core CI machine (1 s once timed out there); the
    // timeout cases set their own, shorter limits.
    connectTimeoutMs: 2_000,
    tlsBypass: false,
    slowResponseMs: 3_000,
    ...overrides,
  };
}

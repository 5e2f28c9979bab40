import { FunctionSettings } from "../../functions/token-url/settings";

/** Function settings for tests: dummy mode and short timeouts unless overridden. */
export function testSettings(overrides: Partial<FunctionSettings> = {}): FunctionSettings {
  return {
    mode: "dummy",
    upstreamTimeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    tlsBypass: false,
    slowResponseMs: 3_000,
    ...overrides,
  };
}

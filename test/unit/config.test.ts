import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSettings } from "../../functions/token-url/settings";
import { checkDeployable, ConfigError, ConfigSource, functionEnvironment, loadConfig, resolveConfig } from "../../infra/config";

describe("resolveConfig", () => {
  test("GIVEN nothing THEN dummy mode with the documented defaults", () => {
    expect(resolveConfig({})).toEqual({
      mode: "dummy",
      tokenUrl: undefined,
      region: "us-east-1",
      stackName: "token-url-debugger",
      upstreamTimeoutMs: 10_000,
      connectTimeoutMs: 3_000,
      tlsBypass: false,
      logRetentionDays: 3,
      reservedConcurrency: undefined,
      throttleRateLimit: 5,
      throttleBurstLimit: 10,
      stateBackend: undefined,
      localRecordsFile: ".local/token-attempts.jsonl",
      localPort: 8787,
      localAllowedHosts: [],
      debugTtlHours: 24,
      localExpiresAt: undefined,
      notices: [],
    });
  });

  test("GIVEN a TOKEN_URL and no MODE THEN proxy mode", () => {
    const config = resolveConfig({ TOKEN_URL: "https://auth.example.com/oauth/token" });
    expect(config.mode).toBe("proxy");
    expect(config.tokenUrl).toBe("https://auth.example.com/oauth/token");
  });

  test("GIVEN MODE=dummy and a TOKEN_URL THEN dummy mode wins", () => {
    expect(resolveConfig({ MODE: "Dummy", TOKEN_URL: "https://a.example/t" }).mode).toBe("dummy");
  });

  test("GIVEN MODE=dummy and a TOKEN_URL THEN one notice says TOKEN_URL is ignored", () => {
    expect(resolveConfig({ MODE: "dummy", TOKEN_URL: "https://a.example/t" }).notices).toEqual([
      "TOKEN_URL is ignored in dummy mode (MODE=dummy answers every request itself); unset MODE to wrap it.",
    ]);
    expect(resolveConfig({ TOKEN_URL: "https://a.example/t" }).notices).toEqual([]);
  });

  test("GIVEN EXPIRES_IN_OVERRIDE below Amazon's 360 s minimum THEN it is accepted with one warning naming the minimum; 360 and up say nothing", () => {
    const below = resolveConfig({ TOKEN_URL: "https://a.example/t", EXPIRES_IN_OVERRIDE: "120" });
    expect(below.expiresInOverride).toBe(120);
    expect(below.notices).toHaveLength(1);
    expect(below.notices[0]).toMatch(/^warning: EXPIRES_IN_OVERRIDE=120 is below Amazon's minimum access token lifetime of 360 seconds.*use 360 or more\.$/);
    expect(resolveConfig({ TOKEN_URL: "https://a.example/t", EXPIRES_IN_OVERRIDE: "359" }).notices).toHaveLength(1);
    expect(resolveConfig({ TOKEN_URL: "https://a.example/t", EXPIRES_IN_OVERRIDE: "360" }).notices).toEqual([]);
    expect(resolveConfig({ MODE: "dummy", EXPIRES_IN_OVERRIDE: "3600" }).notices).toEqual([]);
  });

  test.each(["http://127.0.0.1:9000/token", "http://localhost:9000/token", "http://[::1]:9000/token"])(
    "GIVEN a plain-http loopback TOKEN_URL (%s) without the opt-in THEN npm start may use it, a deploy may not",
    (tokenUrl) => {
      const config = resolveConfig({ TOKEN_URL: tokenUrl });
      expect(config).toMatchObject({ mode: "proxy", tokenUrl });
      expect(() => checkDeployable(config)).toThrow(
        new ConfigError("TOKEN_URL", `points at this machine (${tokenUrl}), which a deployed Lambda cannot reach; use npm start to test against it, or deploy in front of the real https token URL`),
      );
    },
  );

  test.each([
    "https://0.0.0.0/token",
    "https://[::]/token",
    "https://[::1]/token",
    "https://[0:0:0:0:0:0:0:1]/token",
    "https://[::ffff:127.0.0.1]/token",
    "https://[::ffff:0.0.0.0]/token",
    "https://127.1.2.3/token",
    "https://localhost./token",
    "https://LOCALHOST/token",
    "https://auth.localhost/token",
    "https://2130706433/token",
    "https://0x7f000001/token",
    "https://0177.0.0.1/token",
    "https://127.1/token",
  ])("GIVEN TOKEN_URL %s (a spelling of this machine) THEN a deploy refuses it", (tokenUrl) => {
    expect(() => checkDeployable(resolveConfig({ TOKEN_URL: tokenUrl }))).toThrow(/TOKEN_URL points at this machine/);
  });

  test.each(["https://auth.example.com/token", "https://128.0.0.1/token", "https://[::ffff:8.8.8.8]/token", "https://localhost.example.com/token"])(
    "GIVEN TOKEN_URL %s (another machine) THEN it is deployable",
    (tokenUrl) => {
      expect(() => checkDeployable(resolveConfig({ TOKEN_URL: tokenUrl }))).not.toThrow();
    },
  );

  test.each([
    ["user info", "https://alice:CANARY-pw-1@auth.example.com/token", /must not carry user info/],
    ["a user name alone", "https://CANARY-pw-1@auth.example.com/token", /must not carry user info/],
    ["client_secret", "https://auth.example.com/token?client_secret=CANARY-pw-1", /"client_secret"/],
    ["password", "https://auth.example.com/token?tenant=a&password=CANARY-pw-1", /"password"/],
    ["token", "https://auth.example.com/token?token=CANARY-pw-1", /"token"/],
    ["access_token", "https://auth.example.com/token?access_token=CANARY-pw-1", /"access_token"/],
    ["code", "https://auth.example.com/token?code=CANARY-pw-1", /"code"/],
    ["api_key", "https://auth.example.com/token?api_key=CANARY-pw-1", /"api_key"/],
    ["an upper-case name", "https://auth.example.com/token?Client_Secret=CANARY-pw-1", /"Client_Secret"/],
  ])("GIVEN a TOKEN_URL with %s THEN config is refused in one line that does not repeat the secret", (_shape, tokenUrl, reason) => {
    let message = "";
    try {
      resolveConfig({ TOKEN_URL: tokenUrl });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(reason);
    expect(message).toMatch(/^Invalid configuration: TOKEN_URL /);
    expect(message).not.toContain("\n");
    expect(message).not.toContain("CANARY-pw-1");
  });

  test.each([
    ["abc.ngrok.app", ["abc.ngrok.app"]],
    [" ABC.ngrok.app , tunnel.example.com:8443 ,", ["abc.ngrok.app", "tunnel.example.com:8443"]],
    ["*", ["*"]],
    ["[::1]:8787", ["[::1]:8787"]],
  ])("GIVEN ALLOWED_HOSTS %j THEN npm start accepts the hosts %j", (raw, hosts) => {
    expect(resolveConfig({ ALLOWED_HOSTS: raw }).localAllowedHosts).toEqual(hosts);
  });

  test.each(["not a host!", "https://abc.ngrok.app", "abc.ngrok.app/path", "user@abc.ngrok.app"])(
    "GIVEN ALLOWED_HOSTS with %j THEN it is refused in one line",
    (raw) => {
      expect(() => resolveConfig({ ALLOWED_HOSTS: raw })).toThrow(/^Invalid configuration: ALLOWED_HOSTS must be host names/);
    },
  );

  test("GIVEN a TOKEN_URL with a harmless query THEN it is accepted", () => {
    expect(resolveConfig({ TOKEN_URL: "https://auth.example.com/token?tenant=acme&realm=alexa" }).tokenUrl).toBe(
      "https://auth.example.com/token?tenant=acme&realm=alexa",
    );
  });

  test("GIVEN an https TOKEN_URL or dummy mode THEN it is deployable", () => {
    expect(() => checkDeployable(resolveConfig({ TOKEN_URL: "https://a.example/t" }))).not.toThrow();
    expect(() => checkDeployable(resolveConfig({ MODE: "dummy", TOKEN_URL: "http://127.0.0.1:1/t" }))).not.toThrow();
  });

  test("GIVEN a plain-http TOKEN_URL with the opt-in THEN it is accepted", () => {
    const config = resolveConfig({ TOKEN_URL: "http://127.0.0.1:9000/token", ALLOW_HTTP_TOKEN_URL: "true" });
    expect(config.tokenUrl).toBe("http://127.0.0.1:9000/token");
  });

  test("GIVEN every option set THEN each lands in the config", () => {
    const config = resolveConfig({
      MODE: "proxy",
      TOKEN_URL: "https://a.example/t",
      AWS_REGION: "eu-west-1",
      STACK_NAME: "my-skill-debug",
      UPSTREAM_TIMEOUT_MS: "5000",
      CONNECT_TIMEOUT_MS: "1000",
      TLS_BYPASS: "yes",
      LOG_RETENTION_DAYS: "14",
      RESERVED_CONCURRENCY: "2",
      THROTTLE_RATE_LIMIT: "3",
      THROTTLE_BURST_LIMIT: "6",
      STATE_BUCKET: "team-state",
      EXPIRES_IN_OVERRIDE: "120",
    });
    expect(config).toMatchObject({
      expiresInOverride: 120,
      region: "eu-west-1",
      stackName: "my-skill-debug",
      upstreamTimeoutMs: 5000,
      connectTimeoutMs: 1000,
      tlsBypass: true,
      logRetentionDays: 14,
      reservedConcurrency: 2,
      throttleRateLimit: 3,
      throttleBurstLimit: 6,
      stateBackend: { bucket: "team-state", key: "my-skill-debug/terraform.tfstate", region: "eu-west-1" },
    });
  });

  test.each([
    ["1", 1],
    ["720", 720],
    ["0", 0],
    [" 48 ", 48],
  ])("GIVEN DEBUG_TTL_HOURS=%j THEN the TTL is %d hours (0: never, said explicitly)", (raw, hours) => {
    expect(resolveConfig({ DEBUG_TTL_HOURS: raw }).debugTtlHours).toBe(hours);
  });

  test("GIVEN DEBUGGER_EXPIRES_AT with an offset THEN npm start gets it as UTC", () => {
    expect(resolveConfig({ DEBUGGER_EXPIRES_AT: "2026-12-02T23:00:00+02:00" }).localExpiresAt).toBe("2026-12-02T21:00:00.000Z");
  });

  const invalid: [string, ConfigSource, string][] = [
    ["an unknown mode", { MODE: "wrapper" }, 'Invalid configuration: MODE must be "dummy" or "proxy", got "wrapper"'],
    ["proxy without a token URL", { MODE: "proxy" }, "Invalid configuration: TOKEN_URL is required when MODE=proxy"],
    ["a token URL that is not a URL", { TOKEN_URL: "auth.example.com/token" }, 'Invalid configuration: TOKEN_URL is not a valid URL: "auth.example.com/token"'],
    ["a plain-http token URL", { TOKEN_URL: "http://auth.example.com/token" }, "Invalid configuration: TOKEN_URL must use https (Alexa only calls https token URLs)"],
    ["an ftp token URL even with the http opt-in", { TOKEN_URL: "ftp://a.example/t", ALLOW_HTTP_TOKEN_URL: "true" }, 'Invalid configuration: TOKEN_URL must be an https URL, got "ftp://a.example/t"'],
    ["a bad http opt-in", { TOKEN_URL: "http://a.example/t", ALLOW_HTTP_TOKEN_URL: "sure" }, 'Invalid configuration: ALLOW_HTTP_TOKEN_URL must be true or false, got "sure"'],
    ["a region with a typo", { AWS_REGION: "us-east1" }, 'Invalid configuration: AWS_REGION is not an AWS region name (like us-east-1), got "us-east1"'],
    ["an upper-case region", { AWS_REGION: "US-EAST-1" }, "Invalid configuration: AWS_REGION is not an AWS region name"],
    ["a stack name with an underscore", { STACK_NAME: "my_stack" }, "Invalid configuration: STACK_NAME must be 1-40 letters, digits or hyphens"],
    ["a stack name too long for resource names", { STACK_NAME: "a".repeat(41) }, "Invalid configuration: STACK_NAME must be 1-40"],
    ["a timeout that is not a number", { UPSTREAM_TIMEOUT_MS: "10s" }, 'Invalid configuration: UPSTREAM_TIMEOUT_MS must be a whole number, got "10s"'],
    ["a timeout beyond API Gateway's limit", { UPSTREAM_TIMEOUT_MS: "30000" }, "Invalid configuration: UPSTREAM_TIMEOUT_MS must be between 100 and 25000, got 30000"],
    ["a connect timeout above the upstream timeout", { UPSTREAM_TIMEOUT_MS: "2000", CONNECT_TIMEOUT_MS: "5000" }, "Invalid configuration: CONNECT_TIMEOUT_MS must be between 100 and 2000, got 5000"],
    ["a bad TLS bypass flag", { TLS_BYPASS: "maybe" }, 'Invalid configuration: TLS_BYPASS must be true or false, got "maybe"'],
    ["a retention CloudWatch does not offer", { LOG_RETENTION_DAYS: "2" }, "Invalid configuration: LOG_RETENTION_DAYS must be one of 1, 3, 5, 7"],
    ["a zero reserved concurrency", { RESERVED_CONCURRENCY: "0" }, "Invalid configuration: RESERVED_CONCURRENCY must be between 1 and 1000, got 0"],
    ["a negative rate limit", { THROTTLE_RATE_LIMIT: "-1" }, 'Invalid configuration: THROTTLE_RATE_LIMIT must be a whole number, got "-1"'],
    ["a port out of range", { PORT: "70000" }, "Invalid configuration: PORT must be between 0 and 65535, got 70000"],
    ["a TTL above 30 days", { DEBUG_TTL_HOURS: "721" }, 'Invalid configuration: DEBUG_TTL_HOURS must be a whole number of hours from 1 to 720, or 0 for never, got "721"'],
    ["a negative TTL", { DEBUG_TTL_HOURS: "-1" }, 'Invalid configuration: DEBUG_TTL_HOURS must be a whole number of hours from 1 to 720, or 0 for never, got "-1"'],
    ["a fractional TTL", { DEBUG_TTL_HOURS: "1.5" }, 'Invalid configuration: DEBUG_TTL_HOURS must be a whole number of hours from 1 to 720, or 0 for never, got "1.5"'],
    ["a TTL with a unit", { DEBUG_TTL_HOURS: "24h" }, 'Invalid configuration: DEBUG_TTL_HOURS must be a whole number of hours from 1 to 720, or 0 for never, got "24h"'],
    ["a TTL that is a word", { DEBUG_TTL_HOURS: "never" }, 'Invalid configuration: DEBUG_TTL_HOURS must be a whole number of hours from 1 to 720, or 0 for never, got "never"'],
    ["an expiry without a time zone", { DEBUGGER_EXPIRES_AT: "2026-12-02T21:00:00" }, 'Invalid configuration: DEBUGGER_EXPIRES_AT must be an ISO 8601 time with a zone, like 2026-12-02T21:00:00Z, got "2026-12-02T21:00:00"'],
    ["an expiry that is no date", { DEBUGGER_EXPIRES_AT: "2026-13-45T99:00:00Z" }, "Invalid configuration: DEBUGGER_EXPIRES_AT must be an ISO 8601 time with a zone"],
    ["a zero burst limit", { THROTTLE_BURST_LIMIT: "0" }, "Invalid configuration: THROTTLE_BURST_LIMIT must be between 1 and 5000, got 0"],
    ["an expires_in override below a minute", { EXPIRES_IN_OVERRIDE: "30" }, "Invalid configuration: EXPIRES_IN_OVERRIDE must be between 60 and 86400, got 30"],
    ["an expires_in override above a day", { EXPIRES_IN_OVERRIDE: "90000" }, "Invalid configuration: EXPIRES_IN_OVERRIDE must be between 60 and 86400, got 90000"],
    ["an expires_in override with a unit", { EXPIRES_IN_OVERRIDE: "2m" }, 'Invalid configuration: EXPIRES_IN_OVERRIDE must be a whole number, got "2m"'],
    ["a state key without a bucket", { STATE_KEY: "x/terraform.tfstate" }, "Invalid configuration: STATE_KEY needs STATE_BUCKET"],
    ["a state region without a bucket", { STATE_REGION: "eu-west-1" }, "Invalid configuration: STATE_REGION needs STATE_BUCKET"],
    ["an invalid bucket name", { STATE_BUCKET: "Team_State" }, 'Invalid configuration: STATE_BUCKET is not a valid S3 bucket name, got "Team_State"'],
    ["an invalid state region", { STATE_BUCKET: "team-state", STATE_REGION: "europe" }, "Invalid configuration: STATE_REGION is not an AWS region name"],
  ];

  test.each(invalid)("GIVEN %s THEN one line naming the variable", (_name, source, message) => {
    let thrown: unknown;
    try {
      resolveConfig(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const text = (thrown as Error).message;
    expect(text.startsWith(message)).toBe(true);
    expect(text).not.toContain("\n");
  });
});

describe("loadConfig", () => {
  function projectWithContext(context: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), "config-"));
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ app: "x", context }));
    return dir;
  }

  test("GIVEN cdktf.json context THEN it is used", () => {
    const dir = projectWithContext({ MODE: "proxy", TOKEN_URL: "https://ctx.example/t", LOG_RETENTION_DAYS: 7 });
    expect(loadConfig({}, dir)).toMatchObject({ mode: "proxy", tokenUrl: "https://ctx.example/t", logRetentionDays: 7 });
  });

  test("GIVEN both THEN environment variables win over the context", () => {
    const dir = projectWithContext({ MODE: "proxy", TOKEN_URL: "https://ctx.example/t" });
    expect(loadConfig({ MODE: "dummy", STACK_NAME: "from-env" }, dir)).toMatchObject({
      mode: "dummy",
      stackName: "from-env",
    });
  });

  test("GIVEN an empty variable THEN it counts as unset", () => {
    expect(loadConfig({ TOKEN_URL: "", MODE: " " }, projectWithContext({})).mode).toBe("dummy");
  });
});

describe("functionEnvironment and the Lambda's settings", () => {
  test("GIVEN EXPIRES_IN_OVERRIDE THEN the function reads the same number; unset THEN it is off", () => {
    const on = readSettings(functionEnvironment(resolveConfig({ TOKEN_URL: "https://a.example/t", EXPIRES_IN_OVERRIDE: "120" })));
    expect(on.expiresInOverride).toBe(120);
    const offEnvironment = functionEnvironment(resolveConfig({ TOKEN_URL: "https://a.example/t" }));
    expect(offEnvironment).not.toHaveProperty("EXPIRES_IN_OVERRIDE");
    expect(readSettings(offEnvironment).expiresInOverride).toBeUndefined();
  });
});

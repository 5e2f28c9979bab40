import { UsageError } from "../../../scripts/cli/usage-error";
import { formatAge, parseAge, parseLogsOptions } from "../../../scripts/logs/logs-options";

describe("npm run logs options", () => {
  test("GIVEN no options THEN the latest attempt of the last day, pretty, colors by terminal", () => {
    expect(parseLogsOptions([])).toEqual({
      sinceMs: 86_400_000,
      limit: 1,
      follow: false,
      timeline: false,
      attemptId: undefined,
      json: false,
      local: false,
      region: undefined,
      profile: undefined,
      logGroup: undefined,
      color: undefined,
      waitMs: 5_000,
      help: false,
    });
  });

  test("GIVEN every option THEN each lands", () => {
    const options = parseLogsOptions([
      "--since", "30m", "--limit", "5", "--follow", "--request-id", "abc-123", "--json", "--local",
      "--region", "eu-west-1", "--profile", "dev", "--log-group", "/aws/lambda/x", "--no-color", "--wait", "0",
    ]);
    expect(options).toMatchObject({
      sinceMs: 1_800_000, limit: 5, follow: true, attemptId: "abc-123", json: true, local: true,
      region: "eu-west-1", profile: "dev", logGroup: "/aws/lambda/x", color: false, waitMs: 0,
    });
  });

  test.each([
    [["--since", "yesterday"], '--since must look like 90s, 30m, 6h or 7d, got "yesterday"'],
    [["--since", "0m"], "--since must look like"],
    [["--limit", "0"], '--limit must be a whole number from 1 to 1000, got "0"'],
    [["--limit", "many"], "--limit must be a whole number"],
    [["--wait=-1"], "--wait must be 0 to 300 seconds"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["stray"], "Unexpected argument 'stray'"],
  ])("GIVEN %j THEN a usage error: %s", (argv, message) => {
    expect(() => parseLogsOptions(argv)).toThrow(UsageError);
    expect(() => parseLogsOptions(argv)).toThrow(message);
  });

  test("ages round-trip between text and ms", () => {
    for (const text of ["90s", "30m", "6h", "7d"]) expect(formatAge(parseAge(text))).toBe(text);
  });

  test("GIVEN --timeline with the window, source and format options THEN each lands", () => {
    expect(parseLogsOptions(["--timeline", "--since", "7d", "--local", "--json", "--log-group", "/aws/lambda/x", "--region", "eu-west-1"])).toMatchObject({
      timeline: true, sinceMs: 7 * 86_400_000, local: true, json: true, logGroup: "/aws/lambda/x", region: "eu-west-1",
    });
  });

  test.each([["--limit", "3"], ["--follow"], ["--request-id", "abc"]])("GIVEN --timeline with %s THEN a usage error naming it", (...args) => {
    expect(() => parseLogsOptions(["--timeline", ...args])).toThrow(new UsageError(`--timeline shows every attempt in the window; it does not combine with ${args[0]}`));
  });
});

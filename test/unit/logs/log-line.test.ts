import { describeAwsError } from "../../../scripts/logs/aws-errors";
import { parseLogLine } from "../../../scripts/logs/log-line";
import { lambdaInvocationLines, reportLine, sampleAttemptRecord } from "../../support/lambda-log-events";

const TIME = new Date("2026-11-24T19:00:00.123Z");
const record = sampleAttemptRecord({ attemptId: "api-gw-1" });

describe("parseLogLine", () => {
  test.each(["text", "json"] as const)("GIVEN a %s-format invocation THEN the record and the REPORT are read, the rest ignored", (format) => {
    const lines = lambdaInvocationLines({
      requestId: "lambda-1",
      time: TIME,
      record,
      format,
      coldStartMs: 180.12,
      extraLines: ["(node:8) Warning: unrelated", { level: "ERROR", message: "token-attempt is a word here" }],
    }).map((event) => parseLogLine(event.message));
    expect(lines.filter((line) => line.kind === "attempt")).toEqual([{ kind: "attempt", record, lambdaRequestId: "lambda-1" }]);
    expect(lines.filter((line) => line.kind === "report")).toEqual([
      {
        kind: "report",
        lambdaRequestId: "lambda-1",
        report: { durationMs: 12.34, billedDurationMs: 13, memorySizeMb: 256, maxMemoryUsedMb: 71, initDurationMs: 180.12 },
      },
    ]);
  });

  test("GIVEN a JSON-format record logged as an object THEN it is read too", () => {
    const [, line] = lambdaInvocationLines({ requestId: "lambda-2", time: TIME, record, format: "json", jsonMessage: "object" });
    expect(parseLogLine(line.message)).toMatchObject({ kind: "attempt", record: { attemptId: "api-gw-1" } });
  });

  test("GIVEN a bare record (the local runtime's file) THEN it is read with no Lambda id", () => {
    expect(parseLogLine(JSON.stringify(record))).toEqual({ kind: "attempt", record, lambdaRequestId: null });
  });

  test("GIVEN a warm REPORT line THEN no cold start", () => {
    const line = parseLogLine(reportLine("text", "lambda-3", TIME, { durationMs: 5, billedDurationMs: 5, memorySizeMb: 256, maxMemoryUsedMb: 70 }));
    expect(line).toMatchObject({ kind: "report", report: { durationMs: 5, initDurationMs: undefined } });
  });

  test.each([
    "",
    "not json {",
    '{"type":"something-else"}',
    '{"message":"{\\"type\\":\\"other\\"}"}',
  ])("GIVEN %j THEN other", (message) => {
    expect(parseLogLine(message)).toEqual({ kind: "other" });
  });

  // A record that is there but cannot be read is counted by logs, not passed over in silence.
  test("GIVEN a torn record THEN unreadable", () => {
    expect(parseLogLine("2026-11-24T19:00:00.000Z\tlambda-1\tINFO\t{\"type\":\"token-attempt\"")).toEqual({ kind: "unreadable" });
  });
});

describe("describeAwsError", () => {
  const where = { region: "eu-west-1", logGroup: "/aws/lambda/x-token-url" };
  const named = (name: string) => Object.assign(new Error("sdk message"), { name });

  test.each([
    ["CredentialsProviderError", "No AWS credentials found"],
    ["ExpiredTokenException", "AWS rejected the credentials"],
    ["ResourceNotFoundException", "Log group /aws/lambda/x-token-url not found in eu-west-1"],
    ["AccessDeniedException", "logs:FilterLogEvents on arn:aws:logs:eu-west-1:<account>:log-group:/aws/lambda/x-token-url:*"],
    ["ThrottlingException", "throttling requests even after retries"],
    ["SomethingNew", "failed: SomethingNew: sdk message"],
  ])("GIVEN %s THEN one line: %s", (name, text) => {
    const message = describeAwsError(named(name), where);
    expect(message).toContain(text);
    expect(message).not.toContain("\n");
  });
});

import { ALEXA_DEADLINE_MS, deadlineFindings } from "../../../functions/token-url/diagnosis/deadline-rules";
import { alexaWaitOf, UpstreamExchange } from "../../../functions/token-url/diagnosis/exchange";
import { aContext, aFailure, anExchange, codesAndSeverities, codesOf } from "./builders";

/** A complete answer whose server thought for all but 40 ms of `totalMs`. */
const answeredAfter = (totalMs: number): UpstreamExchange =>
  anExchange({ timings: { dnsMs: 2, connectMs: 10, tlsMs: 20, ttfbMs: totalMs - 40, totalMs } });

/** As the probe judges it: Alexa's wait is the exchange itself. */
const asProbe = (upstream: UpstreamExchange) => deadlineFindings(upstream, alexaWaitOf(upstream, {}), aContext({ mode: "probe" }));

/** As the wrapper judges it: Alexa waited `waitedMs` from API Gateway's receipt to the answer. */
const asWrapper = (upstream: UpstreamExchange | null, waitedMs: number) =>
  deadlineFindings(upstream, alexaWaitOf(upstream, { alexaWaitedMs: waitedMs }), aContext());

describe("deadlineFindings: Alexa's 4.5 s deadline", () => {
  test("the deadline is Amazon's documented 4.5 s", () => {
    expect(ALEXA_DEADLINE_MS).toBe(4_500);
  });

  describe("GIVEN the probe (Alexa's wait is the exchange)", () => {
    test("WHEN the answer took 100 ms THEN nothing", () => {
      expect(asProbe(answeredAfter(100))).toEqual([]);
    });

    test("WHEN it took exactly 3000 ms THEN nothing (the warning starts above the threshold)", () => {
      expect(asProbe(answeredAfter(3_000))).toEqual([]);
    });

    test("WHEN it took 3600 ms THEN SLOW_RESPONSE naming the deadline, the share used and where the time went", () => {
      const findings = asProbe(answeredAfter(3_600));
      expect(codesAndSeverities(findings)).toEqual(["SLOW_RESPONSE:warning"]);
      expect(findings[0].message).toContain("after 3600 ms");
      expect(findings[0].message).toContain("first byte 3560 ms");
      expect(findings[0].message).toContain("Alexa's 4.5 s deadline");
      expect(findings[0].message).toContain("80% of it");
      expect(findings[0].message).toContain("900 ms short of linking failing");
    });

    test("WHEN it took exactly 4500 ms THEN still inside the deadline: SLOW_RESPONSE", () => {
      expect(codesOf(asProbe(answeredAfter(4_500)))).toEqual(["SLOW_RESPONSE"]);
    });

    test("WHEN it took 4800 ms THEN ALEXA_TIMEOUT (error) quoting Amazon, and no SLOW_RESPONSE", () => {
      const findings = asProbe(answeredAfter(4_800));
      expect(codesAndSeverities(findings)).toEqual(["ALEXA_TIMEOUT:error"]);
      expect(findings[0].message).toContain("answered after 4800 ms");
      expect(findings[0].message).toContain("must respond to the token request within 4.5 seconds");
      expect(findings[0].message).not.toContain("debugger");
    });

    test("WHEN the exchange failed after 10 s THEN only the failure's own finding, not the deadline's", () => {
      const failed = aFailure("RESPONSE_TIMEOUT", "no answer", {
        timings: { dnsMs: 1, connectMs: 1, tlsMs: 1, ttfbMs: null, totalMs: 10_000 },
      });
      expect(asProbe(failed)).toEqual([]);
    });

    test("WHEN the body broke off after its status THEN nothing here either", () => {
      const cut = anExchange({ error: { code: "ECONNRESET", message: "aborted" }, timings: answeredAfter(5_000).timings });
      expect(asProbe(cut)).toEqual([]);
    });
  });

  describe("GIVEN the wrapper (Alexa's wait includes API Gateway and the Lambda)", () => {
    test("WHEN the debugger's overhead pushes a 4.3 s upstream past the deadline THEN ALEXA_TIMEOUT saying the server alone was inside it, with little margin", () => {
      const findings = asWrapper(answeredAfter(4_300), 4_712);
      expect(codesAndSeverities(findings)).toEqual(["ALEXA_TIMEOUT:error"]);
      const { message } = findings[0];
      expect(message).toContain("Alexa waited 4712 ms");
      expect(message).toContain("answered in 4300 ms");
      expect(message).toContain("the debugger (cold start included) added 412 ms");
      expect(message).toContain("Without the debugger the server may pass, but with only 200 ms to spare");
    });

    test("WHEN the upstream alone took 4.8 s THEN ALEXA_TIMEOUT blaming the server, with the debugger's share", () => {
      const findings = asWrapper(answeredAfter(4_800), 4_830);
      expect(codesOf(findings)).toEqual(["ALEXA_TIMEOUT"]);
      expect(findings[0].message).toContain("answered after 4800 ms");
      expect(findings[0].message).toContain("Alexa waited 4830 ms in all, the debugger's 30 ms included");
    });

    test("WHEN 3.6 s of upstream and 50 ms of debugger THEN SLOW_RESPONSE with both shares", () => {
      const findings = asWrapper(answeredAfter(3_600), 3_650);
      expect(codesOf(findings)).toEqual(["SLOW_RESPONSE"]);
      expect(findings[0].message).toContain("the token URL took 3600 ms and the debugger 50 ms");
    });

    test("WHEN the clocks disagree and the wait reads shorter than the upstream THEN the debugger's share is 0, not negative", () => {
      const findings = asWrapper(answeredAfter(3_600), 3_590);
      expect(findings[0].message).not.toContain("debugger");
    });

    test("WHEN the dummy answered after a 5 s cold start THEN ALEXA_TIMEOUT on the debugger itself", () => {
      const findings = asWrapper(null, 5_000);
      expect(codesOf(findings)).toEqual(["ALEXA_TIMEOUT"]);
      expect(findings[0].message).toContain("Alexa waited 5000 ms for the dummy token");
    });

    test("WHEN the dummy answered in 3 ms THEN nothing", () => {
      expect(asWrapper(null, 3)).toEqual([]);
    });
  });
});

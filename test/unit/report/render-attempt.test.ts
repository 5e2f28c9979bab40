/**
 * The terminal report, on real attempt records (fixtures/generate.ts): what each section
 * shows and when, that it fits the width, that color is all or nothing, and that no secret
 * the request carried can come back through it.
 */
import { AttemptRecord } from "../../../functions/token-url/attempt-record";
import { Finding } from "../../../functions/token-url/diagnosis/finding";
import { LambdaReport, renderAttempt } from "../../../scripts/report/render-attempt";
import { WARNING_HEADLINE_ORDER } from "../../../scripts/report/verdict";
import { CANARIES } from "./fixtures/canaries";
import { allFixtures, fixture } from "./fixtures";

const ESC = "\u001b";
const plainText = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
const columns = (line: string) => [...plainText(line)].length;
const render = (record: AttemptRecord, options: Partial<Parameters<typeof renderAttempt>[1]> = {}) =>
  renderAttempt(record, { color: false, ...options });
const SECTIONS = ["Request", "Upstream", "Timing", "TLS", "Lambda", "Findings"];
const sectionsOf = (text: string) => text.split("\n").filter((line) => SECTIONS.includes(line));
/** The lines of one section, from its heading to the blank line after it. */
const section = (text: string, title: string) => {
  const lines = text.split("\n");
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const end = lines.indexOf("", start);
  return lines.slice(start, end < 0 ? undefined : end);
};
const LAMBDA: LambdaReport = { durationMs: 84.23, billedDurationMs: 85, memorySizeMb: 128, maxMemoryUsedMb: 72, initDurationMs: 245.1 };
const RANK: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };

const fixtures = allFixtures();

describe("renderAttempt on every fixture", () => {
  test("GIVEN the fixtures THEN they cover every kind of record the brief names", () => {
    const records = fixtures.map(({ record }) => record);
    expect(records.some((record) => record.mode === "dummy" && record.verdict === "pass")).toBe(true);
    expect(records.some((record) => record.mode === "proxy" && record.verdict === "pass")).toBe(true);
    expect(records.some((record) => record.verdict === "warn" && record.findings.every((finding) => finding.severity !== "error"))).toBe(true);
    const codes = new Set(records.flatMap((record) => record.findings.map((finding) => finding.code)));
    for (const code of ["TLS_INCOMPLETE_CHAIN", "TLS_CERT_EXPIRED", "CLIENT_AUTH_REJECTED", "HTTP_FORBIDDEN", "BODY_NOT_JSON", "CONNECTION_REFUSED", "RESPONSE_TIMEOUT"]) {
      expect(codes).toContain(code);
    }
  });

  describe.each(fixtures)("GIVEN the $name record", ({ record }) => {
    test.each([80, 100])("WHEN rendered at width %i, with and without color THEN no line is wider", (width) => {
      for (const color of [false, true]) {
        const lines = renderAttempt(record, { color, width, lambdaReport: LAMBDA }).split("\n");
        expect(lines.filter((line) => columns(line) > width).map(plainText)).toEqual([]);
      }
    });

    test("WHEN rendered without color THEN there is no escape character at all", () => {
      expect(render(record, { lambdaReport: LAMBDA })).not.toContain(ESC);
    });

    test("WHEN rendered with color THEN it is painted, and reads the same once the paint is removed", () => {
      const painted = render(record, { color: true, lambdaReport: LAMBDA });
      expect(painted).toContain(ESC);
      expect(plainText(painted)).toBe(render(record, { lambdaReport: LAMBDA }));
    });

    test("WHEN rendered THEN no secret the request carried appears, in clear or in part", () => {
      for (const color of [false, true]) {
        const text = render(record, { color, width: 200 });
        for (const canary of CANARIES) expect(text).not.toContain(canary);
        expect(text).not.toMatch(/CANARY/);
      }
    });

    test("WHEN rendered THEN the findings are listed errors first, then warnings, then info, each with its fix", () => {
      const listed = section(render(record), "Findings")
        .map((line) => /^  [✗!i] ([A-Z0-9_]+) \((error|warning|info)\)$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map(([, code, severity]) => ({ code, severity: severity as Finding["severity"] }));
      expect(listed.map((item) => item.code).sort()).toEqual(record.findings.map((finding) => finding.code).sort());
      const ranks = listed.map((item) => RANK[item.severity]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(section(render(record), "Findings").filter((line) => line.startsWith("    fix: "))).toHaveLength(record.findings.length);
    });

    test("WHEN rendered THEN the first line gives the verdict and names the leading finding", () => {
      const [verdict] = render(record, { width: 200 }).split("\n");
      const firstError = record.findings.find((finding) => finding.severity === "error");
      // The warning WARNING_HEADLINE_ORDER ranks highest (unlisted ones last), the record's order among equals.
      const rank = (finding: Finding) => {
        const index = WARNING_HEADLINE_ORDER.indexOf(finding.code);
        return index === -1 ? Infinity : index;
      };
      const firstWarning = record.findings
        .filter((finding) => finding.severity === "warning")
        .reduce<Finding | undefined>((best, finding) => (best && rank(best) <= rank(finding) ? best : finding), undefined);
      const expected = { pass: "✓ PASS  ", warn: "! WARN  ", fail: "✗ FAIL  " }[record.verdict];
      expect(verdict.startsWith(expected)).toBe(true);
      // A refresh belongs to a link that exists already: its failure breaks that link, it does not stop linking.
      const claim = record.request.grantType === "refresh_token"
        ? "An existing link breaks at its next refresh, and Alexa sends the user a card to link again:"
        : "Alexa cannot link:";
      if (firstError) expect(verdict).toMatch(new RegExp(`^✗ FAIL  ${claim} .*\\(${firstError.code}\\)$`));
      else if (firstWarning) expect(verdict).toContain(`(${firstWarning.code})`);
    });

    test("WHEN rendered THEN the sections come in order, and only those the record has data for", () => {
      const expected = [
        "Request",
        ...(record.upstream ? ["Upstream"] : []),
        ...(record.upstream || record.deadline ? ["Timing"] : []),
        ...(record.upstream?.tls ? ["TLS"] : []),
        "Findings",
      ];
      expect(sectionsOf(render(record))).toEqual(expected);
    });
  });
});

describe("the verdict line", () => {
  test("GIVEN the dummy answered THEN the verdict says the token came from the dummy", () => {
    expect(render(fixture("dummy-pass")).split("\n")[0]).toBe(
      "✓ PASS  Alexa got a valid token response from the dummy, not from your token URL",
    );
  });

  test("GIVEN a healthy token URL THEN the verdict gives the status and the total time", () => {
    const record = fixture("proxy-pass");
    expect(render(record).split("\n")[0]).toBe(`✓ PASS  Alexa got a valid token response (200, ${record.upstream!.timings.totalMs} ms)`);
  });

  test("GIVEN an incomplete chain THEN the verdict says why in words, with the code", () => {
    expect(render(fixture("tls-incomplete-chain"), { width: 120 }).split("\n")[0]).toBe(
      "✗ FAIL  Alexa cannot link: the token URL does not send its intermediate certificate (TLS_INCOMPLETE_CHAIN)",
    );
  });

  test("GIVEN a verdict longer than the width THEN it wraps under its own text, not under the mark", () => {
    const [first, second] = render(fixture("tls-incomplete-chain")).split("\n");
    expect(first.startsWith("✗ FAIL  Alexa cannot link:")).toBe(true);
    expect(second).toMatch(/^ {8}\S.*\(TLS_INCOMPLETE_CHAIN\)$/);
  });

  test("GIVEN a fail THEN the fix follows the verdict at once, before the time line and every section", () => {
    const record = fixture("tls-incomplete-chain");
    const lines = render(record, { width: 80 }).split("\n");
    const verdictEnd = lines.findIndex((line) => line.endsWith("(TLS_INCOMPLETE_CHAIN)"));
    expect(lines[verdictEnd + 1]).toMatch(/^  fix: {2}Configure the server with the full chain/);
    const fix = record.findings.find((finding) => finding.code === "TLS_INCOMPLETE_CHAIN")!.fix;
    const fixLines = lines.slice(verdictEnd + 1, lines.findIndex((line) => line.includes(record.attemptId)));
    expect(fixLines.map((line) => line.trim().replace(/^fix:\s+/, "")).join(" ")).toBe(fix);
    for (const line of fixLines.slice(1)) expect(line).toMatch(/^ {8}\S/);
  });

  test("GIVEN a fail with two errors THEN both fixes follow the verdict, the second with its code", () => {
    const record = fixture("body-html-200");
    const head = render(record, { width: 200 }).split("\n").slice(0, 4);
    const [first, second] = record.findings.filter((finding) => finding.severity === "error");
    expect(head[1]).toBe(`  fix:  ${first.fix}`);
    expect(head[2]).toBe(`  also: ${second.code}: ${second.fix}`);
    expect(head[3]).toContain(record.attemptId);
  });

  test("GIVEN a pass THEN no fix line: the time comes right after the verdict", () => {
    const record = fixture("proxy-pass");
    expect(render(record).split("\n")[1]).toContain(record.attemptId);
  });

  test("GIVEN a TLS failure THEN the Upstream error carries the finding's code, not a second label", () => {
    const upstream = section(render(fixture("tls-incomplete-chain"), { width: 200 }), "Upstream").join("\n");
    expect(upstream).toContain("TLS_INCOMPLETE_CHAIN: certificate rejected");
    expect(upstream).not.toContain("TLS_VERIFY_FAILED");
  });

  test("GIVEN an authorization URI check THEN its TLS facts include the chain's length, as the token URL's do", () => {
    const lines = render(fixture("probe-authorize-fe-rejected"), { width: 120 }).split("\n");
    const start = lines.indexOf("Authorization URI");
    expect(lines.slice(start).find((line) => line.startsWith("  chain "))).toMatch(/chain +3 certificates, leaf first/);
  });

  test("GIVEN any record THEN the line after the verdict has the time in UTC and the attempt id", () => {
    const record = fixture("oauth-invalid-client-401");
    const when = render(record).split("\n").find((line) => line.includes(record.attemptId));
    expect(when).toBe(`${record.time.slice(0, 19).replace("T", " ")} UTC  proxy  attempt ${record.attemptId}`);
  });
});

describe("the Request section", () => {
  test("GIVEN HTTP Basic from the EU THEN it names the console's scheme and Alexa's region, and shows the redacted values as recorded", () => {
    const record = fixture("proxy-pass");
    const lines = section(render(record, { width: 120 }), "Request");
    expect(lines).toContain('  client auth    "HTTP Basic" (Authorization header)');
    expect(lines).toContain("  Alexa region   Europe (layla.amazon.com)");
    expect(lines).toContain(`  authorization  ${record.request.headers.authorization}`);
    expect(lines).toContain(`                 code=${record.request.fields.code}`);
    expect(lines).toContain("  grant type     authorization_code");
    expect(lines).toContain("  source IP      52.94.236.248");
    expect(lines).toContain("  content type   application/x-www-form-urlencoded;charset=UTF-8");
  });

  test("GIVEN credentials in the body THEN it says so in the console's words", () => {
    const text = render(fixture("refresh-invalid-grant-body-auth"), { width: 120 });
    expect(text).toContain('client auth    "Credentials in request body"');
    expect(text).toContain("grant type     refresh_token");
    expect(text).not.toContain("Alexa region"); // a refresh sends no redirect_uri
  });

  test("GIVEN credentials in header and body THEN it says both", () => {
    expect(render(fixture("canary-echo-both-auth"), { width: 120 })).toContain(
      'client auth    both "HTTP Basic" header and "Credentials in request body"',
    );
  });

  test("GIVEN a redirect_uri on another region's host THEN the region follows it", () => {
    const record = fixture("proxy-pass");
    const farEast = {
      ...record,
      request: { ...record.request, fields: { ...record.request.fields, redirect_uri: "https://alexa.amazon.co.jp/api/skill/link/M2X" } },
    };
    expect(render(farEast)).toContain("  Alexa region   Far East (alexa.amazon.co.jp)");
  });
});

describe("the Upstream section", () => {
  test("GIVEN a 401 THEN it shows the status with its reason, WWW-Authenticate and the body, and names the headers left out", () => {
    const lines = section(render(fixture("oauth-invalid-client-401")), "Upstream");
    expect(lines).toContain("  status         401 Unauthorized");
    expect(lines).toContain('                 www-authenticate: Basic realm="oauth"');
    expect(lines).toContain('    | {"error":"invalid_client"}');
    expect(lines).toContain("                 (+3 more: date, connection, transfer-encoding)");
  });

  test("GIVEN a WAF's 403 page THEN its CDN headers are shown and a long body is cut at 20 lines with how much is left", () => {
    const record = fixture("http-forbidden-waf-403");
    const lines = section(render(record), "Upstream");
    expect(lines).toContain("                 server: cloudflare");
    expect(lines).toContain("                 cf-ray: 8a1b2c3d4e5f-FRA");
    const body = lines.filter((line) => line.startsWith("    |"));
    expect(body).toHaveLength(20);
    const shown = body.map((line) => line.replace(/^ {4}\| ?/, "")).join("\n");
    const note = lines.find((line) => line.includes("more characters"));
    expect(note).toMatch(/^ {4}… \d+ more characters/);
    expect(Number(/(\d+) more/.exec(note!)![1])).toBe(record.upstream!.body.length - shown.length - 1);
  });

  test("GIVEN a refused connection THEN the transport error is shown, and no headers or body rows", () => {
    const lines = section(render(fixture("transport-refused")), "Upstream");
    expect(lines).toContain("  status         no answer");
    expect(lines.some((line) => line.startsWith("  error          ECONNREFUSED: connect ECONNREFUSED"))).toBe(true);
    expect(lines).toContain("  to Alexa       502, application/json;charset=UTF-8");
    expect(lines.some((line) => line.startsWith("  headers") || line.startsWith("  body"))).toBe(false);
  });

  test("GIVEN a body holding terminal escapes and bidi overrides THEN they are shown as escapes, never sent to the terminal", () => {
    const record = fixture("body-html-200");
    const hostile = {
      ...record,
      upstream: { ...record.upstream!, body: "\u001b[2J\u001b]0;owned\u0007<p>\u202eevil</p>\r\n\ttab", headers: { server: "x\u001b[31my" } },
    };
    const text = render(hostile);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\u202e");
    expect(text).toContain("    | \\x1b[2J\\x1b]0;owned\\x07<p>\\u202eevil</p>");
    expect(text).toContain("    |   tab");
    expect(text).toContain("server: x\\x1b[31my");
  });
});

describe("the Timing section", () => {
  test("GIVEN every phase measured THEN the bar spans the width and the legend gives each phase's ms", () => {
    const record = fixture("proxy-pass");
    const { dnsMs, connectMs, tlsMs, ttfbMs, totalMs } = record.upstream!.timings;
    for (const width of [80, 100]) {
      const lines = section(render(record, { width }), "Timing");
      expect(lines[1]).toBe(`  total          ${totalMs} ms`);
      expect(lines[2]).toMatch(/^ {2}Alexa waited {3}\d+ of 4500 ms/);
      expect(lines[3]).toMatch(/^ {2}\[D+C+T+W+\.*\]$/);
      expect(lines[3]).toHaveLength(width);
      const legend = lines.slice(4).join(" ");
      for (const entry of [`D DNS ${dnsMs} ms`, `C connect ${connectMs} ms`, `T TLS ${tlsMs} ms`, `W first byte ${ttfbMs} ms`]) {
        expect(legend).toContain(entry);
      }
    }
  });

  test("GIVEN an IP address and a failed handshake THEN phases that did not happen are left out", () => {
    const lines = section(render(fixture("tls-incomplete-chain")), "Timing");
    expect(lines.join("\n")).not.toMatch(/DNS|first byte/);
    expect(lines[3]).toMatch(/^ {2}\[C+T+\.*\]$/);
  });
});

describe("Alexa's deadline in the Timing section", () => {
  const withDeadline = (deadline: AttemptRecord["deadline"], record = fixture("proxy-pass")): AttemptRecord => ({ ...record, deadline });

  test("GIVEN a wrapper record THEN what Alexa waited, of the 4.5 s, with the token URL's and the debugger's shares", () => {
    const lines = section(render(withDeadline({ limitMs: 4_500, waitedMs: 812, upstreamMs: 790, debuggerMs: 22 })), "Timing");
    expect(lines).toContain("  Alexa waited   812 of 4500 ms (token URL 790 ms, debugger 22 ms)");
  });

  test("GIVEN a wait past the deadline THEN it says too late, in red on a terminal", () => {
    const record = withDeadline({ limitMs: 4_500, waitedMs: 4_712, upstreamMs: 4_300, debuggerMs: 412 });
    expect(section(render(record), "Timing")).toContain(
      "  Alexa waited   4712 of 4500 ms (token URL 4300 ms, debugger 412 ms), too late",
    );
    expect(render(record, { color: true })).toMatch(/\u001b\[31m4712 of 4500 ms/);
  });

  test("GIVEN a dummy record THEN the Timing section has the wait alone; GIVEN an old record without one THEN no such row", () => {
    const dummy = withDeadline({ limitMs: 4_500, waitedMs: 3, upstreamMs: null, debuggerMs: 3 }, fixture("dummy-pass"));
    expect(section(render(dummy), "Timing")).toEqual(["Timing", "  Alexa waited   3 of 4500 ms"]);
    const { deadline: _written, ...older } = fixture("dummy-pass");
    expect(render(older)).not.toContain("Alexa waited");
    expect(sectionsOf(render(older))).toEqual(["Request", "Findings"]);
  });
});

describe("the TLS section", () => {
  test("GIVEN an expired leaf THEN it is marked against the record's own time, and the verify error is shown", () => {
    const lines = section(render(fixture("tls-expired")), "TLS");
    expect(lines).toContain("  verified       no: CERT_HAS_EXPIRED");
    expect(lines).toContain("  bypassed       no");
    expect(lines).toContain("                 EXPIRED 1 day before this attempt");
  });

  test("GIVEN a certificate judged at a time before it starts THEN it is marked not yet valid", () => {
    const record = fixture("proxy-pass");
    const early = { ...record, time: "2020-01-01T00:00:00.000Z" };
    expect(section(render(early), "TLS").filter((line) => line.includes("NOT YET VALID"))).toHaveLength(3);
  });

  test("GIVEN a healthy chain THEN every certificate is listed leaf first with issuer, dates and names, and none is marked", () => {
    const record = fixture("proxy-pass");
    const text = section(render(record, { width: 120 }), "TLS").join("\n");
    expect(text).toContain("  verified       yes");
    expect(text).toContain("  chain          3 certificates, leaf first");
    expect(text).toContain("   1. subject    CN=localhost, O=Token URL Debugger Tests");
    expect(text).toContain("      names      DNS:localhost, IP Address:127.0.0.1");
    expect(text).toMatch(/ {3}3\. subject {4}CN=Token URL Debugger Test Root CA.*\n {17}\(self-signed\)/);
    expect(text).not.toMatch(/EXPIRED|NOT YET VALID|expires/);
  });

  test("GIVEN TLS_BYPASS let the request through THEN the bypass is flagged", () => {
    expect(section(render(fixture("tls-expired-bypassed"), { width: 120 }), "TLS")).toContain(
      "  bypassed       yes: TLS_BYPASS let the request go on; Alexa would have stopped here",
    );
  });
});

describe("the Lambda section", () => {
  test("GIVEN a cold start's REPORT THEN duration, billing, memory and the init time are shown, before the findings", () => {
    const text = render(fixture("proxy-pass"), { lambdaReport: LAMBDA });
    expect(sectionsOf(text)).toEqual(["Request", "Upstream", "Timing", "TLS", "Lambda", "Findings"]);
    expect(section(text, "Lambda")).toEqual([
      "Lambda",
      "  duration       84.23 ms, billed 85 ms",
      "  memory         72 MB used of 128 MB",
      "  cold start     init 245.1 ms",
    ]);
  });

  test("GIVEN a warm start with only a duration THEN only the duration is shown", () => {
    expect(section(render(fixture("dummy-pass"), { lambdaReport: { durationMs: 3.1 } }), "Lambda")).toEqual([
      "Lambda",
      "  duration       3.1 ms",
    ]);
  });
});

describe("the Findings section", () => {
  test("GIVEN a long message and fix THEN both wrap with a hanging indent and lose no word", () => {
    const record = fixture("tls-incomplete-chain");
    const lines = section(render(record), "Findings");
    const finding = record.findings.find((item) => item.code === "TLS_INCOMPLETE_CHAIN")!;
    const start = lines.indexOf("  ✗ TLS_INCOMPLETE_CHAIN (error)");
    const fixAt = lines.findIndex((line, index) => index > start && line.startsWith("    fix: "));
    const message = lines.slice(start + 1, fixAt);
    expect(message.every((line) => /^ {4}\S/.test(line))).toBe(true);
    expect(message.map((line) => line.trim()).join(" ")).toBe(finding.message);
    const fix = [lines[fixAt].slice("    fix: ".length)];
    for (let index = fixAt + 1; lines[index]?.startsWith(" ".repeat(9)); index += 1) fix.push(lines[index].trim());
    expect(fix.join(" ")).toBe(finding.fix);
  });

  test("GIVEN no findings THEN the section says none", () => {
    expect(section(render(fixture("proxy-pass")), "Findings")).toEqual(["Findings", "  none"]);
  });
});

describe("the width", () => {
  test("GIVEN no width THEN 80 columns are used", () => {
    const record = fixture("tls-incomplete-chain");
    expect(render(record)).toBe(render(record, { width: 80 }));
  });
});

describe("keepValuesWhole (stdout is a pipe or a file)", () => {
  const longRedirect = `https://layla.amazon.com/api/skill/link/M2${"A".repeat(150 - "https://layla.amazon.com/api/skill/link/M2".length)}`;
  const withLongRedirect = (record: AttemptRecord): AttemptRecord => ({
    ...record,
    request: { ...record.request, fields: { ...record.request.fields, redirect_uri: longRedirect } },
  });

  test("GIVEN a 150-character redirect URI THEN it is whole on its line in the request rows, where the terminal layout cuts it", () => {
    const record = withLongRedirect(fixture("tls-incomplete-chain"));
    expect(longRedirect).toHaveLength(150);
    const piped = render(record, { keepValuesWhole: true }).split("\n");
    expect(piped).toContain(`  redirect_uri   ${longRedirect}`);
    expect(piped.some((line) => line.endsWith(`redirect_uri=${longRedirect}`))).toBe(true);
    expect(render(record).split("\n").some((line) => line.includes(longRedirect))).toBe(false);
  });

  test("GIVEN every fixture THEN each fingerprint and URL in the record appears whole on one line", () => {
    let checked = 0;
    for (const { record } of fixtures) {
      const text = render(record, { keepValuesWhole: true });
      const values = [
        ...Object.values(record.request.fields),
        ...Object.values(record.request.headers),
        ...(record.upstream ? [record.upstream.url] : []),
      ].filter((value) => value !== "" && !/[\u0000-\u001f\u007f-\u009f]/.test(value));
      const lines = text.split("\n");
      for (const value of values) expect(lines.some((line) => line.includes(value))).toBe(true);
      checked += values.filter((value) => value.includes("[redacted")).length;
    }
    expect(checked).toBeGreaterThan(10);
  });

  test("GIVEN prose THEN it still wraps at spaces within the width, and loses no word", () => {
    const record = fixture("tls-incomplete-chain");
    const lines = section(render(record, { keepValuesWhole: true }), "Findings");
    const finding = record.findings.find((item) => item.code === "TLS_INCOMPLETE_CHAIN")!;
    const start = lines.indexOf("  ✗ TLS_INCOMPLETE_CHAIN (error)");
    const fixAt = lines.findIndex((line, index) => index > start && line.startsWith("    fix: "));
    const message = lines.slice(start + 1, fixAt);
    expect(message.length).toBeGreaterThan(1);
    expect(message.map((line) => line.trim()).join(" ")).toBe(finding.message);
    for (const line of message) expect(columns(line)).toBeLessThanOrEqual(80);
  });
});

describe("a body the capture stopped reading at its cap", () => {
  test("GIVEN a gzip answer capped decoded THEN the Upstream section gives the decoded bytes, the encoding and the bytes received", () => {
    const record = fixture("proxy-pass");
    const capped = { ...record, upstream: { ...record.upstream!, bodyBytes: 1_048_576, bodyCapped: true, receivedBytes: 1_017, bodyEncoding: "gzip" } };
    expect(section(plainText(render(capped, { width: 200 })), "Upstream").join("\n")).toContain("1048576 bytes (the capture stopped at its 1 MiB cap; gzip, 1017 bytes received)");
  });

  test("GIVEN an older record without the encoding THEN the cap alone", () => {
    const record = fixture("proxy-pass");
    const { receivedBytes: _r, bodyEncoding: _e, ...older } = record.upstream!;
    const capped = { ...record, upstream: { ...older, bodyBytes: 1_048_576, bodyCapped: true } };
    expect(section(plainText(render(capped, { width: 200 })), "Upstream").join("\n")).toContain("1048576 bytes (the capture stopped at its 1 MiB cap)");
  });
});

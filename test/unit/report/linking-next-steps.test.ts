/** The "if linking still fails" guidance at the end of a report, on real attempt records. */
import { LINKING_NEXT_STEPS, nextStepsFor } from "../../../scripts/report/linking-next-steps";
import { renderAttempt } from "../../../scripts/report/render-attempt";
import { fixture, FixtureName } from "./fixtures";

// keepValuesWhole, as in a pipe: a source URL stays on one line.
const render = (name: FixtureName) => renderAttempt(fixture(name), { color: false, width: 80, keepValuesWhole: true });
const prose = (lines: string[]) => lines.map((line) => line.trim()).join(" ");
/** The report's last section: from its heading to the end. */
const lastSection = (text: string) => text.split("\n\n").at(-1)!.split("\n");

describe("GIVEN a record where the token URL did its part", () => {
  test("WHEN a proxy-mode record passes THEN the report ends with the list, AcceptGrant first, without the dummy step", () => {
    const last = lastSection(render("proxy-pass"));
    expect(last[0]).toBe("If linking still fails");
    const text = prose(last);
    expect(text).toMatch(/1\. Smart home skill .*AcceptGrant/);
    expect(text).toMatch(/2\. The redirect URLs of all three Alexa regions/);
    expect(text).toMatch(/3\. The skill's "Domain List"/);
    expect(text).not.toContain("dummy token URL");
    expect(text).toContain("source: https://developer.amazon.com/en-US/docs/alexa/device-apis/alexa-authorization.html");
  });

  test("WHEN a dummy-mode attempt succeeded THEN the list ends with: switch to proxy mode", () => {
    const last = lastSection(render("dummy-pass"));
    expect(last[0]).toBe("If linking still fails");
    expect(prose(last)).toMatch(/4\. This attempt was answered by the dummy token URL, so the token URL is not the fault\. Switch to proxy mode/);
  });

  test("WHEN a probe passes THEN the same list as after a proxy pass; with its authorization check all registered, without the redirect URL step", () => {
    const probe = { ...fixture("proxy-pass"), mode: "probe" as const };
    expect(nextStepsFor(probe)).toEqual(nextStepsFor(fixture("proxy-pass")));
    const checked = fixture("probe-authorize-fe-rejected").authorization!;
    const allRegistered = { ...checked, regions: checked.regions.map((region) => ({ ...region, standing: "registered" as const })) };
    const steps = nextStepsFor({ ...probe, authorization: allRegistered }).map((step) => step.text);
    expect(steps).toHaveLength(2);
    expect(steps.join(" ")).not.toContain("redirect URLs of all three");
    // A region that could not be tested leaves the step in.
    const untestable = { ...allRegistered, regions: allRegistered.regions.map((region, index) => (index === 2 ? { ...region, standing: "untestable" as const } : region)) };
    expect(nextStepsFor({ ...probe, authorization: untestable })).toHaveLength(3);
  });

  test("WHEN laid out for a terminal THEN no line is wider than the report", () => {
    const text = renderAttempt(fixture("dummy-pass"), { color: false, width: 80 });
    for (const line of lastSection(text)) expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe("GIVEN a record where the token URL failed or warned", () => {
  test.each<FixtureName>(["tls-expired", "oauth-invalid-client-401", "transport-refused", "warn-expires-in-string", "probe-authorize-fe-rejected"])(
    "WHEN it is %s THEN the report ends with its findings, no guidance",
    (name) => {
      expect(render(name)).not.toContain("If linking still fails");
      expect(nextStepsFor(fixture(name))).toEqual([]);
    },
  );
});

test("every step names its source", () => {
  for (const step of LINKING_NEXT_STEPS) expect(step.source).not.toBe("");
});

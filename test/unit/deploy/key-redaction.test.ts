import { fingerprintKeyOf, KeyRedaction, REDACTED_KEY } from "../../../scripts/deploy/key-redaction";

const KEY = "67201dd89968e315d791b9dc6638df8bcaaeabdebe1a5a50576cfc1e23b65280";

describe("the fingerprint key kept out of Terraform's output", () => {
  test("GIVEN the key whole in a chunk THEN it is replaced", () => {
    const redaction = new KeyRedaction(KEY);
    expect(redaction.push(`      - output = "${KEY}" -> null\n`)).toBe(`      - output = "${REDACTED_KEY}" -> null\n`);
  });

  test("GIVEN the key split across chunks at every point THEN no part of it passes, and the rest passes whole", () => {
    const line = `  - input = "${KEY}"\n  - output = "${KEY}" -> null\n`;
    for (let cut = 1; cut < line.length; cut += 1) {
      const redaction = new KeyRedaction(KEY);
      const out = redaction.push(line.slice(0, cut)) + redaction.push(line.slice(cut));
      expect(out).toBe(line.split(KEY).join(REDACTED_KEY));
    }
  });

  test("GIVEN text that is no start of the key (Terraform's approval question) THEN it passes at once", () => {
    const redaction = new KeyRedaction(KEY);
    expect(redaction.push("  Enter a value: ")).toBe("  Enter a value: ");
    // A hex run that may start the key is held back until the next chunk tells.
    expect(redaction.push("id = 672")).toBe("id = ");
    expect(redaction.push("9\n")).toBe("6729\n");
  });

  test("GIVEN no key (a stack not deployed yet) THEN everything passes as it is", () => {
    expect(new KeyRedaction(null).push(KEY)).toBe(KEY);
  });

  test("GIVEN terraform output -json THEN the key is read from it; none from no state or bad JSON", () => {
    expect(fingerprintKeyOf(JSON.stringify({ fingerprint_key: { sensitive: true, value: KEY }, mode: { value: "dummy" } }))).toBe(KEY);
    expect(fingerprintKeyOf("{}")).toBeNull();
    expect(fingerprintKeyOf("not json")).toBeNull();
  });
});

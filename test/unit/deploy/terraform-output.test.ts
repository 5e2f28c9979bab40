import { decideApproval } from "../../../scripts/deploy/approval";
import { OutputsSectionFilter } from "../../../scripts/deploy/outputs-section-filter";
import { formatOutputs } from "../../../scripts/deploy/stack-outputs";

describe("OutputsSectionFilter", () => {
  const APPLY = [
    "Do you want to perform these actions?\n  Enter a value: ",
    "yes\n\naws_lambda_function.fn: Creating...\n",
    "\nApply complete! Resources: 18 added, 0 changed, 0 destroyed.\n",
    "\nOutp",
    'uts:\n\ntoken_url = "https://x.example/debug/token"\n',
  ];

  test("GIVEN apply output in chunks THEN all of it up to Terraform's Outputs section, the question at once", () => {
    const filter = new OutputsSectionFilter();
    const shown = APPLY.map((chunk) => filter.push(chunk));
    expect(shown[0]).toBe(APPLY[0]); // a question without a newline is not held back
    expect(shown.join("")).toBe(APPLY.slice(0, 3).join("") + "\n");
  });

  test("GIVEN colored output THEN the section is found all the same", () => {
    const filter = new OutputsSectionFilter();
    const shown = filter.push("\x1b[32mApply complete!\x1b[0m\n\n\x1b[1mOutputs:\x1b[0m\n\nmode = \"dummy\"\n");
    expect(shown).toBe("\x1b[32mApply complete!\x1b[0m\n\n");
  });

  test("GIVEN no Outputs section THEN every line passes", () => {
    const filter = new OutputsSectionFilter();
    const text = "No changes.\n\nApply complete! Resources: 0 added, 0 changed, 0 destroyed.\n\nsomething else\n";
    expect(filter.push(text)).toBe(text);
  });
});

describe("formatOutputs", () => {
  test("GIVEN terraform output -json THEN the README's order, strings unquoted, sensitive hidden", () => {
    expect(
      formatOutputs({
        region: { value: "us-east-1" },
        fingerprint_key: { value: "secret-key-material", sensitive: true },
        mode: { value: "proxy" },
        token_url: { value: "https://abc.execute-api.us-east-1.amazonaws.com/debug/token" },
        zeta: { value: 3 },
      }),
    ).toEqual([
      "token_url = https://abc.execute-api.us-east-1.amazonaws.com/debug/token",
      "mode = proxy",
      "region = us-east-1",
      "fingerprint_key = <sensitive>",
      "zeta = 3",
    ]);
  });
});

describe("decideApproval", () => {
  test.each([
    ["deploy", true, true, "auto"],
    ["deploy", false, true, "terminal"],
    ["destroy", false, true, "terminal"],
    ["diff", false, false, "none"],
    ["synth", false, false, "none"],
  ] as const)("GIVEN %s, --auto-approve %s, a terminal %s THEN %s", (command, autoApprove, terminal, kind) => {
    expect(decideApproval({ command, autoApprove }, terminal).kind).toBe(kind);
  });

  test("GIVEN no terminal and no --auto-approve THEN refused with the one line to run, whatever CI says", () => {
    const previous = process.env.CI;
    process.env.CI = "true";
    try {
      expect(decideApproval({ command: "destroy", autoApprove: false }, false)).toEqual({
        kind: "refused",
        line: "npm run destroy asks before it changes anything, and there is no terminal to ask on: run npm run destroy -- --auto-approve; nothing was changed",
      });
    } finally {
      if (previous === undefined) delete process.env.CI;
      else process.env.CI = previous;
    }
  });
});

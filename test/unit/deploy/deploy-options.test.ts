import { UsageError } from "../../../scripts/cli/usage-error";
import { parseDeployOptions } from "../../../scripts/deploy/deploy-options";

describe("parseDeployOptions", () => {
  test("GIVEN deploy --auto-approve --profile dev THEN both, and nothing else", () => {
    expect(parseDeployOptions(["deploy", "--auto-approve", "--profile", "dev"])).toEqual({
      command: "deploy",
      autoApprove: true,
      profile: "dev",
      extend: false,
      help: false,
    });
  });

  test("GIVEN cdktf-cli's --skip-provider-lock THEN accepted and ignored: Terraform's init keeps the lock file", () => {
    expect(parseDeployOptions(["deploy", "--skip-provider-lock"])).toMatchObject({ command: "deploy", autoApprove: false });
  });

  test("GIVEN an option nobody handles THEN a usage error naming it, not a silent pass-through", () => {
    expect(() => parseDeployOptions(["deploy", "--parallelism=2"])).toThrow(new UsageError('Unknown option "--parallelism=2"'));
  });

  test("GIVEN synth --auto-approve THEN a usage error: synth changes nothing", () => {
    expect(() => parseDeployOptions(["synth", "--auto-approve"])).toThrow(new UsageError("--auto-approve is for deploy and destroy, not synth"));
  });

  test("GIVEN diff --auto-approve THEN accepted: one set of flags serves deploy, diff and destroy", () => {
    expect(parseDeployOptions(["diff", "--auto-approve"]).command).toBe("diff");
  });
});

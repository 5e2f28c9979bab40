import { describeInitFailure } from "../../../scripts/deploy/init-failure";

// Terraform 1.11's stderr for `terraform init -no-color`, captured on this machine.
const EMPTY_MIRROR = `
Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
provider registry.terraform.io/hashicorp/aws was not found in any of the
search locations

  - /tmp/empty-mirror
`;

const NO_REGISTRY = `
Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
could not connect to registry.terraform.io: failed to request discovery
document: Get "https://registry.terraform.io/.well-known/terraform.json":
proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused

To see which modules are currently depending on hashicorp/aws and what
versions are specified, run the following command:
    terraform providers
`;

const LOCK_MISMATCH = `
Error: Failed to install provider

Error while installing hashicorp/aws v5.100.0: the local package for
registry.terraform.io/hashicorp/aws 5.100.0 doesn't match any of the
checksums previously recorded in the dependency lock file (this might be
because the available checksums are for packages targeting different
platforms); for more information:
https://developer.hashicorp.com/terraform/language/files/dependency-lock#checksum-verification
`;

describe("describeInitFailure", () => {
  test("GIVEN a mirror without the provider THEN one line naming the mirror and what to do", () => {
    const line = describeInitFailure(EMPTY_MIRROR)!;
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain("was not found in any of the search locations (/tmp/empty-mirror)");
    expect(line).toMatch(/TF_CLI_CONFIG_FILE .* mirror .*docs\/deploying\.md#providers-mirrors-and-lock-files/);
  });

  test("GIVEN no way to the registry THEN one line with Terraform's reason", () => {
    const line = describeInitFailure(NO_REGISTRY)!;
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(/^Terraform could not get the AWS provider \(.*could not connect to registry\.terraform\.io: .*connection refused\)/);
  });

  test("GIVEN the colored, boxed form THEN the same line", () => {
    const boxed = NO_REGISTRY.split("\n")
      .map((line) => (line ? `\x1b[31m│\x1b[0m ${line}` : "╵"))
      .join("\n");
    expect(describeInitFailure(boxed)).toBe(describeInitFailure(NO_REGISTRY));
  });

  test("GIVEN a package that does not match the lock file THEN one line pointing at the lock file", () => {
    const line = describeInitFailure(LOCK_MISMATCH)!;
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(/^Terraform refused the AWS provider: .*doesn't match any of the checksums previously recorded .*platforms\)\. /);
    expect(line).toContain("terraform providers lock");
    expect(line).not.toContain("https://developer.hashicorp.com");
  });

  test("GIVEN any other init error THEN undefined: Terraform's own text is shown", () => {
    expect(describeInitFailure('\nError: Backend configuration changed\n\nA change in the backend configuration has been detected\n')).toBeUndefined();
  });
});

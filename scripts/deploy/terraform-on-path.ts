import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export const TERRAFORM_MISSING =
  "terraform is not on PATH: install Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install); nothing was changed";

/**
 * Whether `terraform` can be run from PATH. Asked before synth, because synth needs it too:
 * the cdktf library validates terraform_data against `terraform version` (else a stack trace).
 */
export function terraformOnPath(path = process.env.PATH ?? ""): boolean {
  const names = process.platform === "win32" ? ["terraform.exe"] : ["terraform"];
  return path
    .split(delimiter)
    .filter((dir) => dir !== "")
    .some((dir) =>
      names.some((name) => {
        try {
          const file = join(dir, name);
          accessSync(file, constants.X_OK);
          return statSync(file).isFile();
        } catch {
          return false;
        }
      }),
    );
}

import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Terraform keeps the dependency lock file in its working directory, here the synthesized
 * cdktf.out/stacks/<stack> (git-ignored, rewritten by every synth). Terraform asks that the
 * lock file be committed, so the deploy keeps the copy that counts beside package.json: it is
 * copied in before `terraform init` (which then installs exactly what it records, and fails if
 * a provider package does not match) and back after (init adds what it recorded).
 */
export const LOCK_FILE = ".terraform.lock.hcl";

export function lockFileIn(projectDir: string, stackDir: string): void {
  const kept = join(projectDir, LOCK_FILE);
  if (existsSync(kept)) copyFileSync(kept, join(stackDir, LOCK_FILE));
}

export function lockFileOut(projectDir: string, stackDir: string): void {
  const written = join(stackDir, LOCK_FILE);
  const kept = join(projectDir, LOCK_FILE);
  if (!existsSync(written)) return;
  if (existsSync(kept) && readFileSync(kept, "utf8") === readFileSync(written, "utf8")) return;
  copyFileSync(written, kept);
}

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What the end-to-end suite needs from the machine (DESIGN §5), or why it cannot run. */
export interface E2eTools {
  readonly terraform: string;
  readonly motoServer: string;
  /** The folder that holds registry.terraform.io/hashicorp/aws. */
  readonly providerMirror: string;
}

/** In CI (or with E2E_REQUIRED=1) a missing tool fails the suite instead of skipping it. */
export const E2E_REQUIRED = process.env.CI === "true" || process.env.E2E_REQUIRED === "1";

export function findE2eTools(): E2eTools | { missing: string } {
  const terraform = onPath("terraform");
  if (!terraform) return { missing: "terraform is not on PATH" };
  const motoServer = findMotoServer();
  if (typeof motoServer !== "string") return motoServer;
  const providerMirror = findProviderMirror();
  if (!providerMirror) {
    return {
      missing:
        "no Terraform filesystem mirror holding registry.terraform.io/hashicorp/aws (set TF_PROVIDER_MIRROR to its folder)",
    };
  }
  return { terraform, motoServer, providerMirror };
}

/** moto_server alone, for suites that need the AWS emulator but not Terraform. */
export function findMotoServer(): string | { missing: string } {
  return onPath("moto_server") ?? { missing: "moto_server is not on PATH (pip install 'moto[server]')" };
}

function onPath(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function findProviderMirror(): string | undefined {
  const candidates = [
    process.env.TF_PROVIDER_MIRROR,
    ...childFolders("/opt"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
    join(homedir(), ".terraform.d/plugins"),
    join(homedir(), ".local/share/terraform/plugins"),
  ];
  return candidates.find(
    (folder) => folder !== undefined && existsSync(join(folder, "registry.terraform.io/hashicorp/aws")),
  );
}

function childFolders(parent: string): string[] {
  try {
    return readdirSync(parent).map((name) => join(parent, name));
  } catch {
    return [];
  }
}

/**
 * Runs `body` when the tools were found; otherwise skips with the reason shown, or, where they
 * are required (CI), fails with it.
 */
export function describeWhenAvailable<T>(title: string, found: T | { missing: string }, body: (tools: T) => void): void {
  if (typeof found === "object" && found !== null && "missing" in found) {
    const { missing } = found;
    if (E2E_REQUIRED) {
      test(`${title}: prerequisites`, () => {
        throw new Error(`cannot run ${title}: ${missing}`);
      });
    } else {
      console.warn(`Skipping ${title}: ${missing}`);
      test.skip(`${title} (${missing})`, () => undefined);
    }
    return;
  }
  describe(title, () => body(found as T));
}

import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "../../..");
const PROJECT_FILES = ["main.ts", "cdktf.json", "tsconfig.json", "package.json", "infra", "functions", "scripts"];

export interface CommandResult {
  readonly code: number | null;
  /** stdout and stderr interleaved as they came. */
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables for one run; undefined removes one the sandbox sets. */
export type ExtraEnv = Record<string, string | undefined>;

/**
 * A copy of the project in a temporary folder, as a user's checkout, so that a deploy's state,
 * cdktf.out and bundle never touch the working tree (or a real deployment's local state).
 */
export class ProjectSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "token-url-e2e-"));
  private readonly env: NodeJS.ProcessEnv;

  /** `providerMirror` undefined: for runs that never reach `terraform init`. */
  constructor(providerMirror: string | undefined, awsEndpoint: string) {
    for (const entry of PROJECT_FILES) cpSync(join(PROJECT_DIR, entry), join(this.dir, entry), { recursive: true });
    symlinkSync(join(PROJECT_DIR, "node_modules"), join(this.dir, "node_modules"), "dir");
    const cliConfig = join(this.dir, "terraform.rc");
    writeFileSync(
      cliConfig,
      providerMirror === undefined
        ? ""
        : `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(providerMirror)}\n  }\n}\n`,
    );
    this.env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      AWS_ENDPOINT_URL: awsEndpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      // No CI=true: the deploy must be plain and ask for --auto-approve because stdin is not a
      // terminal (it is a pipe here), not because of a variable.
      npm_config_update_notifier: "false", // npm's own "new version" notice is not ours to test
    };
  }

  /** Runs a command in the sandbox with the emulator's credentials plus `extraEnv`; its stdin
   * is a pipe, never a terminal, as in CI or a script. */
  run(command: string, args: string[], extraEnv: ExtraEnv = {}): Promise<CommandResult> {
    const env = Object.fromEntries(
      Object.entries({ ...this.env, ...extraEnv }).filter(([, value]) => value !== undefined),
    );
    return new Promise((resolvePromise) => {
      const child = spawn(command, args, { cwd: this.dir, env });
      let output = "";
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => ((output += chunk), (stdout += chunk)));
      child.stderr.on("data", (chunk) => ((output += chunk), (stderr += chunk)));
      child.on("close", (code) => resolvePromise({ code, output, stdout, stderr }));
    });
  }

  /** `npm run <script> -- <args>`, as the README has users type it. */
  npm(script: string, args: string[], extraEnv: ExtraEnv = {}): Promise<CommandResult> {
    return this.run("npm", ["run", script, ...(args.length > 0 ? ["--", ...args] : [])], extraEnv);
  }

  stackDir(stackName: string): string {
    return join(this.dir, "cdktf.out/stacks", stackName);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

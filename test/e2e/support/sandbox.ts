import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "../../..");
const PROJECT_FILES = ["main.ts", "cdktf.json", "tsconfig.json", "package.json", "infra", "functions", "scripts"];

export interface CommandResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * A copy of the project in a temporary folder, as a user's checkout, so that a deploy's state,
 * cdktf.out and bundle never touch the working tree (or a real deployment's local state).
 */
export class ProjectSandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "token-url-e2e-"));
  private readonly env: NodeJS.ProcessEnv;

  constructor(providerMirror: string, awsEndpoint: string) {
    for (const entry of PROJECT_FILES) cpSync(join(PROJECT_DIR, entry), join(this.dir, entry), { recursive: true });
    symlinkSync(join(PROJECT_DIR, "node_modules"), join(this.dir, "node_modules"), "dir");
    const cliConfig = join(this.dir, "terraform.rc");
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(providerMirror)}\n  }\n}\n`,
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
      CI: "true", // plain output from cdktf, no prompts
    };
  }

  /** Runs a command in the sandbox with the emulator's credentials plus `extraEnv`. */
  run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CommandResult> {
    return new Promise((resolvePromise) => {
      const child = spawn(command, args, { cwd: this.dir, env: { ...this.env, ...extraEnv } });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("close", (code) => resolvePromise({ code, output }));
    });
  }

  cdktf(args: string[], extraEnv: Record<string, string> = {}): Promise<CommandResult> {
    return this.run(join(PROJECT_DIR, "node_modules/.bin/cdktf"), args, extraEnv);
  }

  stackDir(stackName: string): string {
    return join(this.dir, "cdktf.out/stacks", stackName);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * What the deployed debugger is, from its Terraform state: the `token_url` to put into the
 * skill, and in proxy mode the token URL it forwards to. Local state (cdktf's default) is the
 * file `terraform.<stack>.tfstate` beside cdktf.json, read directly: no terraform run, and no
 * `terraform init` needed. Remote state (STATE_BUCKET) is read with `terraform output -json`
 * in the stack's synthesized folder, which `npm run deploy` initialized.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Config } from "../../infra/config";

export interface DeployedStack {
  /** The debugger's Access Token URI (API Gateway stage URL + /token). */
  readonly tokenUrl: string;
  readonly mode?: string;
  /** The real token URL the wrapper forwards to (proxy mode). */
  readonly upstreamTokenUrl?: string;
  /** When it stops forwarding; undefined: never (DEBUG_TTL_HOURS=0, or deployed before expiry existed). */
  readonly expiresAt?: Date;
  /** When its expiry clock started: the first deploy, or the last `--extend`. */
  readonly expiryStartedAt?: Date;
  /** The key of its fingerprints (a sensitive output); undefined for stacks deployed before
   * fingerprints were keyed. */
  readonly fingerprintKey?: string;
}

/** The stack is not deployed here, or its state cannot be read; the message is one line. */
export class NoDeployedStack extends Error {}

type Outputs = Record<string, { value?: unknown } | undefined>;

export function readDeployedStack(config: Config, projectDir: string = process.cwd()): DeployedStack {
  const outputs = config.stateBackend ? remoteOutputs(config, projectDir) : localOutputs(config, projectDir);
  const text = (name: string) => (typeof outputs[name]?.value === "string" ? (outputs[name]!.value as string) : undefined);
  const tokenUrl = text("token_url");
  if (tokenUrl === undefined) {
    throw new NoDeployedStack(
      `Stack "${config.stackName}" has no token_url output (destroyed?): deploy it with npm run deploy, or pass --token-url`,
    );
  }
  const time = (name: string) => {
    const value = Date.parse(text(name) ?? ""); // "never" and a missing output: no time
    return Number.isNaN(value) ? undefined : new Date(value);
  };
  return {
    tokenUrl,
    mode: text("mode"),
    upstreamTokenUrl: text("upstream_token_url"),
    expiresAt: time("expires_at"),
    expiryStartedAt: time("expiry_started_at"),
    fingerprintKey: text("fingerprint_key"),
  };
}

/** Where cdktf's default local backend keeps the state (cdktf LocalBackend: cwd at synth). */
export function localStatePath(config: Pick<Config, "stackName">, projectDir: string): string {
  return join(projectDir, `terraform.${config.stackName}.tfstate`);
}

function localOutputs(config: Config, projectDir: string): Outputs {
  const path = localStatePath(config, projectDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new NoDeployedStack(
      `No deployed stack "${config.stackName}" here (no terraform.${config.stackName}.tfstate): deploy it with npm run deploy (STACK_NAME as then), or pass --token-url`,
    );
  }
  try {
    return JSON.parse(text).outputs ?? {};
  } catch {
    throw new NoDeployedStack(`terraform.${config.stackName}.tfstate is not valid JSON; pass --token-url`);
  }
}

function remoteOutputs(config: Config, projectDir: string): Outputs {
  const stackDir = join(projectDir, "cdktf.out", "stacks", config.stackName);
  return terraformOutputs(stackDir, config.stackName);
}

/** `terraform output -json` in an initialized Terraform folder. */
export function terraformOutputs(stackDir: string, stackName: string): Outputs {
  const run = spawnSync("terraform", [`-chdir=${stackDir}`, "output", "-json", "-no-color"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    timeout: 60_000,
  });
  if (run.status !== 0) {
    const why = run.error ? run.error.message : (run.stderr.split("\n").find((line) => /\w/.test(line)) ?? `exit ${run.status}`);
    throw new NoDeployedStack(
      `Cannot read the outputs of stack "${stackName}" (terraform output: ${why.replace(/^[│╷╵\s]+/, "").trim()}): run npm run deploy from this folder first, or pass --token-url`,
    );
  }
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new NoDeployedStack(`terraform output -json for stack "${stackName}" printed no JSON; pass --token-url`);
  }
}

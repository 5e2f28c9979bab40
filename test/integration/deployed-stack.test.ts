/**
 * How link finds the deployed debugger, and how destroy learns that a skill still points at
 * it, from state written by real Terraform: a configuration with the stack's outputs only
 * (no provider, no cloud), applied with the local backend where cdktf puts its state.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig } from "../../infra/config";
import { localStatePath, NoDeployedStack, readDeployedStack, terraformOutputs } from "../../scripts/link/deployed-stack";
import { writeSavedLink } from "../../scripts/link/saved-links";
import { savedLinkWarning } from "../../scripts/unlink/saved-link-warning";
import { E2E_REQUIRED } from "../e2e/support/tools";

const terraformFound = spawnSync("terraform", ["version"]).status === 0;
const describeWithTerraform = terraformFound || E2E_REQUIRED ? describe : describe.skip;
if (!terraformFound && !E2E_REQUIRED) console.warn("deployed-stack tests skipped: terraform is not on PATH");

const DEBUG_URL = "https://abc123defg.execute-api.us-east-1.amazonaws.com/debug/token";
const STACK = "link-test";

describeWithTerraform("the deployed stack's outputs, from real Terraform state", () => {
  jest.setTimeout(120_000);
  const projectDir = mkdtempSync(join(tmpdir(), "deployed-stack-"));
  const stackDir = join(projectDir, "cdktf.out", "stacks", STACK);
  const config = resolveConfig({ STACK_NAME: STACK });
  const terraform = (...args: string[]) => {
    const run = spawnSync("terraform", [`-chdir=${stackDir}`, ...args, "-no-color"], {
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    });
    if (run.status !== 0) throw new Error(`terraform ${args[0]} failed: ${run.stderr}`);
  };

  beforeAll(() => {
    mkdirSync(stackDir, { recursive: true });
    // What cdktf synthesizes for this stack, reduced to its backend and outputs.
    writeFileSync(
      join(stackDir, "cdk.tf.json"),
      JSON.stringify({
        terraform: { backend: { local: { path: localStatePath(config, projectDir) } } },
        output: {
          token_url: { value: DEBUG_URL },
          mode: { value: "proxy" },
          upstream_token_url: { value: "https://auth.example.com/token" },
        },
      }),
    );
    terraform("init", "-input=false");
    terraform("apply", "-auto-approve", "-input=false");
  });

  afterAll(() => rmSync(projectDir, { recursive: true, force: true }));

  test("the local state file gives token_url, mode and the wrapped URL", () => {
    expect(readDeployedStack(config, projectDir)).toEqual({
      tokenUrl: DEBUG_URL,
      mode: "proxy",
      upstreamTokenUrl: "https://auth.example.com/token",
    });
  });

  test("terraform output -json (remote state's way) reads the same", () => {
    const outputs = terraformOutputs(stackDir, STACK);
    expect(outputs.token_url?.value).toBe(DEBUG_URL);
    expect(outputs.upstream_token_url?.value).toBe("https://auth.example.com/token");
  });

  test("terraform output in a folder never deployed fails with one line", () => {
    expect(() => terraformOutputs(join(projectDir, "nowhere"), "nowhere")).toThrow(NoDeployedStack);
    expect(() => terraformOutputs(join(projectDir, "nowhere"), "nowhere")).toThrow(/^Cannot read the outputs of stack "nowhere" .*--token-url$/);
  });

  test("another stack name has no state here: one line naming it", () => {
    expect(() => readDeployedStack(resolveConfig({ STACK_NAME: "other" }), projectDir)).toThrow(
      /^No deployed stack "other" here \(no terraform\.other\.tfstate\)/,
    );
  });

  test("destroy's warning names the skills a saved link still points at this stack", () => {
    expect(savedLinkWarning(config, projectDir)).toBeUndefined();
    const link = { type: "saved-account-linking", version: 1, stage: "development", savedAt: "2026-12-01T00:00:00.000Z", original: {} } as const;
    writeSavedLink({ ...link, skillId: "amzn1.ask.skill.a", debugTokenUrl: DEBUG_URL }, projectDir);
    writeSavedLink({ ...link, skillId: "amzn1.ask.skill.b", debugTokenUrl: "https://another-stack.example/token" }, projectDir);
    expect(savedLinkWarning(config, projectDir)).toMatch(
      /^Warning: a skill still points at this stack's https:\S+: amzn1\.ask\.skill\.a \(development\)\. Run npm run unlink/,
    );
    expect(savedLinkWarning(resolveConfig({ STACK_NAME: "other" }), projectDir)).toBeUndefined(); // not deployed
  });

  test("after a destroy the state has no outputs: one line saying so", () => {
    terraform("destroy", "-auto-approve", "-input=false");
    expect(() => readDeployedStack(config, projectDir)).toThrow(/^Stack "link-test" has no token_url output \(destroyed\?\)/);
    expect(savedLinkWarning(config, projectDir)).toBeUndefined();
  });
});

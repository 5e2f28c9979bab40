/**
 * `npm run deploy | diff | destroy | synth` as a user types them, in a copy of the project,
 * with stdin a pipe (no terminal): the preflight that fails in one line before Terraform runs
 * (credentials from the SDK's default chain, checked with STS GetCallerIdentity against
 * moto_server), the approval that a missing terminal cannot give, and the quiet synth.
 * The deploy with credentials is in deploy.test.ts, which has Terraform and the provider.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { MotoServer } from "./support/moto";
import { ProjectSandbox } from "./support/sandbox";
import { describeWhenAvailable, findMotoServer } from "./support/tools";

const NO_CREDENTIALS =
  "No AWS credentials found. Set AWS_PROFILE (or pass --profile), run `aws configure` or " +
  "`aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";

describeWhenAvailable("npm run deploy / diff / destroy / synth: the preflight", findMotoServer(), (motoServer: string) => {
  jest.setTimeout(120_000);
  let moto: MotoServer;
  let sandbox: ProjectSandbox;
  let terraformMarker: string;
  let path: string;

  beforeAll(async () => {
    moto = await MotoServer.start(motoServer);
    sandbox = new ProjectSandbox(undefined, moto.endpoint);
    // A terraform first on PATH that only leaves a mark: proof of whether Terraform ran.
    const bin = join(sandbox.dir, "fake-bin");
    terraformMarker = join(sandbox.dir, "terraform-ran");
    mkdirSync(bin);
    writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "$@" >> ${JSON.stringify(terraformMarker)}\nexit 1\n`);
    chmodSync(join(bin, "terraform"), 0o755);
    path = [bin, process.env.PATH].join(delimiter);
  });

  afterAll(() => {
    sandbox?.remove();
    moto?.stop();
  });

  /** stderr's lines, npm's own banner is on stdout. */
  const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");

  test.each(["deploy", "diff", "destroy"])(
    "GIVEN no AWS credentials WHEN npm run %s THEN one line naming how to set them, exit 2, and no Terraform run",
    async (script) => {
      const emptyHome = join(sandbox.dir, `home-${script}`);
      mkdirSync(emptyHome);
      const result = await sandbox.npm(script, ["--auto-approve"], {
        PATH: path,
        HOME: emptyHome, // no ~/.aws
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        // On a CI runner inside EC2 the chain would otherwise find the instance's own role.
        AWS_EC2_METADATA_DISABLED: "true",
      });
      expect({ code: result.code, stderr: lines(result.stderr) }).toEqual({ code: 2, stderr: [NO_CREDENTIALS] });
      expect(result.stdout).not.toMatch(/Synthesizing|Initializing|account/);
      expect(existsSync(terraformMarker)).toBe(false);
      expect(existsSync(join(sandbox.dir, "cdktf.out"))).toBe(false);
    },
  );

  test.each(["deploy", "destroy"])(
    "GIVEN no terminal and no --auto-approve WHEN npm run %s THEN the account line, then one line asking for --auto-approve, exit 2, nothing synthesized, no Terraform run",
    async (script) => {
      rmSync(terraformMarker, { force: true });
      const result = await sandbox.npm(script, [], { PATH: path, CI: "true" }); // CI=true is no approval
      const review = script === "deploy" ? "review the plan with npm run diff, then " : "";
      expect({ code: result.code, stderr: lines(result.stderr) }).toEqual({
        code: 2,
        stderr: [
          `npm run ${script} asks before it changes anything, and there is no terminal to ask on: ${review}run npm run ${script} -- --auto-approve; nothing was changed`,
        ],
      });
      expect(lines(result.stdout)).toContainEqual(expect.stringMatching(/^(Deploying to|Destroying in) account 123456789012 /));
      expect(existsSync(terraformMarker)).toBe(false);
      expect(existsSync(join(sandbox.dir, "cdktf.out"))).toBe(false);
    },
  );

  test.each(["diff", "synth"])("GIVEN no terraform on PATH WHEN npm run %s THEN one line saying where to get it, exit 2", async (script) => {
    // A PATH with node, npm and sh only: wherever this machine keeps terraform, it is not there.
    // synth needs it too: the cdktf library asks `terraform version` to validate terraform_data.
    const bin = join(sandbox.dir, `no-terraform-bin-${script}`);
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    const npm = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
    symlinkSync(realpathSync(npm), join(bin, "npm"));
    symlinkSync("/bin/sh", join(bin, "sh"));
    const result = await sandbox.npm(script, [], { PATH: bin });
    expect({ code: result.code, stderr: lines(result.stderr) }).toEqual({
      code: 2,
      stderr: [
        "terraform is not on PATH: install Terraform 1.5 or later (https://developer.hashicorp.com/terraform/install); nothing was changed",
      ],
    });
    if (script === "diff") expect(result.stdout).toContain("Comparing with account 123456789012");
    expect(existsSync(join(sandbox.dir, "cdktf.out"))).toBe(false);
  });

  test("GIVEN credentials WHEN npm run diff THEN the account line comes first, then Terraform runs", async () => {
    const result = await sandbox.npm("diff", [], { PATH: path, AWS_REGION: "eu-west-1", STACK_NAME: "preflight-debugger" });
    const accountLine = "Comparing with account 123456789012 (arn:aws:sts::123456789012:user/moto) in eu-west-1, stack preflight-debugger";
    expect(lines(result.stdout)).toContain(accountLine);
    // The fake terraform fails: what matters is that the command got as far as calling it.
    expect(result.code).not.toBe(0);
    expect(existsSync(terraformMarker)).toBe(true);
  });

  test("GIVEN a saved link to the deployed stack WHEN npm run destroy THEN a warning names the skill, then Terraform runs", async () => {
    const stack = "linked-debugger";
    const tokenUrl = "https://linked123.execute-api.us-east-1.amazonaws.com/debug/token";
    // What npm run deploy and npm run link leave behind: local state with outputs, a saved link.
    writeFileSync(
      join(sandbox.dir, `terraform.${stack}.tfstate`),
      JSON.stringify({ version: 4, serial: 1, lineage: "x", outputs: { token_url: { value: tokenUrl, type: "string" } }, resources: [] }),
    );
    mkdirSync(join(sandbox.dir, ".local/account-linking"), { recursive: true });
    const saved = { type: "saved-account-linking", version: 1, skillId: "amzn1.ask.skill.linked", stage: "development" };
    writeFileSync(
      join(sandbox.dir, ".local/account-linking/amzn1.ask.skill.linked.development.json"),
      JSON.stringify({ ...saved, savedAt: "2026-12-01T00:00:00.000Z", debugTokenUrl: tokenUrl, original: {} }),
    );
    rmSync(terraformMarker, { force: true });
    const result = await sandbox.npm("destroy", ["--auto-approve"], { PATH: path, STACK_NAME: stack });
    expect(lines(result.stdout)).toContainEqual(
      expect.stringMatching(/^Warning: a skill still points at this stack's https:\S+: amzn1\.ask\.skill\.linked \(development\)\. Run npm run unlink/),
    );
    expect(existsSync(terraformMarker)).toBe(true); // a warning, not a stop

    const other = await sandbox.npm("destroy", ["--auto-approve"], { PATH: path, STACK_NAME: "other-debugger" });
    expect(other.stdout).not.toContain("Warning: a skill");
  });

  test("GIVEN DEBUG_TTL_HOURS=0 WHEN npm run deploy -- --extend THEN one line: there is no clock to restart, exit 2", async () => {
    const result = await sandbox.npm("deploy", ["--extend"], { PATH: path, DEBUG_TTL_HOURS: "0" });
    expect({ code: result.code, stderr: lines(result.stderr) }).toEqual({
      code: 2,
      stderr: ["--extend restarts the debugger's expiry clock, but with DEBUG_TTL_HOURS=0 it never expires; nothing was run"],
    });
    expect(result.stdout).not.toMatch(/Synthesizing|Initializing|account/); // stopped before STS and cdktf
  });

  test("GIVEN an invalid config WHEN npm run synth THEN its one line, once, and exit 2", async () => {
    const result = await sandbox.npm("synth", [], { MODE: "foo" });
    expect({ code: result.code, stderr: lines(result.stderr) }).toEqual({
      code: 2,
      stderr: ['Invalid configuration: MODE must be "dummy" or "proxy", got "foo"'],
    });
    expect(result.output).not.toContain("non-zero exit code");
  });

  test("GIVEN no network settings WHEN npm run synth THEN no red [ERROR] from the checkpoint service", async () => {
    // The sandbox sets CHECKPOINT_DISABLE for every run; a user's shell does not.
    const result = await sandbox.npm("synth", [], { CHECKPOINT_DISABLE: undefined, MODE: "dummy" });
    expect(result.code).toBe(0);
    expect(result.output).toContain("Generated Terraform code for the stacks: token-url-debugger");
    expect(result.output).not.toContain("[ERROR]");
    expect(result.output).not.toContain("checkpoint");
  });

  test("GIVEN MODE=dummy and a TOKEN_URL WHEN npm run synth THEN one line says TOKEN_URL is ignored", async () => {
    const result = await sandbox.npm("synth", [], { MODE: "dummy", TOKEN_URL: "https://auth.example.com/token" });
    expect(result.code).toBe(0);
    const notice = "TOKEN_URL is ignored in dummy mode (MODE=dummy answers every request itself); unset MODE to wrap it.";
    expect(result.output.split(notice)).toHaveLength(2);
    expect(result.output).not.toContain("[ERROR]");
  });

  test("GIVEN a loopback TOKEN_URL WHEN npm run synth THEN refused: a deployed Lambda cannot reach this machine", async () => {
    const result = await sandbox.npm("synth", [], { TOKEN_URL: "http://127.0.0.1:9000/token" });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      "Invalid configuration: TOKEN_URL points at this machine (http://127.0.0.1:9000/token), which a deployed Lambda cannot reach; use npm start to test against it, or deploy in front of the real https token URL",
    ]);
  });
});

/**
 * A real `npm run deploy` / `terraform plan` / `npm run destroy` with the real AWS provider
 * against moto_server (DESIGN §5), asserting through the AWS SDK what exists in the emulator.
 * Every command runs as in CI: stdin a pipe, not a terminal, and Terraform's providers from a
 * filesystem mirror named by a CLI config (TF_CLI_CONFIG_FILE), and no option but --auto-approve.
 * Moto cannot run the API → Lambda request path; the handler and its bundle are tested elsewhere.
 */
import {
  APIGatewayClient,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  GetStageCommand,
} from "@aws-sdk/client-api-gateway";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolesCommand } from "@aws-sdk/client-iam";
import { GetFunctionCommand, GetPolicyCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTemplate } from "../../infra/templates";
import { MotoServer } from "./support/moto";
import { ProjectSandbox } from "./support/sandbox";
import { describeWhenAvailable, E2eTools, findE2eTools } from "./support/tools";

const STACK = "e2e-debugger";
const FUNCTION = `${STACK}-token-url`;
const LOG_GROUP = `/aws/lambda/${FUNCTION}`;
const HOUR_MS = 3_600_000;
const TOKEN_URL = "https://auth.example.com/oauth/token";

/** What a log must not hold: a Node stack trace, escape codes (color, cursor), carriage
 * returns or spinner frames (what cdktf-cli's terminal UI left in a CI log). */
function expectPlainOutput(output: string): void {
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output).not.toMatch(/[\x1b\r]/);
  expect(output).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
}

describeWhenAvailable("npm run deploy / plan / destroy against emulated AWS", findE2eTools(), (tools: E2eTools) => {
  jest.setTimeout(240_000);
  let moto: MotoServer;
  let sandbox: ProjectSandbox;
  let clients: {
    api: APIGatewayClient;
    lambda: LambdaClient;
    iam: IAMClient;
    logs: CloudWatchLogsClient;
  };

  beforeAll(async () => {
    moto = await MotoServer.start(tools.motoServer);
    sandbox = new ProjectSandbox(tools.providerMirror, moto.endpoint);
    const clientConfig = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    };
    clients = {
      api: new APIGatewayClient(clientConfig),
      lambda: new LambdaClient(clientConfig),
      iam: new IAMClient(clientConfig),
      logs: new CloudWatchLogsClient(clientConfig),
    };
  });

  afterAll(async () => {
    // Whatever failed above, leave no emulator, stack or temp folder behind.
    if (sandbox) {
      await sandbox.npm("destroy", ["--auto-approve"], { STACK_NAME: STACK });
      sandbox.remove();
    }
    moto?.stop();
    for (const client of Object.values(clients ?? {})) client.destroy();
  });

  async function findApi() {
    const { items = [] } = await clients.api.send(new GetRestApisCommand({}));
    return items.filter((api) => api.name === STACK);
  }

  async function expectSuccess(run: Promise<{ code: number | null; output: string }>): Promise<string> {
    const result = await run;
    if (result.code !== 0) throw new Error(`command failed (${result.code}):\n${result.output.slice(-4000)}`);
    return result.output;
  }

  let apiId: string;

  async function functionEnvironment(): Promise<Record<string, string>> {
    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    return fn.Configuration?.Environment?.Variables ?? {};
  }

  /** The Lambda's DEBUGGER_EXPIRES_AT, which must be ISO 8601 (RFC 3339, UTC). */
  async function deployedExpiry(): Promise<Date> {
    const raw = (await functionEnvironment()).DEBUGGER_EXPIRES_AT;
    expect(raw).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return new Date(raw);
  }

  async function expectEmptyPlan(): Promise<void> {
    const plan = await sandbox.run(tools.terraform, [`-chdir=${sandbox.stackDir(STACK)}`, "plan", "-detailed-exitcode", "-no-color"]);
    expect({ code: plan.code, output: plan.code === 0 ? "" : plan.output }).toEqual({ code: 0, output: "" });
    expect(plan.output).toContain("No changes.");
  }

  /** The expiry minus its TTL fell within the deploy that stamped it (timestamp() has whole
   * seconds). A deploy takes 30-90 s on a loaded machine, so this is tighter than "within a
   * minute of now + TTL", and cannot pass by luck. */
  function expectStampedDuring(expiresAt: Date, ttlHours: number, startedMs: number, endedMs: number): void {
    const stampedMs = expiresAt.getTime() - ttlHours * HOUR_MS;
    expect(stampedMs).toBeGreaterThanOrEqual(Math.floor(startedMs / 1000) * 1000);
    expect(stampedMs).toBeLessThanOrEqual(endedMs);
  }

  let firstExpiry: Date;

  test("npm run deploy -- --auto-approve, no terminal, providers from a mirror: names the account, then deploys dummy mode with every resource as specified", async () => {
    const deployedAt = Date.now();
    const output = await expectSuccess(sandbox.npm("deploy", ["--auto-approve"], { STACK_NAME: STACK }));
    expectPlainOutput(output);
    // Terraform's own provider installation, from the mirror the CLI config names.
    expect(output).toContain("- Installing hashicorp/aws v5.100.0...");
    const accountLine = `Deploying to account 123456789012 (arn:aws:sts::123456789012:user/moto) in us-east-1, stack ${STACK}`;
    expect(output.split("\n")).toContain(accountLine);
    expect(output.indexOf(accountLine)).toBeLessThan(output.indexOf("Initializing"));
    expect(output).toMatch(/^The debugger expires 24 h after this deploy, at about \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
    expect(output).toMatch(/Apply complete! Resources: 18 added, 0 changed, 0 destroyed/);
    // The clock is stamped during the apply: now + the default 24 h, "now" being this deploy.
    firstExpiry = await deployedExpiry();
    expectStampedDuring(firstExpiry, 24, deployedAt, Date.now());
    expect(output).toContain(`expires_at = ${firstExpiry.toISOString().replace(".000Z", "Z")}`);
    // The outputs as the README shows them: unquoted, token_url first, the key never in clear.
    const outputs = output.slice(output.lastIndexOf("Outputs:")).split("\n").filter((line) => line.includes(" = "));
    expect(outputs[0]).toMatch(/^token_url = https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/debug\/token$/);
    expect(outputs).toEqual(expect.arrayContaining([`log_group = ${LOG_GROUP}`, "mode = dummy", "region = us-east-1", "fingerprint_key = <sensitive>"]));
    // The lock file Terraform wrote, kept beside package.json to be committed.
    const lock = readFileSync(join(sandbox.dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/aws" {\n  version     = "5.100.0"');

    const apis = await findApi();
    expect(apis).toHaveLength(1);
    apiId = apis[0].id!;
    expect(apis[0].endpointConfiguration?.types).toEqual(["REGIONAL"]);

    const { items: resources = [] } = await clients.api.send(new GetResourcesCommand({ restApiId: apiId }));
    const token = resources.find((resource) => resource.path === "/token");
    expect(token).toBeDefined();
    const method = await clients.api.send(
      new GetMethodCommand({ restApiId: apiId, resourceId: token!.id, httpMethod: "POST" }),
    );
    expect(method.authorizationType).toBe("NONE");

    const integration = await clients.api.send(
      new GetIntegrationCommand({ restApiId: apiId, resourceId: token!.id, httpMethod: "POST" }),
    );
    expect(integration.type).toBe("AWS");
    expect(integration.passthroughBehavior).toBe("WHEN_NO_TEMPLATES");
    expect(integration.uri).toContain(`function:${FUNCTION}/invocations`);
    expect(integration.requestTemplates).toEqual({
      "application/x-www-form-urlencoded": readTemplate("token-request"),
      "application/json": readTemplate("token-request"),
      "text/plain": readTemplate("token-request"),
    });
    expect(integration.integrationResponses?.["200"]?.responseTemplates).toEqual({
      "application/json": readTemplate("token-response"),
    });
    expect(integration.integrationResponses?.["502"]?.selectionPattern).toBe(".+");

    const stage = await clients.api.send(new GetStageCommand({ restApiId: apiId, stageName: "debug" }));
    expect(stage.deploymentId).toBeTruthy();
    expect(stage.methodSettings?.["*/*"]).toMatchObject({ throttlingRateLimit: 5, throttlingBurstLimit: 10 });

    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    expect(fn.Configuration).toMatchObject({
      Runtime: "nodejs22.x",
      Handler: "index.handler",
      Architectures: ["arm64"],
      Timeout: 13,
    });
    expect(fn.Configuration?.Environment?.Variables).toMatchObject({ MODE: "dummy" });

    const policy = JSON.parse((await clients.lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION }))).Policy!);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Action: "lambda:InvokeFunction",
      Principal: { Service: "apigateway.amazonaws.com" },
    });
    expect(JSON.stringify(policy.Statement[0].Condition)).toContain(`:${apiId}/debug/POST/token`);

    const role = await clients.iam.send(new GetRoleCommand({ RoleName: FUNCTION }));
    expect(fn.Configuration?.Role).toBe(role.Role?.Arn);
    const rolePolicy = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: FUNCTION, PolicyName: "write-own-log-group" }),
    );
    const statement = JSON.parse(decodeURIComponent(rolePolicy.PolicyDocument!)).Statement;
    expect(statement).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: expect.stringMatching(new RegExp(`^arn:aws:logs:us-east-1:\\d+:log-group:${LOG_GROUP}:\\*$`)),
      },
    ]);

    const { logGroups = [] } = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP }));
    expect(logGroups.map((group) => [group.logGroupName, group.retentionInDays])).toEqual([[LOG_GROUP, 3]]);
  });

  test("a plan right after the deploy shows no changes (idempotent)", async () => {
    await expectEmptyPlan();

    const diff = await expectSuccess(sandbox.npm("diff", [], { STACK_NAME: STACK }));
    expectPlainOutput(diff);
    expect(diff).toContain(`Comparing with account 123456789012 (arn:aws:sts::123456789012:user/moto) in us-east-1, stack ${STACK}`);
    expect(diff).toContain("No changes.");
  });

  test("a later synth keeps the plan empty: the expiry stays as stamped", async () => {
    // timestamp() has one-second resolution: a synth and plan seconds later would show a new
    // value if it were not stamped once (the issue asks for a minute; seconds prove the same).
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 3_000));
    await expectSuccess(sandbox.npm("synth", [], { STACK_NAME: STACK }));
    await expectEmptyPlan();
    expect(await deployedExpiry()).toEqual(firstExpiry);
  });

  test("the synthesized stack passes terraform validate", async () => {
    const validate = await sandbox.run(tools.terraform, [`-chdir=${sandbox.stackDir(STACK)}`, "validate", "-no-color"]);
    expect(validate.output).toContain("Success! The configuration is valid.");
    expect(validate.code).toBe(0);
  });

  test("switching to proxy mode updates the function in place and keeps the API", async () => {
    const output = await expectSuccess(sandbox.npm("deploy", ["--auto-approve"], { STACK_NAME: STACK, TOKEN_URL }));
    expect(output).toMatch(/Apply complete! Resources: 0 added, 1 changed, 0 destroyed/);
    expect((await findApi()).map((api) => api.id)).toEqual([apiId]);
    const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    expect(fn.Configuration?.Environment?.Variables).toMatchObject({
      MODE: "proxy",
      TOKEN_URL: "https://auth.example.com/oauth/token",
    });
  });

  test("a new DEBUG_TTL_HOURS moves the expiry in place, from the same start", async () => {
    const output = await expectSuccess(
      // --skip-provider-lock, a cdktf-cli option older scripts pass, is accepted and ignored.
      sandbox.npm("deploy", ["--auto-approve", "--skip-provider-lock"], { STACK_NAME: STACK, TOKEN_URL, DEBUG_TTL_HOURS: "48" }),
    );
    expect(output).toMatch(/^The debugger expires at .+ \(48 h after its clock started at .+; npm run deploy -- --extend restarts it\)$/m);
    expect(output).toMatch(/Apply complete! Resources: 0 added, 1 changed, 0 destroyed/);
    expect((await deployedExpiry()).getTime() - firstExpiry.getTime()).toBe(24 * HOUR_MS);
    await expectEmptyPlan();
  });

  test("npm run deploy -- --extend restarts the clock: DEBUG_TTL_HOURS from now", async () => {
    const before = Date.now();
    const output = await expectSuccess(
      sandbox.npm("deploy", ["--extend", "--auto-approve"], { STACK_NAME: STACK, TOKEN_URL, DEBUG_TTL_HOURS: "48" }),
    );
    expect(output).toContain("(--extend restarts its clock)");
    // The clock is replaced, the function updated in place; nothing else moves.
    expect(output).toMatch(/Apply complete! Resources: 1 added, 1 changed, 1 destroyed/);
    const extended = await deployedExpiry();
    expectStampedDuring(extended, 48, before, Date.now());
    expect(extended.getTime()).toBeGreaterThan(firstExpiry.getTime() + 24 * HOUR_MS);
    await expectEmptyPlan();
  });

  test("npm run destroy names the account and leaves nothing behind, and never prints the fingerprint key", async () => {
    const key = (await clients.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }))).Configuration?.Environment?.Variables?.FINGERPRINT_KEY;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const output = await expectSuccess(sandbox.npm("destroy", ["--auto-approve"], { STACK_NAME: STACK }));
    expectPlainOutput(output);
    // Terraform lists every attribute of what it destroys, terraform_data's output in clear.
    expect(output).not.toContain(key!);
    expect(output).toContain("[fingerprint key: redacted]");
    expect(output).toContain(`Destroying in account 123456789012 (arn:aws:sts::123456789012:user/moto) in us-east-1, stack ${STACK}`);
    expect(output).toMatch(/Destroy complete! Resources: 18 destroyed/);
    expect(await findApi()).toEqual([]);
    const { Functions = [] } = await clients.lambda.send(new ListFunctionsCommand({}));
    expect(Functions.map((fn) => fn.FunctionName)).not.toContain(FUNCTION);
    const { Roles = [] } = await clients.iam.send(new ListRolesCommand({}));
    expect(Roles.map((role) => role.RoleName)).not.toContain(FUNCTION);
    const { logGroups = [] } = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP }));
    expect(logGroups).toEqual([]);
  });

  test("GIVEN a CLI config whose mirror lacks the provider WHEN npm run diff THEN one line says so and what to do", async () => {
    const emptyMirror = join(sandbox.dir, "empty-mirror");
    mkdirSync(emptyMirror);
    const cliConfig = join(sandbox.dir, "empty-mirror.rc");
    writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(emptyMirror)}\n  }\n}\n`);
    // Another stack folder, so that no provider installed above is at hand.
    const result = await sandbox.npm("diff", [], { STACK_NAME: "no-provider-debugger", TF_CLI_CONFIG_FILE: cliConfig });
    expectPlainOutput(result.output);
    expect(result.code).toBe(1);
    const stderr = result.stderr.split("\n").filter((line) => line.trim() !== "");
    expect(stderr).toEqual([
      `Terraform could not get the AWS provider (Could not retrieve the list of available versions for provider hashicorp/aws: provider registry.terraform.io/hashicorp/aws was not found in any of the search locations (${emptyMirror})): connect to registry.terraform.io, or point TF_CLI_CONFIG_FILE at a Terraform CLI config whose provider_installation names a mirror that holds it (see docs/deploying.md#providers-mirrors-and-lock-files); nothing was changed`,
    ]);
    expect(existsSync(join(sandbox.dir, "terraform.no-provider-debugger.tfstate"))).toBe(false);
  });
});

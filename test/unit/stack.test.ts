import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { readTemplate } from "../../infra/templates";
import { onlyResource, synthStack } from "../support/synth";

describe("TokenUrlStack", () => {
  const { synthesized, json } = synthStack();

  test("a regional REST API with POST /token and no authorizer", () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayRestApi, {
      name: "token-url-debugger",
      endpoint_configuration: { types: ["REGIONAL"] },
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayResource, { path_part: "token" });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayMethod, { http_method: "POST", authorization: "NONE" });
  });

  test("a non-proxy Lambda integration with the request template on every token content type", () => {
    const integration = onlyResource(json, "aws_api_gateway_integration").body;
    const requestTemplate = readTemplate("token-request");
    expect(integration).toMatchObject({
      type: "AWS",
      integration_http_method: "POST",
      passthrough_behavior: "WHEN_NO_TEMPLATES",
      uri: `\${${onlyResource(json, "aws_lambda_function").address}.invoke_arn}`,
    });
    expect(integration.request_templates).toEqual({
      "application/x-www-form-urlencoded": requestTemplate,
      "application/json": requestTemplate,
      "text/plain": requestTemplate,
    });
    expect(requestTemplate).toContain("$util.base64Encode($input.body)");
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayIntegration, { timeout_milliseconds: 29000 });
  });

  test("integration responses: the response template by default, an OAuth error for a failed Lambda", () => {
    const responses = Object.values(json.resource.aws_api_gateway_integration_response);
    const success = responses.find((response) => response.selection_pattern === undefined);
    const failure = responses.find((response) => response.selection_pattern === ".+");
    expect(success?.response_templates).toEqual({ "application/json": readTemplate("token-response") });
    expect(readTemplate("token-response")).toContain("$context.responseOverride.status");
    expect(failure?.response_templates["application/json"]).toContain('"error":"server_error"');
    expect(Object.values(json.resource.aws_api_gateway_method_response).map((r) => r.status_code).sort()).toEqual([
      "200",
      "502",
    ]);
  });

  test("the deployment redeploys on a hash of the API definition and waits for the whole API", () => {
    const deployment = onlyResource(json, "aws_api_gateway_deployment").body;
    expect(deployment.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.depends_on).toEqual(
      expect.arrayContaining([
        onlyResource(json, "aws_api_gateway_integration").address,
        onlyResource(json, "aws_api_gateway_method").address,
      ]),
    );
    expect(deployment.depends_on).toHaveLength(4); // method, integration, two integration responses
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayDeployment, {
      rest_api_id: `\${${onlyResource(json, "aws_api_gateway_rest_api").address}.id}`,
    });
  });

  test("a separate stage with throttling on every method", () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: "debug",
      deployment_id: `\${${onlyResource(json, "aws_api_gateway_deployment").address}.id}`,
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
      method_path: "*/*",
      settings: { throttling_rate_limit: 5, throttling_burst_limit: 10 },
    });
  });

  test("the Lambda: nodejs22.x on arm64, bundled asset without a source hash, env from config", () => {
    const fn = onlyResource(json, "aws_lambda_function").body;
    expect(fn).toMatchObject({
      function_name: "token-url-debugger-token-url",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 13, // 10 s upstream timeout + 3 s to log and answer
      environment: {
        variables: { MODE: "dummy", UPSTREAM_TIMEOUT_MS: "10000", CONNECT_TIMEOUT_MS: "3000", TLS_BYPASS: "false" },
      },
    });
    expect(fn.filename).toMatch(/^assets\/token-url_bundle_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
    expect(fn.source_code_hash).toBeUndefined();
    expect(fn.reserved_concurrent_executions).toBeUndefined();
  });

  test("the function depends on its log group, which keeps logs 3 days", () => {
    const logGroup = onlyResource(json, "aws_cloudwatch_log_group");
    expect(logGroup.body).toMatchObject({ name: "/aws/lambda/token-url-debugger-token-url", retention_in_days: 3 });
    expect(onlyResource(json, "aws_lambda_function").body.depends_on).toEqual([logGroup.address]);
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 3 });
  });

  test("the role may only create streams and put events in that log group", () => {
    const logGroup = onlyResource(json, "aws_cloudwatch_log_group").address;
    const role = onlyResource(json, "aws_iam_role");
    const policy = onlyResource(json, "aws_iam_role_policy").body;
    expect(policy.role).toBe(`\${${role.address}.id}`);
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `\${${logGroup}.arn}:*` },
      ],
    });
    expect(JSON.parse(role.body.assume_role_policy).Statement[0].Principal).toEqual({ Service: "lambda.amazonaws.com" });
    expect(onlyResource(json, "aws_lambda_function").body.role).toBe(`\${${role.address}.arn}`);
  });

  test("the invoke permission is scoped to this API's POST /token on its stage", () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
      source_arn: `\${${onlyResource(json, "aws_api_gateway_rest_api").address}.execution_arn}/debug/POST/token`,
    });
  });

  test("outputs: the token URL for the Alexa console, the log group, mode and region", () => {
    expect(json.output.token_url.value).toBe(`\${${onlyResource(json, "aws_api_gateway_stage").address}.invoke_url}/token`);
    expect(json.output.log_group.value).toBe(`\${${onlyResource(json, "aws_cloudwatch_log_group").address}.name}`);
    expect(json.output.mode.value).toBe("dummy");
    expect(json.output.region.value).toBe("us-east-1");
    expect(json.output.upstream_token_url).toBeUndefined(); // dummy mode forwards nowhere
  });

  test("local state by default", () => {
    expect(json.terraform?.backend?.s3).toBeUndefined();
  });
});

describe("TokenUrlStack with options", () => {
  test("proxy mode passes the token URL, timeouts and TLS bypass to the function", () => {
    const { json } = synthStack({
      TOKEN_URL: "https://auth.example.com/token",
      UPSTREAM_TIMEOUT_MS: "4500",
      CONNECT_TIMEOUT_MS: "1500",
      TLS_BYPASS: "true",
    });
    const fn = onlyResource(json, "aws_lambda_function").body;
    expect(fn.environment.variables).toEqual({
      MODE: "proxy",
      TOKEN_URL: "https://auth.example.com/token",
      UPSTREAM_TIMEOUT_MS: "4500",
      CONNECT_TIMEOUT_MS: "1500",
      TLS_BYPASS: "true",
      DEBUGGER_EXPIRES_AT: "${timeadd(terraform_data.debugger_clock.output, \"24h\")}",
      // Made once per stack by Terraform and kept (infra/fingerprint-key.ts); never in a record.
      FINGERPRINT_KEY: "${terraform_data.fingerprint_key.output}",
    });
    expect(fn.timeout).toBe(8);
    // npm run link reads it to refuse a skill that points at another server
    expect(json.output.upstream_token_url.value).toBe("https://auth.example.com/token");
  });

  test("reserved concurrency, retention, throttling and names follow the config", () => {
    const { synthesized, json } = synthStack({
      STACK_NAME: "skill-a",
      RESERVED_CONCURRENCY: "2",
      LOG_RETENTION_DAYS: "7",
      THROTTLE_RATE_LIMIT: "1",
      THROTTLE_BURST_LIMIT: "2",
      AWS_REGION: "eu-west-1",
    });
    expect(synthesized).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "skill-a-token-url",
      reserved_concurrent_executions: 2,
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/skill-a-token-url",
      retention_in_days: 7,
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
      settings: { throttling_rate_limit: 1, throttling_burst_limit: 2 },
    });
    expect(json.provider.aws[0].region).toBe("eu-west-1");
  });

  test("GIVEN the default TTL THEN the expiry is stamped once at the first apply and 24 h added", () => {
    const { json } = synthStack();
    // timestamp() alone would change on every plan; ignoring the input after create keeps it.
    expect(json.resource.terraform_data).toEqual({
      debugger_clock: { input: "${timestamp()}", lifecycle: { ignore_changes: ["input"] } },
      fingerprint_key: expect.anything(),
    });
    const expiresAt = '${timeadd(terraform_data.debugger_clock.output, "24h")}';
    expect(onlyResource(json, "aws_lambda_function").body.environment.variables.DEBUGGER_EXPIRES_AT).toBe(expiresAt);
    expect(json.output.expires_at.value).toBe(expiresAt);
  });

  test("GIVEN DEBUG_TTL_HOURS=72 THEN the same clock with 72 h added", () => {
    const { json } = synthStack({ DEBUG_TTL_HOURS: "72" });
    expect(json.output.expires_at.value).toBe('${timeadd(terraform_data.debugger_clock.output, "72h")}');
  });

  test("GIVEN any stack THEN its fingerprint key is made once by Terraform, kept, given to the function, and output only as sensitive", () => {
    const { json } = synthStack();
    // uuid() alone would change on every plan; ignoring the input after create keeps the key,
    // so fingerprints stay equal across deploys (the link timeline relies on it).
    expect(json.resource.terraform_data.fingerprint_key).toEqual({
      input: '${sensitive(sha256("${uuid()}${uuid()}"))}',
      lifecycle: { ignore_changes: ["input"] },
    });
    expect(onlyResource(json, "aws_lambda_function").body.environment.variables.FINGERPRINT_KEY).toBe("${terraform_data.fingerprint_key.output}");
    expect(json.output.fingerprint_key).toEqual({ value: "${terraform_data.fingerprint_key.output}", sensitive: true });
  });

  test("GIVEN DEBUG_TTL_HOURS=0 THEN no clock, no expiry in the function, and the output says never", () => {
    const { json } = synthStack({ DEBUG_TTL_HOURS: "0" });
    expect(json.resource.terraform_data.debugger_clock).toBeUndefined();
    expect(onlyResource(json, "aws_lambda_function").body.environment.variables.DEBUGGER_EXPIRES_AT).toBeUndefined();
    expect(json.output.expires_at.value).toBe("never");
  });

  test("GIVEN DEBUGGER_EXPIRES_AT in the deploying shell THEN the stack ignores it (it is npm start's)", () => {
    const { json } = synthStack({ DEBUGGER_EXPIRES_AT: "2020-01-01T00:00:00Z" });
    expect(JSON.stringify(json)).not.toContain("2020-01-01");
  });

  test("STATE_BUCKET switches to an encrypted, lock-file S3 backend", () => {
    const { json } = synthStack({ STACK_NAME: "skill-a", STATE_BUCKET: "team-state", STATE_REGION: "eu-central-1" });
    expect(json.terraform?.backend?.s3).toEqual({
      bucket: "team-state",
      key: "skill-a/terraform.tfstate",
      region: "eu-central-1",
      encrypt: true,
      use_lockfile: true,
    });
  });
});

import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ApiStage } from "./api-stage";
import { Config, functionEnvironment, functionNameOf } from "./config";
import { DebuggerExpiry } from "./debugger-expiry";
import { FingerprintKey } from "./fingerprint-key";
import { STAGE_NAME, TOKEN_PATH } from "./api-routes";
import { TokenApi } from "./token-api";
import { TokenFunction } from "./token-function";
import { readTemplate } from "./templates";

export interface TokenUrlStackProps {
  readonly config: Config;
  /** Folder holding the freshly built Lambda bundle. */
  readonly bundleDir: string;
}

// Seconds the function gets beyond the upstream timeout to classify, log and answer.
const FUNCTION_TIMEOUT_HEADROOM_SECONDS = 3;

/** Everything one debugger needs: API Gateway → Lambda → CloudWatch Logs. */
export class TokenUrlStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: TokenUrlStackProps) {
    super(scope, id);
    const { config } = props;

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { Project: "alexa-token-url-debugger", Stack: config.stackName } }],
    });
    if (config.stateBackend) {
      const backend = new S3Backend(this, { ...config.stateBackend, encrypt: true });
      // S3-native locking (Terraform ≥ 1.10) needs no DynamoDB table; cdktf 0.21 predates the option.
      backend.addOverride("use_lockfile", true);
    }

    const functionName = functionNameOf(config);
    const expiry = new DebuggerExpiry(this, "expiry", { ttlHours: config.debugTtlHours });
    const fingerprintKey = new FingerprintKey(this, "fingerprint");
    const tokenFunction = new TokenFunction(this, "token-url", {
      functionName,
      bundleDir: props.bundleDir,
      environment: {
        ...functionEnvironment(config),
        ...(expiry.expiresAt ? { DEBUGGER_EXPIRES_AT: expiry.expiresAt } : {}),
        FINGERPRINT_KEY: fingerprintKey.value,
      },
      timeoutSeconds: Math.ceil(config.upstreamTimeoutMs / 1000) + FUNCTION_TIMEOUT_HEADROOM_SECONDS,
      logRetentionDays: config.logRetentionDays,
      reservedConcurrency: config.reservedConcurrency,
    });

    const api = new TokenApi(this, "api", {
      name: config.stackName,
      functionName,
      functionInvokeArn: tokenFunction.invokeArn,
      stageName: STAGE_NAME,
      requestTemplate: readTemplate("token-request"),
      responseTemplate: readTemplate("token-response"),
      errorResponseTemplate: readTemplate("token-error-response"),
    });
    const stage = new ApiStage(this, "stage", {
      restApiId: api.restApiId,
      stageName: STAGE_NAME,
      redeployHash: api.redeployHash,
      dependsOn: api.deploymentDependencies,
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
    });

    new TerraformOutput(this, "token_url", {
      description: "Paste into the Alexa developer console: Account Linking → Access Token URI",
      value: `${stage.invokeUrl}/${TOKEN_PATH}`,
    });
    new TerraformOutput(this, "log_group", { value: tokenFunction.logGroupName });
    new TerraformOutput(this, "mode", { value: config.mode });
    new TerraformOutput(this, "region", { value: config.region });
    // `npm run link` and `npm run logs` read it; "never" only with DEBUG_TTL_HOURS=0.
    new TerraformOutput(this, "expires_at", {
      description: "When the debugger stops forwarding (npm run deploy -- --extend restarts the clock)",
      value: expiry.expiresAt ?? "never",
    });
    if (expiry.startedAt) {
      // The deploy line reads it to say when the clock will run out with a changed TTL.
      new TerraformOutput(this, "expiry_started_at", { value: expiry.startedAt });
    }
    // `npm run verify` and `npm run -s fingerprint -- --deployed` compute fingerprints as this
    // deployment does; sensitive, so cdktf and Terraform never print it.
    new TerraformOutput(this, "fingerprint_key", { value: fingerprintKey.value, sensitive: true });
    if (config.mode === "proxy" && config.tokenUrl) {
      // `npm run link` checks the skill points here before putting the wrapper in front of it.
      new TerraformOutput(this, "upstream_token_url", {
        description: "The real token URL the wrapper forwards to",
        value: config.tokenUrl,
      });
    }
  }
}

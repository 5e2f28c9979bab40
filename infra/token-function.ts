import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { lambdaLogGroupName } from "./config";

export interface TokenFunctionProps {
  /** Function name; also names its log group and role. */
  readonly functionName: string;
  /** Folder holding the esbuild bundle (index.js). */
  readonly bundleDir: string;
  /** The function's environment (mode, token URL, timeouts). */
  readonly environment: Record<string, string>;
  /** Seconds; set above the upstream timeout so the record is always logged. */
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  /** @default undefined — no reservation: accounts at the minimum quota of 10 reject any. */
  readonly reservedConcurrency?: number;
}

/** The token-url Lambda with its log group and a role that may write only to that group. */
export class TokenFunction extends Construct {
  private readonly lambda: LambdaFunction;
  private readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: TokenFunctionProps) {
    super(scope, id);

    // Created here, with retention, before the function: else Lambda creates it on first run
    // with infinite retention and the next apply fails with "already exists".
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: lambdaLogGroupName(props.functionName),
      retentionInDays: props.logRetentionDays,
    });

    const role = new IamRole(this, "role", {
      name: props.functionName,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    });
    // No logs:CreateLogGroup on purpose: the group above is the only place it may write.
    new IamRolePolicy(this, "write-logs", {
      name: "write-own-log-group",
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${this.logGroup.arn}:*`,
          },
        ],
      }),
    });

    // No sourceCodeHash: the asset path already changes with the bundle's content, and an MD5
    // here would show a diff on every plan.
    const code = new TerraformAsset(this, "bundle", { path: props.bundleDir, type: AssetType.ARCHIVE });
    this.lambda = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: "Alexa Account Linking token URL debugger",
      role: role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      memorySize: 256,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: props.environment },
      dependsOn: [this.logGroup],
    });
  }

  get invokeArn(): string {
    return this.lambda.invokeArn;
  }

  get logGroupName(): string {
    return this.logGroup.name;
  }
}

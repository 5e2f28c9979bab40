import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface ApiStageProps {
  readonly restApiId: string;
  readonly stageName: string;
  /** Hash of the API definition; a new value replaces the deployment. */
  readonly redeployHash: string;
  readonly dependsOn: ITerraformDependable[];
  /** Steady-state requests per second for the whole stage. */
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
}

/** A deployment (snapshot), the stage that serves it, and the stage's throttling, so that a
 * public debug URL cannot run up a bill. */
export class ApiStage extends Construct {
  private readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id);
    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: props.restApiId,
      triggers: { redeployment: props.redeployHash },
      dependsOn: props.dependsOn,
      // Else the old deployment is deleted first and fails: "Active stages pointing to this deployment".
      lifecycle: { createBeforeDestroy: true },
    });
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: props.restApiId,
      deploymentId: deployment.id,
      stageName: props.stageName,
    });
    new ApiGatewayMethodSettings(this, "throttling", {
      restApiId: props.restApiId,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
      },
    });
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }
}

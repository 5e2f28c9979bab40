import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { TOKEN_PATH } from "./api-routes";
import { redeployHash } from "./redeploy-hash";
import { REQUEST_CONTENT_TYPES } from "./templates";

export interface TokenApiProps {
  readonly name: string;
  /** A plain string, not a token: it goes into the redeploy hash, which must be the same in
   * every synth (tokens are numbered in creation order). */
  readonly functionName: string;
  readonly functionInvokeArn: string;
  /** The stage the permission is scoped to. */
  readonly stageName: string;
  readonly requestTemplate: string;
  readonly responseTemplate: string;
  readonly errorResponseTemplate: string;
}


interface IntegrationResponseDefinition {
  readonly statusCode: string;
  readonly selectionPattern?: string;
  readonly responseTemplates: Record<string, string>;
}

/**
 * A regional REST API with `POST /token`, no authorizer (Alexa sends none), wired to the
 * function through a non-proxy integration whose mapping templates shape the request and the
 * answer. Non-proxy because the request template can read every header and the raw body, and
 * the response template can pass the upstream's status and headers through unchanged.
 */
export class TokenApi extends Construct {
  /** Hash of everything a deployment snapshots; changes exactly when a redeploy is needed. */
  readonly redeployHash: string;
  /** What a deployment must wait for, or it snapshots a half-built API. */
  readonly deploymentDependencies: ITerraformDependable[];
  private readonly restApi: ApiGatewayRestApi;

  constructor(scope: Construct, id: string, props: TokenApiProps) {
    super(scope, id);

    // One plain definition feeds both the resources and the redeploy hash, so the hash cannot
    // miss a setting the resources use.
    const definition = {
      pathPart: TOKEN_PATH,
      httpMethod: "POST",
      authorization: "NONE",
      integration: {
        type: "AWS",
        integrationHttpMethod: "POST",
        functionName: props.functionName,
        // Unmapped content types get 415; all the ones a token client sends are mapped.
        passthroughBehavior: "WHEN_NO_TEMPLATES",
        requestTemplates: Object.fromEntries(
          REQUEST_CONTENT_TYPES.map((type) => [type, props.requestTemplate]),
        ),
        timeoutMilliseconds: 29_000,
      },
      // The response template overrides the status, so 200 here is only the default.
      success: { statusCode: "200", responseTemplates: { "application/json": props.responseTemplate } },
      // A Lambda that crashed or timed out returns errorMessage, which ".+" matches.
      failure: {
        statusCode: "502",
        selectionPattern: ".+",
        responseTemplates: { "application/json": props.errorResponseTemplate },
      },
    };
    this.redeployHash = redeployHash(definition);

    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: props.name,
      description: "Alexa Account Linking token URL debugger",
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    const resource = new ApiGatewayResource(this, "token-resource", {
      restApiId: this.restApi.id,
      parentId: this.restApi.rootResourceId,
      pathPart: definition.pathPart,
    });
    const method = new ApiGatewayMethod(this, "post-method", {
      restApiId: this.restApi.id,
      resourceId: resource.id,
      httpMethod: definition.httpMethod,
      authorization: definition.authorization,
    });
    const integration = new ApiGatewayIntegration(this, "integration", {
      restApiId: this.restApi.id,
      resourceId: resource.id,
      httpMethod: method.httpMethod,
      type: definition.integration.type,
      integrationHttpMethod: definition.integration.integrationHttpMethod,
      uri: props.functionInvokeArn,
      passthroughBehavior: definition.integration.passthroughBehavior,
      requestTemplates: definition.integration.requestTemplates,
      timeoutMilliseconds: definition.integration.timeoutMilliseconds,
    });

    const integrationResponses: IntegrationResponseDefinition[] = [definition.success, definition.failure];
    const responses = integrationResponses.map((response) => {
      const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${response.statusCode}`, {
        restApiId: this.restApi.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
      });
      return new ApiGatewayIntegrationResponse(this, `integration-response-${response.statusCode}`, {
        restApiId: this.restApi.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        selectionPattern: response.selectionPattern,
        responseTemplates: response.responseTemplates,
        dependsOn: [integration],
      });
    });
    this.deploymentDependencies = [method, integration, ...responses];

    new LambdaPermission(this, "invoke-permission", {
      statementId: "AllowTokenApiInvoke",
      action: "lambda:InvokeFunction",
      functionName: props.functionName,
      principal: "apigateway.amazonaws.com",
      // The name is plain text, so the dependency on the function goes through the integration.
      dependsOn: [integration],
      // Only this API's POST /token on its own stage may invoke the function.
      sourceArn: `${this.restApi.executionArn}/${props.stageName}/${definition.httpMethod}/${TOKEN_PATH}`,
    });
  }

  get restApiId(): string {
    return this.restApi.id;
  }
}

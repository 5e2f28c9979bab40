import { TerraformStack, Testing } from "cdktf";
import { redeployHash } from "../../infra/redeploy-hash";
import { TokenApi, TokenApiProps } from "../../infra/token-api";
import { readTemplate } from "../../infra/templates";
import { onlyResource, synthStack } from "../support/synth";

function apiHash(overrides: Partial<TokenApiProps> = {}): string {
  return new TokenApi(new TerraformStack(Testing.app(), "stack"), "api", {
    name: "debugger",
    functionName: "debugger-token-url",
    functionInvokeArn: "arn:aws:apigateway:us-east-1:lambda:path/fn",
    stageName: "debug",
    requestTemplate: readTemplate("token-request"),
    responseTemplate: readTemplate("token-response"),
    errorResponseTemplate: readTemplate("token-error-response"),
    ...overrides,
  }).redeployHash;
}

describe("redeploy hash", () => {
  test("GIVEN the same definition twice THEN the same hash", () => {
    expect(apiHash()).toBe(apiHash());
  });

  test.each(["requestTemplate", "responseTemplate", "errorResponseTemplate"] as const)(
    "GIVEN a changed %s THEN a new hash",
    (template) => {
      expect(apiHash({ [template]: `${readTemplate("token-request")}\n## edited` })).not.toBe(apiHash());
    },
  );

  test("GIVEN another function THEN a new hash (the integration points elsewhere)", () => {
    expect(apiHash({ functionName: "other-token-url" })).not.toBe(apiHash());
  });

  test("GIVEN settings outside the API (mode, timeout, retention) THEN the deployment is kept", () => {
    const hashOf = (source: Record<string, string>) =>
      onlyResource(synthStack(source).json, "aws_api_gateway_deployment").body.triggers.redeployment;
    expect(hashOf({})).toBe(hashOf({ TOKEN_URL: "https://a.example/t", UPSTREAM_TIMEOUT_MS: "2000", LOG_RETENTION_DAYS: "7" }));
  });

  test("key order does not matter, values do", () => {
    expect(redeployHash({ a: 1, b: { c: [1, 2] } })).toBe(redeployHash({ b: { c: [1, 2] }, a: 1 }));
    expect(redeployHash({ a: 1, b: { c: [2, 1] } })).not.toBe(redeployHash({ a: 1, b: { c: [1, 2] } }));
  });
});

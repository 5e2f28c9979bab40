/** One clear line for each way reading CloudWatch Logs fails, instead of an SDK stack trace. */
export function describeAwsError(error: unknown, where: { region: string; logGroup: string }): string {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as Error).message ?? String(error);
  switch (name) {
    case "CredentialsProviderError":
      return (
        "No AWS credentials found. Set AWS_PROFILE (or pass --profile), run `aws configure` or " +
        "`aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
      );
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "ExpiredTokenException":
      return `AWS rejected the credentials (${name}): refresh them (e.g. \`aws sso login\`) and try again.`;
    case "ResourceNotFoundException":
      return (
        `Log group ${where.logGroup} not found in ${where.region}: not deployed yet (npx cdktf deploy), ` +
        "or deployed in another region (set AWS_REGION or pass --region) or under another STACK_NAME?"
      );
    case "AccessDeniedException":
      return (
        `Access denied reading ${where.logGroup} in ${where.region}: the credentials need ` +
        `logs:FilterLogEvents on arn:aws:logs:${where.region}:<account>:log-group:${where.logGroup}:*`
      );
    case "ThrottlingException":
      return "CloudWatch Logs is throttling requests even after retries; wait a minute and try again.";
    default:
      return `Reading ${where.logGroup} in ${where.region} failed: ${name ? `${name}: ` : ""}${message}`;
  }
}

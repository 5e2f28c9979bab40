import { describeCredentialsError } from "../cli/aws-credentials";

/** One clear line for each way reading CloudWatch Logs fails, instead of an SDK stack trace. */
export function describeAwsError(error: unknown, where: { region: string; logGroup: string }): string {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as Error).message ?? String(error);
  const credentials = describeCredentialsError(error);
  if (credentials) return credentials;
  switch (name) {
    case "ResourceNotFoundException":
      return (
        `Log group ${where.logGroup} not found in ${where.region}: not deployed yet (npm run deploy), ` +
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

/** What to tell a user whose AWS credentials are missing or refused, for every command that
 * calls AWS (logs, deploy, diff, destroy): one line that names how to set them. */

const REFUSED = new Set([
  // CloudWatch Logs
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  // STS
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
]);

export const NO_CREDENTIALS =
  "No AWS credentials found. Set AWS_PROFILE (or pass --profile), run `aws configure` or " +
  "`aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";

/** The line for a credentials failure, or undefined when `error` is something else. */
export function describeCredentialsError(error: unknown): string | undefined {
  const name = (error as { name?: string }).name ?? "";
  if (name === "CredentialsProviderError") return NO_CREDENTIALS;
  if (REFUSED.has(name)) return `AWS rejected the credentials (${name}): refresh them (e.g. \`aws sso login\`) and try again.`;
  return undefined;
}

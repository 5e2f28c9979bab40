import { describeCredentialsError } from "../cli/aws-credentials";

export interface AwsAccount {
  readonly account: string;
  readonly arn: string;
}

/** A preflight that stops the command, with the one line to show. */
export class PreflightError extends Error {}

/**
 * Who the SDK's default credential chain says we are (STS GetCallerIdentity needs no
 * permission), so that a deploy names its target account before Terraform runs, and missing
 * credentials fail here in one line instead of after init and plan with Terraform's IMDS text.
 */
export async function resolveAwsAccount(region: string, profile?: string): Promise<AwsAccount> {
  // Loaded here, not when the command starts: the SDK takes longer to load than the rest of
  // the command, and --help or a config error never needs it (npm run bench -- startup).
  const { GetCallerIdentityCommand, STSClient } = await import("@aws-sdk/client-sts");
  const sts = new STSClient({ region, profile, maxAttempts: 2 });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { account: identity.Account ?? "(unknown)", arn: identity.Arn ?? "(unknown)" };
  } catch (error) {
    const name = (error as { name?: string }).name;
    throw new PreflightError(
      describeCredentialsError(error) ??
        `Could not ask AWS STS in ${region} which account the credentials belong to: ${name ? `${name}: ` : ""}${(error as Error).message}`,
    );
  } finally {
    sts.destroy();
  }
}

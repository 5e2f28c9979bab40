import { Config } from "../../infra/config";
import { DeployedStack, NoDeployedStack, readDeployedStack } from "./deployed-stack";

export interface DebuggerTarget {
  /** The URL link puts into the skill. */
  readonly tokenUrl: string;
  /** In proxy mode, where the wrapper forwards Alexa's requests (its TOKEN_URL). */
  readonly upstreamTokenUrl?: string;
  /** When the deployed debugger stops forwarding; undefined: never, or not known (--token-url). */
  readonly expiresAt?: Date;
}

/**
 * The debugger to link: the deployed stack's outputs, which say what was really deployed;
 * --token-url overrides the URL (a debugger deployed elsewhere, `npm start` behind a tunnel),
 * and without a deployment here the configuration (TOKEN_URL) says what the wrapper forwards to.
 */
export function debuggerTarget(explicitUrl: string | undefined, config: Config, projectDir?: string): DebuggerTarget {
  let deployed: DeployedStack | undefined;
  try {
    deployed = readDeployedStack(config, projectDir);
  } catch (error) {
    if (!(error instanceof NoDeployedStack) || explicitUrl === undefined) throw error;
  }
  const proxy = deployed ? deployed.mode === "proxy" : config.mode === "proxy";
  return {
    tokenUrl: explicitUrl ?? deployed!.tokenUrl,
    // A stack deployed before the upstream_token_url output existed: the configuration's.
    upstreamTokenUrl: proxy ? (deployed?.upstreamTokenUrl ?? config.tokenUrl) : undefined,
    expiresAt: deployed?.expiresAt,
  };
}

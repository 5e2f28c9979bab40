import { fingerprint } from "../../functions/token-url/fingerprint";
import { ProbeOptions } from "./probe-options";

// The values a user passes in, by the words the report uses for them.
const SECRETS: [label: string, pick: (options: ProbeOptions) => string | undefined][] = [
  ["client secret", (options) => options.clientSecret],
  ["code", (options) => options.code],
  ["refresh token", (options) => options.refreshToken],
];

/**
 * "client secret fingerprint: [redacted len=12 sha256=1f3fa74b]" for each secret value given
 * on the command line: the same fingerprint the Lambda's records show, so a user can check
 * that the console holds the value they just tested, without either being printed.
 */
export function secretFingerprintLines(options: ProbeOptions): string[] {
  return SECRETS.flatMap(([label, pick]) => {
    const value = pick(options);
    return value === undefined ? [] : [`${label} fingerprint: ${fingerprint(value)}`];
  });
}

/**
 * `npm run probe -- <token-url>`: calls a token URL the way Alexa does and prints the
 * diagnosis (or the attempt record as JSON), from a laptop, without AWS.
 */
import { AccountLinking, AmazonApiError, SmapiClient } from "./amazon/smapi-client";
import { exitQuietlyOnBrokenPipe } from "./cli/broken-pipe";
import { readSecretFromStdin } from "./cli/read-secret-stdin";
import { UsageError } from "./cli/usage-error";
import { DEFAULT_VENDOR_ID, PROBE_USAGE, parseProbeOptions, ProbeOptions } from "./probe/probe-options";
import { authorizeCheckRecord, probeAuthorization } from "./probe/authorize-probe";
import { runProbe } from "./probe/run-probe";
import { secretFingerprintLines } from "./probe/secret-fingerprints";
import { skillSettingsLine, withSkillAuthorizeSettings, withSkillFindings, withSkillSettings } from "./probe/skill-settings";
import { writeHtmlReport, toolVersion } from "./report/html-file";
import { renderAttempt } from "./report/render-attempt";
import { renderAuthorizeCheck } from "./report/render-authorize";
import { renderAttemptHtml } from "./report/render-html";
import { buildAttemptReport } from "./report/report-model";
import { outputLayout } from "./report/output-layout";

const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

async function main(argv: string[]): Promise<number> {
  let options: ProbeOptions;
  try {
    const parsed = parseProbeOptions(argv, process.env);
    if (parsed === "help") {
      console.log(PROBE_USAGE);
      return EXIT.pass;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    console.error(`\n${PROBE_USAGE}`);
    return EXIT.usage;
  }

  for (const warning of options.warnings) console.error(warning);
  if (options.stdinSecret === "clientSecret") {
    options = { ...options, clientSecret: await readSecretFromStdin("client secret") };
  } else if (options.stdinSecret === "refreshToken") {
    options = { ...options, refreshToken: await readSecretFromStdin("refresh token") };
  }
  let skill: AccountLinking | undefined;
  if (options.skill) {
    try {
      skill = (await SmapiClient.fromEnvironment(process.env).getAccountLinking(options.skill.skillId, "development")).accountLinking;
      options = options.authorize
        ? withSkillAuthorizeSettings(options, options.skill, skill)
        : withSkillSettings(options, options.skill, skill);
    } catch (error) {
      if (!(error instanceof AmazonApiError)) throw error;
      console.error(error.message);
      return EXIT.usage;
    }
  }
  if (options.authorize) {
    const { authorize } = options;
    const now = new Date();
    const { section, findings } = await probeAuthorization(
      { authorizeUrl: authorize.url, clientId: options.clientId, scope: authorize.scope, vendorId: authorize.vendorId ?? DEFAULT_VENDOR_ID, timeoutMs: options.timeoutMs },
      { now },
    );
    const check = authorizeCheckRecord(section, findings, now);
    print(options.json ? JSON.stringify(check) : renderAuthorizeCheck(check, outputLayout(process.stdout, process.env, options.color)));
    return check.verdict === "fail" ? EXIT.fail : EXIT.pass;
  }
  let record = await runProbe(options);
  if (skill) record = withSkillFindings(record, skill, options.auth);
  if (options.json) {
    print(JSON.stringify(record));
  } else {
    if (options.skill) print(`${skillSettingsLine(options.skill, options)}\n`);
    print(renderAttempt(record, outputLayout(process.stdout, process.env, options.color)));
    const fingerprints = secretFingerprintLines(options);
    if (fingerprints.length > 0) print(["", ...fingerprints].join("\n"));
  }
  if (options.html && !writeHtmlReport(options.html, renderAttemptHtml(buildAttemptReport(record), { toolVersion: toolVersion() }))) {
    return EXIT.usage;
  }
  return record.verdict === "fail" ? EXIT.fail : EXIT.pass;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

// exitCode, not exit(): a pipe (`--json | jq`) may still be draining on some platforms.
exitQuietlyOnBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = EXIT.usage;
  },
);

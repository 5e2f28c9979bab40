/**
 * `npm run probe -- <token-url>`: calls a token URL the way Alexa does and prints the
 * diagnosis (or the attempt record as JSON), from a laptop, without AWS.
 */
import { AccountLinking, AmazonApiError, SmapiClient } from "./amazon/smapi-client";
import { exitQuietlyOnBrokenPipe } from "./cli/broken-pipe";
import { readSecretFromStdin } from "./cli/read-secret-stdin";
import { UsageError } from "./cli/usage-error";
import { Verdict } from "../functions/token-url/diagnosis/finding";
import { AuthorizeTarget, DEFAULT_VENDOR_ID, PROBE_USAGE, parseProbeOptions, ProbeOptions } from "./probe/probe-options";
import { authorizeCheckRecord, probeAuthorization, withAuthorization } from "./probe/authorize-probe";
import { runProbeScrubbed } from "./probe/run-probe";
import { savedTokens, writeSavedTokens } from "./probe/saved-tokens";
import { safeJson, sealRecord } from "../functions/token-url/record-exit";
import { Scrubber } from "../functions/token-url/scrubber";
import { secretFingerprintLines } from "./probe/secret-fingerprints";
import { skillSettingsLine, withSkillAuthorizeSettings, withSkillFindings, withSkillSettings } from "./probe/skill-settings";
import { writeHtmlReport, toolVersion } from "./report/html-file";
import { renderAttemptReport } from "./report/render-attempt";
import { renderAttemptHtml } from "./report/render-html";
import { AttemptReport, buildAttemptReport, buildAuthorizeCheckReport } from "./report/report-model";
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
  } else if (options.stdinSecret === "code") {
    const code = await readSecretFromStdin("authorization code");
    if (code === "") {
      console.error("--code-stdin: standard input held no code");
      return EXIT.usage;
    }
    options = { ...options, code };
  }
  let skill: AccountLinking | undefined;
  const source = options.skill;
  if (source) {
    try {
      skill = (await SmapiClient.fromEnvironment(process.env).getAccountLinking(source.skillId, "development")).accountLinking;
      options = withSkillSettings(options, source, skill);
      if (options.authorize) options = withSkillAuthorizeSettings(options, source, skill);
    } catch (error) {
      if (!(error instanceof AmazonApiError)) throw error;
      console.error(error.message);
      return EXIT.usage;
    }
  }
  const now = new Date();
  const authorizeCheck = (target: AuthorizeTarget) =>
    probeAuthorization(
      {
        authorizeUrl: target.url,
        clientId: options.clientId,
        scope: target.scope,
        vendorId: target.vendorId ?? DEFAULT_VENDOR_ID,
        timeoutMs: options.timeoutMs,
        pkce: options.pkce === true,
        ...(target.redirectUrls && { redirectUrls: target.redirectUrls }),
      },
      { now },
    );
  const layout = outputLayout(process.stdout, process.env, options.color);
  let report: AttemptReport;
  let verdict: Verdict;
  if (options.authorize && options.tokenUrl === "") {
    // No token URL to probe: the authorization check is a record of its own.
    const { section, findings } = await authorizeCheck(options.authorize);
    const check = sealRecord(authorizeCheckRecord(section, findings, now), optionSecrets(options));
    report = buildAuthorizeCheckReport(check);
    print(options.json ? safeJson(check) : renderAttemptReport(report, layout));
    verdict = check.verdict;
  } else {
    if (options.grant === "refresh_token") console.error(spendingNote(options));
    // The token request and the authorization requests (one per redirect URL, and a made-up
    // one) go out at once.
    const [probed, authorization] = await Promise.all([
      runProbeScrubbed(options),
      options.authorize ? authorizeCheck(options.authorize) : undefined,
    ]);
    let record = skill ? withSkillFindings(probed.record, skill, options.auth) : probed.record;
    if (authorization) record = withAuthorization(record, authorization.section, authorization.findings);
    // What was added after the attempt leaves through the same scrubber.
    record = sealRecord(record, probed.scrubber.with(optionSecrets(options).secrets));
    report = buildAttemptReport(record);
    if (options.json) {
      print(safeJson(record));
    } else {
      if (options.skill) print(`${skillSettingsLine(options.skill, options)}\n`);
      print(renderAttemptReport(report, layout));
      const fingerprints = secretFingerprintLines(options);
      if (fingerprints.length > 0) print(["", ...fingerprints].join("\n"));
    }
    verdict = record.verdict;
    if (options.saveTokens) {
      const saved = writeSavedTokens(options.saveTokens, savedTokens(options.tokenUrl, probed.issued, now));
      console.error(saved.line);
      if (!saved.ok) return EXIT.usage;
    }
  }
  if (options.html && !writeHtmlReport(options.html, renderAttemptHtml(report, { toolVersion: toolVersion() }))) {
    return EXIT.usage;
  }
  return verdict === "fail" ? EXIT.fail : EXIT.pass;
}

/** Said before a refresh probe sends anything: it may cost the user the token it presents. */
function spendingNote(options: ProbeOptions): string {
  const twice = options.checkRotation ? " (twice, with --check-rotation)" : "";
  const keep = options.saveTokens
    ? `what the server issues goes to ${options.saveTokens} (mode 0600).`
    : "add --save-tokens FILE to keep what the server issues.";
  return (
    `note: this probe spends the refresh token${twice}: on a server that rotates refresh tokens, the one you passed may ` +
    `not work afterwards. Use a test user's token, never a real user's; ${keep}`
  );
}

/** The secrets the user handed the probe. */
function optionSecrets(options: ProbeOptions): Scrubber {
  return new Scrubber([options.clientSecret, options.code, options.refreshToken].filter((value): value is string => !!value));
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

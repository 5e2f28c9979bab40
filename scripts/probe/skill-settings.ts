/**
 * `probe --skill-id`: the token URL, client id and client-auth scheme Alexa really uses, read
 * from the skill's development stage through SMAPI, so the probe tests the skill's settings
 * rather than retyped ones; and the skill-settings findings added to the probe's record.
 */
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { otherScheme } from "../../functions/token-url/diagnosis/client-auth-scheme-rules";
import { verdictOf } from "../../functions/token-url/diagnosis/finding";
import { SCHEME_OF_SMAPI, skillSettingsFindings } from "../../functions/token-url/diagnosis/skill-settings-rules";
import { AccountLinking, AmazonApiError } from "../amazon/smapi-client";
import { DEFAULT_VENDOR_ID, isAuthorizeUrl, ProbeOptions, SkillSource, VENDOR_ID_PATTERN } from "./probe-options";

/** The probe's options with what the skill holds filled in where the command line gave none. */
export function withSkillSettings(options: ProbeOptions, skill: SkillSource, settings: AccountLinking): ProbeOptions {
  const take = (name: SkillSource["takes"][number]) => skill.takes.includes(name);
  const tokenUrl = settings.accessTokenUrl;
  const clientId = settings.clientId;
  const auth = typeof settings.accessTokenScheme === "string" ? SCHEME_OF_SMAPI[settings.accessTokenScheme] : undefined;
  const missing = (field: string) =>
    new AmazonApiError(`Skill ${skill.skillId} has no usable ${field} in its account linking; pass it on the command line`);
  if (take("tokenUrl") && (typeof tokenUrl !== "string" || !URL.canParse(tokenUrl))) throw missing("accessTokenUrl");
  if (take("clientId") && (typeof clientId !== "string" || clientId === "")) throw missing("clientId");
  return {
    ...options,
    tokenUrl: take("tokenUrl") ? (tokenUrl as string) : options.tokenUrl,
    clientId: take("clientId") ? (clientId as string) : options.clientId,
    // An unknown scheme (none set: IMPLICIT) leaves Alexa's default, HTTP Basic.
    auth: take("auth") && auth ? auth : options.auth,
  };
}

/** The record with the skill's settings findings after the exchange's (whose fault leads). The
 * scheme the server accepts is known when the scheme retry found it (CLIENT_AUTH_SCHEME_MISMATCH). */
export function withSkillFindings(record: AttemptRecord, settings: AccountLinking, firstScheme: ProbeOptions["auth"]): AttemptRecord {
  const retryAccepted = record.findings.some((finding) => finding.code === "CLIENT_AUTH_SCHEME_MISMATCH");
  const findings = [
    ...record.findings,
    ...skillSettingsFindings(settings, { acceptedScheme: retryAccepted ? otherScheme(firstScheme) : undefined }),
  ];
  return { ...record, verdict: verdictOf(findings), findings };
}

/** One line above the report: where the probe's settings came from. */
export function skillSettingsLine(skill: SkillSource, options: ProbeOptions): string {
  const taken = skill.takes.map((name) => ({ tokenUrl: `token URL ${options.tokenUrl}`, clientId: `client id ${options.clientId}`, auth: `scheme ${options.auth}` })[name]);
  return `From skill ${skill.skillId} (development): ${taken.length > 0 ? taken.join(", ") : "settings checked only (all given here)"}`;
}

/** `--skill-id --authorize`: the authorization URI, client id, scopes and vendor id from the
 * skill, where the command line gave none. The vendor id is the end of the skill's own
 * redirect URLs (SMAPI's read-only `redirectUrls`), else a made-up one. */
export function withSkillAuthorizeSettings(options: ProbeOptions, skill: SkillSource, settings: AccountLinking): ProbeOptions {
  const target = options.authorize!;
  const url = target.url !== "" ? target.url : settings.authorizationUrl;
  if (typeof url !== "string" || !isAuthorizeUrl(url)) {
    throw new AmazonApiError(`Skill ${skill.skillId} has no usable authorizationUrl in its account linking; pass --authorize-url`);
  }
  const scopes = Array.isArray(settings.scopes) ? settings.scopes.filter((scope): scope is string => typeof scope === "string") : [];
  const skillVendorId = (Array.isArray(settings.redirectUrls) ? settings.redirectUrls : [])
    .map((redirect) => (typeof redirect === "string" ? /\/api\/skill\/link\/([^/?#]+)$/.exec(redirect)?.[1] : undefined))
    .find((vendorId): vendorId is string => vendorId !== undefined && VENDOR_ID_PATTERN.test(vendorId));
  const scope = target.scope ?? (scopes.length > 0 ? scopes.join(" ") : undefined);
  // Every redirect URL the skill has, not a fixed three: the skill's list is the truth. With a
  // --vendor-id given, the command line's (one per region) wins.
  const redirectUrls = (Array.isArray(settings.redirectUrls) ? settings.redirectUrls : []).filter(
    (redirect): redirect is string => typeof redirect === "string" && URL.canParse(redirect) && new URL(redirect).protocol === "https:",
  );
  return {
    ...options,
    clientId: skill.takes.includes("clientId") && typeof settings.clientId === "string" && settings.clientId !== "" ? settings.clientId : options.clientId,
    authorize: {
      url,
      vendorId: target.vendorId ?? skillVendorId ?? DEFAULT_VENDOR_ID,
      ...(scope !== undefined && { scope }),
      ...(target.vendorId === undefined && redirectUrls.length > 0 && { redirectUrls }),
    },
  };
}

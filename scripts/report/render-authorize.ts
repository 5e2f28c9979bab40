/**
 * The terminal report of `probe --authorize-url`: the verdict, the authorization URI (URL,
 * TLS, certificate), one line per Alexa region (✓ registered / ✗ rejected / ? untestable), then
 * the findings. Pure: a record in, text out.
 */
import { TlsFacts } from "../../functions/token-url/diagnosis/exchange";
import { RedirectStanding } from "../../functions/token-url/diagnosis/authorize-rules";
import type { AuthorizeCheckRecord } from "../probe/authorize-probe";
import { renderFindings, RenderAttemptOptions } from "./render-attempt";
import { createStyle, Paint, Style } from "./style";
import { utcDateTime, wrap } from "./text";
import { headlineOf, leadingFinding, verdictMark } from "./verdict";

const STANDING: Record<RedirectStanding, { mark: string; word: string; paint: (style: Style) => Paint }> = {
  registered: { mark: "✓", word: "registered", paint: (style) => style.green },
  rejected: { mark: "✗", word: "rejected", paint: (style) => style.red },
  untestable: { mark: "?", word: "untestable", paint: (style) => style.yellow },
};

export function renderAuthorizeCheck(record: AuthorizeCheckRecord, options: RenderAttemptOptions): string {
  const style = createStyle(options.color);
  const width = Math.max(40, options.width ?? 80);
  const section = record.authorization;
  const heading = (title: string) => style.bold(style.cyan(title));
  const { mark, word, paint } = verdictMark(record.verdict, style);
  const leading = leadingFinding(record.findings);
  const sentence = leading
    ? // The URL and certificate headlines are worded for the token URL; they read the same here.
      `${record.verdict === "fail" ? "Alexa cannot link:" : "Alexa may link, but"} ${headlineOf(leading).replaceAll("token URL", "authorization URI")} (${leading.code})`
    : "The authorization URI accepts the redirect URLs of all three Alexa regions";
  const leaf = section.tls?.chain[0];
  const answerText = (answer: AuthorizeCheckRecord["authorization"]["bogus"]["answer"]) =>
    answer.status === null
      ? `no answer (${answer.error?.code ?? "unknown"})`
      : `${answer.status}${answer.location ? ` → ${withoutQuery(answer.location)}` : ` body ${answer.bodyBytes} bytes`}`;

  const lines = [
    ...wrap(`${mark} ${word}  ${sentence}`, width).map((line, index) => (index === 0 ? style.bold(paint(line)) : line)),
    style.dim(`${utcDateTime(record.time)} UTC  authorize check ${record.checkId}`),
    "",
    heading("Authorization URI"),
    `  url            ${section.url}`,
    `  client id      ${section.clientId}${section.scope === null ? "" : `  scope ${section.scope}`}`,
    ...(section.tls
      ? [`  tls            ${tlsText(section.tls)}`]
      : []),
    ...(leaf ? [`  certificate    "${leaf.subject}", issuer "${leaf.issuer}", valid until ${leaf.validTo}`] : []),
    "",
    heading("Alexa redirect URLs"),
    ...section.regions.flatMap((region) => {
      const standing = STANDING[region.standing];
      return [
        `  ${standing.paint(style)(`${standing.mark} ${region.region.padEnd(14)} ${standing.word}`)}`,
        style.dim(`      ${region.redirectUri}: ${answerText(region.answer)}`),
      ];
    }),
    style.dim(`    made-up ${section.bogus.redirectUri}: ${answerText(section.bogus.answer)}`),
    "",
    renderFindings("Findings (authorization URI)", record.findings, options),
  ];
  return lines.join("\n");
}

function tlsText(tls: TlsFacts): string {
  if (tls.protocol === null) return "handshake not completed";
  return `${tls.protocol}, ${tls.authorized ? "certificate trusted" : `certificate rejected (${tls.verifyError})`}`;
}

/** Where a redirect points, without its query (the --json record has it whole). */
function withoutQuery(location: string): string {
  const cut = location.search(/[?#]/);
  return cut === -1 ? location : `${location.slice(0, cut)}?…`;
}

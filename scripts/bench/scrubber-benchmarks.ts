/**
 * The scrubber's cost per attempt and its share of the handler's time, both measured in this
 * run on the same attempts: a proxy attempt against a local HTTPS token URL (fresh TLS
 * connection, as the Lambda makes) and a dummy attempt (no network: the handler's own work).
 *
 * What counts as the scrubber: building it (the request's secrets in every form, scrubberFor;
 * the tokens the answer issued, issuedTokens and Scrubber.with), and scrubbing every string and
 * key of the record on its way out (sealRecord). Each attempt runs through the real handler
 * (timed), and its scrubber work is then replayed on that attempt's own inputs: the event, the
 * exchange the handler got (through its `forward` seam) and the record it logged. The
 * scrubbing share of sealRecord is its time with the attempt's scrubber minus its time with a
 * scrubber that changes nothing (the walk, the bounds and the size check stay).
 */
import { readTokenRequest } from "../../functions/token-url/captured-request";
import { UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { decodeEvent, TokenEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { issuedTokens } from "../../functions/token-url/issued-tokens";
import { forwardToTokenUrl } from "../../functions/token-url/proxy-mode";
import { sealRecord } from "../../functions/token-url/record-exit";
import { scrubberFor } from "../../functions/token-url/redact";
import { Scrubber } from "../../functions/token-url/scrubber";
import { FunctionSettings } from "../../functions/token-url/settings";
import { TokenResponse } from "../../functions/token-url/token-response";
import { alexaEvent, basicAuth } from "../../test/support/events";
import { testPki, trustStore } from "../../test/support/pki";
import { testSettings } from "../../test/support/settings";
import { startHttpsServer } from "../../test/support/tls-servers";
import { median } from "./stats";

const BODY = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fpitangui.amazon.com%2Fapi%2Fskill%2Flink%2FM2X";
const TOKEN = JSON.stringify({ access_token: "2YotnFZFEjr1zCsicMWpAA", token_type: "Bearer", expires_in: 3600, refresh_token: "tGzv3JOkF0XG5Qx2TlKWIA" });

/** sealRecord's walk without any scrubbing: the baseline its scrubbing is measured against. */
class UnchangingScrubber extends Scrubber {
  override scrub(text: string): string {
    return text;
  }
}
const UNCHANGING = new UnchangingScrubber();

/** The scrubber's work for one attempt, replayed on that attempt's inputs and record. */
function scrubberCostMs(event: TokenEvent, exchange: UpstreamExchange | null, response: TokenResponse, record: AttemptRecord): number {
  const read = readTokenRequest(decodeEvent(event, new Date())); // parsing the request is needed anyway: not counted
  let started = performance.now();
  const scrubber = scrubberFor(read.credentials).with(
    exchange ? issuedTokens(exchange.body, exchange.headers) : issuedTokens(Buffer.from(response.body, "utf8"), { "content-type": response.headers.contentType ?? "" }),
  );
  const buildMs = performance.now() - started;
  started = performance.now();
  sealRecord(record, scrubber);
  const sealMs = performance.now() - started;
  started = performance.now();
  sealRecord(record, UNCHANGING);
  const walkMs = performance.now() - started;
  return buildMs + Math.max(0, sealMs - walkMs);
}

interface Figures {
  readonly handlerMs: number;
  readonly scrubberMs: number;
}

async function measureAttempts(event: TokenEvent, settings: FunctionSettings, rounds: number): Promise<Figures> {
  let exchange: UpstreamExchange | null = null;
  let record: AttemptRecord | undefined;
  const forward: typeof forwardToTokenUrl = async (request, proxySettings) => {
    const forwarded = await forwardToTokenUrl(request, proxySettings);
    exchange = forwarded.exchange;
    return forwarded;
  };
  const attempt = () => handleTokenRequest(event, settings, (logged) => (record = logged), new Date(), forward);
  for (let i = 0; i < Math.min(100, rounds); i += 1) await attempt(); // warm-up
  const handler: number[] = [];
  const scrubber: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    exchange = null;
    const started = performance.now();
    const response = await attempt();
    handler.push(performance.now() - started);
    scrubber.push(scrubberCostMs(event, exchange, response, record!));
  }
  return { handlerMs: median(handler), scrubberMs: median(scrubber) };
}

function print(name: string, figures: Figures): void {
  const share = figures.scrubberMs / figures.handlerMs;
  console.log(`  ${name.padEnd(36)}handler ${figures.handlerMs.toFixed(3)} ms, scrubber ${(figures.scrubberMs * 1000).toFixed(0)} µs = ${(share * 100).toFixed(1)} % of the handler`);
}

export async function benchScrubber(): Promise<void> {
  const upstream = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.chain }, (_request, response) => {
    response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" });
    response.end(TOKEN);
  });
  const event = alexaEvent({ body: BODY, headers: { Authorization: basicAuth("skill", "secret-of-the-skill-1") } });
  try {
    const proxy = await measureAttempts(event, testSettings({ mode: "proxy", tokenUrl: upstream.url, trustedCa: trustStore(), upstreamTimeoutMs: 5_000 }), 300);
    const dummy = await measureAttempts(event, testSettings({ mode: "dummy" }), 2_000);
    console.log("scrubber cost per attempt (median per attempt; build + every string scrubbed on the way out)");
    console.log("  no target of its own: it counts toward the wrapper ratio (npm run bench -- wrapper, <= 1.05)");
    print("proxy attempt (fresh TLS upstream)", proxy);
    print("dummy attempt (no network)", dummy);
  } finally {
    await upstream.close();
  }
}

/**
 * The scrubber's cost per attempt and its share of the handler's time, both measured in this
 * run on the same attempts: a proxy attempt against a local HTTPS token URL (fresh TLS
 * connection, as the Lambda makes) and a dummy attempt (no network: the handler's own work).
 *
 * What counts as the scrubber: building it (the request's secrets in every form, scrubberFor;
 * the tokens the answer issued, issuedTokens and Scrubber.with) and every string it scrubs on
 * the way out (Scrubber.scrub, called by sealRecord for each string and key of the record).
 * `scrub` and `with` are timed inside the handler's own runs by wrapping them; scrubberFor and
 * issuedTokens, which the handler calls as module functions, are timed on the very inputs of
 * each run (the event, and the exchange the handler got, taken through its `forward` seam).
 * Handler time is the median of runs without the wrapping, interleaved with the timed ones.
 */
import { readTokenRequest } from "../../functions/token-url/captured-request";
import { UpstreamExchange } from "../../functions/token-url/diagnosis/exchange";
import { decodeEvent, TokenEvent } from "../../functions/token-url/event";
import { handleTokenRequest } from "../../functions/token-url/handler";
import { issuedTokens } from "../../functions/token-url/issued-tokens";
import { forwardToTokenUrl } from "../../functions/token-url/proxy-mode";
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

/** Time spent inside Scrubber.scrub and Scrubber.with while `counting` is on. */
class ScrubberClock {
  ms = 0;
  private counting = false;
  private readonly originals = { scrub: Scrubber.prototype.scrub, with: Scrubber.prototype.with };

  install(): void {
    const clock = this;
    const { scrub, with: withMore } = this.originals;
    // Only the outermost call is timed: with() builds a Scrubber, scrub() may not nest, but be safe.
    let depth = 0;
    const timed = <A extends unknown[], R>(original: (this: Scrubber, ...args: A) => R) =>
      function (this: Scrubber, ...args: A): R {
        if (!clock.counting || depth > 0) return original.apply(this, args);
        depth += 1;
        const started = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          clock.ms += performance.now() - started;
          depth -= 1;
        }
      };
    Scrubber.prototype.scrub = timed(scrub);
    Scrubber.prototype.with = timed(withMore);
  }

  uninstall(): void {
    Scrubber.prototype.scrub = this.originals.scrub;
    Scrubber.prototype.with = this.originals.with;
  }

  async measure<T>(run: () => Promise<T>): Promise<{ result: T; scrubMs: number }> {
    this.ms = 0;
    this.counting = true;
    try {
      const result = await run();
      return { result, scrubMs: this.ms };
    } finally {
      this.counting = false;
    }
  }
}

/** The scrubber's own module-function work for one attempt, on that attempt's inputs. */
function buildCostMs(event: TokenEvent, exchange: UpstreamExchange | null, response: TokenResponse): number {
  const read = readTokenRequest(decodeEvent(event, new Date())); // parsing, needed anyway: not counted
  const started = performance.now();
  scrubberFor(read.credentials);
  if (exchange) issuedTokens(exchange.body, exchange.headers);
  else issuedTokens(Buffer.from(response.body, "utf8"), { "content-type": response.headers.contentType ?? "" });
  return performance.now() - started;
}

interface Figures {
  readonly handlerMs: number;
  readonly scrubberMs: number;
}

async function measureAttempts(event: TokenEvent, settings: FunctionSettings, rounds: number): Promise<Figures> {
  let exchange: UpstreamExchange | null = null;
  const forward: typeof forwardToTokenUrl = async (request, proxySettings) => {
    const forwarded = await forwardToTokenUrl(request, proxySettings);
    exchange = forwarded.exchange;
    return forwarded;
  };
  const attempt = () => handleTokenRequest(event, settings, () => undefined, new Date(), forward);
  for (let i = 0; i < Math.min(50, rounds); i += 1) await attempt(); // warm-up
  const clock = new ScrubberClock();
  const handler: number[] = [];
  const scrubber: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    // Untimed by the clock: the handler's time as it runs in the Lambda.
    const started = performance.now();
    await attempt();
    handler.push(performance.now() - started);
    // Timed by the clock: the same attempt again, its scrubbing measured from inside.
    clock.install();
    try {
      exchange = null;
      const { result, scrubMs } = await clock.measure(attempt);
      scrubber.push(scrubMs + buildCostMs(event, exchange, result));
    } finally {
      clock.uninstall();
    }
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
    print("proxy attempt (fresh TLS upstream)", proxy);
    print("dummy attempt (no network)", dummy);
  } finally {
    await upstream.close();
  }
}

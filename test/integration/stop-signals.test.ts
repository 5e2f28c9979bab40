/**
 * `kill -TERM <pid>` and `kill -INT <pid>` on the pid of `npm start` (npm's own, as `ps`
 * shows it) stop the debugger as Ctrl-C does: the port is free within 5 s, a request in
 * flight is still answered and recorded, and no process is left behind. The same for
 * `npm run logs -- --local --follow`. Child processes all, npm included.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { connect, AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Background, scriptEnv, startScript } from "../support/npm-scripts";

const STOP_WITHIN_MS = 5_000;
const UPSTREAM_DELAY_MS = 1_500;

/** A plain-http token URL on 127.0.0.1 that answers correctly after a delay, and says when a
 * request has arrived. */
async function slowTokenUrl(): Promise<{ url: string; arrived: Promise<void>; server: Server }> {
  let arrivedResolve: () => void = () => undefined;
  const arrived = new Promise<void>((resolvePromise) => (arrivedResolve = resolvePromise));
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      arrivedResolve();
      setTimeout(() => {
        response.writeHead(200, { "Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", Pragma: "no-cache" });
        response.end(JSON.stringify({ access_token: "at-slow", token_type: "Bearer", expires_in: 3600, refresh_token: "rt-slow" }));
      }, UPSTREAM_DELAY_MS);
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, "127.0.0.1", resolvePromise));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`, arrived, server };
}

/** Resolves once nothing accepts connections on the port; rejects after `ms`. */
async function portFreed(port: number, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const refused = await new Promise<boolean>((resolvePromise) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolvePromise(false)));
      socket.once("error", () => resolvePromise(true));
    });
    if (refused) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`port ${port} still accepts connections after ${ms} ms`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
}

/** Resolves once no process of the group is alive; rejects after `ms`. */
async function groupGone(background: Background, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (background.alive()) {
    if (Date.now() > deadline) throw new Error("a process of npm's group is still running");
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
}

describe("npm start and npm run logs -- --follow stop when told", () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "stop-signals-"));
  const started: Background[] = [];
  afterEach(() => {
    for (const background of started.splice(0)) background.kill();
  });

  test.each(["SIGTERM", "SIGINT"] as const)(
    "GIVEN npm start with a request in flight WHEN %s is sent to npm's pid THEN the port is free within 5 s, the request is answered and recorded, and nothing is left running",
    async (signal) => {
      const upstream = await slowTokenUrl();
      const recordsFile = join(dir, `${signal}.jsonl`);
      // A plain-http TOKEN_URL on loopback needs no ALLOW_HTTP_TOKEN_URL (local testing).
      const env = scriptEnv({ PORT: "0", LOCAL_RECORDS_FILE: recordsFile, TOKEN_URL: upstream.url });
      const npmStart = await startScript(["start"], env, /on (http:\/\/127\.0\.0\.1:(\d+)\/token)/);
      started.push(npmStart);
      try {
        const [, url, port] = npmStart.match;
        const answer = fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
          body: "grant_type=authorization_code&code=in-flight&redirect_uri=https%3A%2F%2Flayla.amazon.com%2Fapi%2Fskill%2Flink%2FM2AAAAAAAAAAAA",
        });
        await upstream.arrived;

        process.kill(npmStart.child.pid!, signal);
        expect(await portFreed(Number(port), STOP_WITHIN_MS)).toBeLessThan(STOP_WITHIN_MS);
        const response = await answer;
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ access_token: "at-slow", token_type: "Bearer" });

        await groupGone(npmStart, STOP_WITHIN_MS);
        const records = readFileSync(recordsFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({ mode: "proxy", verdict: "pass", upstream: { status: 200 } });
        expect(npmStart.stdout()).toContain(`(attempt ${records[0].attemptId})`);
      } finally {
        await new Promise((resolvePromise) => upstream.server.close(resolvePromise));
      }
    },
  );

  test("GIVEN npm run logs -- --local --follow WHEN SIGTERM is sent to npm's pid THEN it stops within 5 s, leaving nothing running", async () => {
    const recordsFile = join(dir, "follow.jsonl");
    writeFileSync(recordsFile, "");
    const env = scriptEnv({ LOCAL_RECORDS_FILE: recordsFile });
    const follow = await startScript(["run", "logs", "--", "--local", "--follow"], env, /Watching .* for new attempts/);
    started.push(follow);
    const sent = Date.now();
    process.kill(follow.child.pid!, "SIGTERM");
    await groupGone(follow, STOP_WITHIN_MS);
    expect(Date.now() - sent).toBeLessThan(STOP_WITHIN_MS);
  });
});

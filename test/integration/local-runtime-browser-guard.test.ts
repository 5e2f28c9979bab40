/**
 * npm start's defence against web pages (scripts/local/browser-guard.ts) and its file modes:
 * requests shaped as a browser sends them from another page are refused and forwarded
 * nowhere; Alexa-shaped requests (no Origin) still reach the upstream. Node's http client
 * stands in for the browser here (it sets the same headers); the same in real Chromium, with
 * npm start as a child process: local-runtime-browser-chromium.test.ts.
 */
import { mkdtempSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { createServer, request } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRuntime, startLocalRuntime } from "../../scripts/local/local-runtime";
import { testSettings } from "../support/settings";

const FORM = "application/x-www-form-urlencoded;charset=UTF-8";

function send(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = "grant_type=authorization_code&code=abc";
    const req = request({ host: "127.0.0.1", port, path: "/token", method: "POST", headers: { "Content-Length": String(body.length), ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("npm start refuses what a web page sends", () => {
  let runtime: LocalRuntime | undefined;
  afterEach(async () => runtime?.close());

  test("GIVEN proxy mode THEN browser-shaped requests get 403 and reach nothing; an Alexa-shaped one is forwarded", async () => {
    let upstreamRequests = 0;
    const upstream = createServer((_req, res) => {
      upstreamRequests += 1;
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify({ access_token: "a", token_type: "bearer", expires_in: 3600, refresh_token: "r" }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/token`;
    const refused: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), "browser-guard-"));
    runtime = await startLocalRuntime({
      port: 0,
      settings: { ...testSettings(), mode: "proxy", tokenUrl: upstreamUrl },
      recordsFile: join(dir, "records", "attempts.jsonl"),
      allowedHosts: ["abc.ngrok.app"],
      onRefused: (status, reason) => refused.push(`${status} ${reason}`),
    });
    const own = `127.0.0.1:${runtime.port}`;
    try {
      expect(await send(runtime.port, { "Content-Type": "text/plain", Host: own, Origin: "http://127.0.0.1:9", "Sec-Fetch-Site": "same-site" })).toBe(403);
      expect(await send(runtime.port, { "Content-Type": "text/plain", Host: own, Origin: "https://evil.example" })).toBe(403);
      expect(await send(runtime.port, { "Content-Type": "text/plain", Host: own, Origin: "null" })).toBe(403);
      expect(await send(runtime.port, { "Content-Type": FORM, Host: own, "Sec-Fetch-Site": "cross-site" })).toBe(403);
      expect(await send(runtime.port, { "Content-Type": FORM, Host: `rebound.evil.example:${runtime.port}` })).toBe(403);
      expect(refused).toHaveLength(5);
      expect(refused.every((line) => line.startsWith("403 refused, nothing forwarded"))).toBe(true);
      expect(upstreamRequests).toBe(0);

      expect(await send(runtime.port, { "Content-Type": FORM, Host: own, "User-Agent": "Apache-HttpClient/UNAVAILABLE (Java/17)" })).toBe(200);
      expect(await send(runtime.port, { "Content-Type": FORM, Host: "abc.ngrok.app" })).toBe(200); // a tunnel named in ALLOWED_HOSTS
      expect(upstreamRequests).toBe(2);
      expect(statSync(join(dir, "records", "attempts.jsonl")).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "records")).mode & 0o777).toBe(0o700);
    } finally {
      upstream.close();
    }
  });

  test("GIVEN a records file that exists with mode 0644 THEN it is tightened to 0600", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "browser-guard-")), "attempts.jsonl");
    writeFileSync(file, "");
    chmodSync(file, 0o644);
    runtime = await startLocalRuntime({ port: 0, settings: testSettings(), recordsFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

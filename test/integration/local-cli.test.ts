/**
 * As a user on a laptop without AWS: `npm start`, then `npm run probe` against it, then
 * `npm run logs -- --local`; in dummy mode and in proxy mode in front of a broken HTTPS token
 * URL, where the probe's findings and the local record's must agree. Child processes all.
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AttemptRecord } from "../../functions/token-url/attempt-record";
import { testPki } from "../support/pki";
import { startHttpsServer } from "../support/tls-servers";
import { commandLine, runNodeScript } from "../support/npm-scripts";

const PROJECT_DIR = resolve(__dirname, "../..");

const run = runNodeScript;

/** A README line as a user's shell runs it. */
function shell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn("sh", ["-c", command], { env });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("close", (code) => resolvePromise({ code, stdout }));
  });
}

/** `npm start` in the background; resolves with its URL once it listens. */
function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; output: () => string; stopped: Promise<number | null> }> {
  const child = spawn(process.execPath, [...commandLine("start")], { cwd: PROJECT_DIR, env });
  let output = "";
  const stopped = new Promise<number | null>((resolvePromise) => child.on("close", resolvePromise));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const url = /on (http:\/\/127\.0\.0\.1:\d+\/token)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolvePromise({ child, url, output: () => output, stopped });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk) => (output += chunk));
  });
}

describe("npm start, npm run probe and npm run logs -- --local, as a user runs them", () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "local-cli-"));
  const caFile = join(dir, "test-root.pem");
  writeFileSync(caFile, testPki().rootCaPem);
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
    NODE_EXTRA_CA_CERTS: caFile, // how the debugger is told to trust a private CA
    PORT: "0",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };

  test("GIVEN dummy mode THEN the probe passes through it, and logs --local shows that attempt", async () => {
    const env = { ...baseEnv, LOCAL_RECORDS_FILE: join(dir, "dummy.jsonl") };
    const server = await start(env);
    try {
      const probe = await run("scripts/probe.ts", [server.url, "--json", "--client-secret", "CANARY-cli-secret-1"], env);
      expect(probe.code).toBe(0);
      const probed: AttemptRecord = JSON.parse(probe.stdout);
      expect(probed).toMatchObject({ mode: "probe", verdict: "pass", upstream: { status: 200 } });

      const logs = await run("scripts/logs.ts", ["--local", "--json"], env);
      expect(logs.code).toBe(0);
      const logged: AttemptRecord = JSON.parse(logs.stdout);
      expect(logged.mode).toBe("dummy");
      expect(logged.request.headers["user-agent"]).toMatch(/Apache-HttpClient/);
      expect(server.output()).toContain("DUMMY_RESPONSE"); // the one-line summary per attempt
      for (const output of [probe.stdout, probe.stderr, logs.stdout, server.output()]) {
        expect(output).not.toContain("CANARY-cli-secret-1");
      }
    } finally {
      server.child.kill("SIGINT");
    }
    expect(await server.stopped).toBe(0);
    expect(readFileSync(env.LOCAL_RECORDS_FILE, "utf8").trim().split("\n")).toHaveLength(1);
  });

  test("GIVEN proxy mode in front of a broken HTTPS token URL THEN the probe's and the local record's findings agree", async () => {
    const broken = await startHttpsServer({ key: testPki().valid.key, cert: testPki().valid.cert }, (_request, response) => {
      response.end("{}"); // never reached: the leaf-only chain fails first
    });
    const env = { ...baseEnv, LOCAL_RECORDS_FILE: join(dir, "proxy.jsonl"), TOKEN_URL: broken.url };
    const server = await start(env);
    try {
      const direct = await run("scripts/probe.ts", [broken.url, "--json"], env);
      const throughLocal = await run("scripts/probe.ts", [server.url, "--json"], env);
      expect(direct.code).toBe(1);
      const local = await run("scripts/logs.ts", ["--local", "--json"], env);
      expect(local.code).toBe(1);
      const codes = (record: AttemptRecord) => record.findings.map((finding) => finding.code).filter((code) => code !== "NON_STANDARD_PORT");
      expect(codes(JSON.parse(direct.stdout))).toEqual(["TLS_INCOMPLETE_CHAIN"]);
      expect(codes(JSON.parse(local.stdout))).toEqual(codes(JSON.parse(direct.stdout)));
      // What Alexa would get from the wrapper: the documented 502 OAuth error.
      expect(JSON.parse(throughLocal.stdout).upstream.status).toBe(502);
    } finally {
      server.child.kill("SIGTERM");
      await broken.close();
    }
    expect(await server.stopped).toBe(0);
  });

  test("GIVEN README's curl check THEN its POST gets the dummy token, and a GET gets the 403 README explains", async () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    const curlLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((match) => match[1].split("\n"))
      .filter((line) => line.startsWith("curl ") && line.includes("http://127.0.0.1:8787/token"));
    expect(curlLines.length).toBeGreaterThan(0);
    const env = { ...baseEnv, LOCAL_RECORDS_FILE: join(dir, "curl.jsonl") };
    const server = await start(env);
    try {
      for (const line of curlLines) {
        const command = line.replace(/\s+#.*$/, "").replace("http://127.0.0.1:8787/token", server.url);
        const answer = await shell(command, env);
        expect(JSON.parse(answer.stdout)).toMatchObject({ token_type: "Bearer", access_token: expect.stringMatching(/^dummy-access-/) });
      }
      // What a browser does: README says this 403 means "up", not "broken".
      const get = await shell(`curl -s -w ' %{http_code}' ${server.url}`, env);
      expect(get.stdout).toBe('{"message":"Missing Authentication Token"} 403');
      expect(readme).toContain('403 {"message":"Missing Authentication Token"}');
    } finally {
      server.child.kill("SIGINT");
    }
    expect(await server.stopped).toBe(0);
  });

  test("GIVEN the port is taken THEN npm start says so and exits 2", async () => {
    const env = { ...baseEnv, LOCAL_RECORDS_FILE: join(dir, "taken.jsonl") };
    const first = await start(env);
    try {
      const port = new URL(first.url).port;
      const second = await run("scripts/start.ts", ["--port", port], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
    } finally {
      first.child.kill("SIGINT");
    }
    await first.stopped;
  });
});

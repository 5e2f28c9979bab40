/**
 * A hostile token URL (test/support/hostile-upstream.ts: Spring's echoes, encoded secrets,
 * tokens in near-JSON, JSONP, nested, form, XML, a Location fragment, a token header, UTF-16)
 * and the probe run as the user runs it (a child process, secrets from the environment): no
 * canary may be readable in any encoding, in stdout, stderr or the --html page.
 * test/integration/hostile-local-runtime.test.ts does the same through npm start and logs.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, PROJECT_DIR } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import {
  expectNothingReadable,
  HOSTILE_CLIENT_ID,
  HOSTILE_REFRESH,
  HOSTILE_SECRET,
  HOSTILE_SHAPES,
  HostileServer,
  readableCanaries,
  startHostileServer,
} from "../support/hostile-upstream";
import { breakableHtml } from "../../scripts/report/render-html";

interface Run {
  readonly code: number | null;
  /** stdout and stderr together, as a terminal shows them. */
  readonly output: string;
  readonly stdout: string;
}

describe("no canary readable against a hostile token URL (probe, text, --json, --html)", () => {
  jest.setTimeout(60_000);
  let dir: string;
  let server: HostileServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hostile-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function probe(args: string[]): Promise<Run> {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? "",
      NODE_EXTRA_CA_CERTS: join(dir, "root.pem"),
      ALEXA_CLIENT_SECRET: HOSTILE_SECRET,
      ALEXA_REFRESH_TOKEN: HOSTILE_REFRESH,
    };
    const flags = [server.url, "--client-id", HOSTILE_CLIENT_ID, "--grant", "refresh_token", ...args];
    return new Promise((resolvePromise) => {
      const child = spawn(process.execPath, [...commandLine("probe"), ...flags], { cwd: PROJECT_DIR, env });
      let output = "";
      let stdout = "";
      child.stdout.on("data", (chunk) => {
        output += chunk;
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("close", (code) => resolvePromise({ code, output, stdout }));
    });
  }

  test.each(Object.keys(HOSTILE_SHAPES))("GIVEN %s THEN the report, the record and the page hold no canary in any form", async (name) => {
    server.shape = HOSTILE_SHAPES[name];
    const page = join(dir, "report.html");
    const [text, json, html] = await Promise.all([probe([]), probe(["--json"]), probe(["--html", page])]);
    for (const run of [text, json, html]) {
      expect(run.code).toBe(1); // every shape here is a failure Alexa would meet
      expectNothingReadable(run.output);
    }
    // stdout alone: a refresh probe notes on stderr that it spends the token.
    const record = JSON.parse(json.stdout);
    expect(record.type).toBe("token-attempt");
    expect(JSON.stringify(record)).toMatch(/\[redacted[^\]]*\]/); // the values are there, as fingerprints
    expectNothingReadable(readFileSync(page));
  });

  test("GIVEN a canary as a page shows it (line breaks after / and =, entities) THEN the check still reads it: it can fail on a page", () => {
    const inPage = `<p>Invalid refresh token: ${breakableHtml(HOSTILE_REFRESH)} for ${breakableHtml(`'${HOSTILE_SECRET}'`)}</p>`;
    expect(inPage).toContain("<wbr>");
    expect(readableCanaries(inPage)).toEqual(expect.arrayContaining([expect.stringContaining(HOSTILE_REFRESH), expect.stringContaining(HOSTILE_SECRET)]));
  });
});

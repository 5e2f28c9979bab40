/**
 * A TOKEN_URL that would store a secret (user info, a secret-looking query parameter) is
 * refused by every command that reads config, as a user runs it (npm run, child processes),
 * with one line that names what is wrong and never repeats the value, before anything runs:
 * npm start listens on nothing and records nothing. The deploy refuses every spelling of this
 * machine the same way; npm start refuses an ALLOWED_HOSTS that is not a list of host names.
 * (The rules themselves, one by one: test/unit/config.test.ts.)
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScript, ScriptRun, scriptEnv } from "../support/npm-scripts";

const CANARY = "CANARY-config-pw-5Tq";
const SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000";

const COMMANDS: [script: string, args: string[]][] = [
  ["start", []],
  ["logs", ["--local"]],
  ["logs", []],
  ["synth", []],
  ["deploy", []],
  ["diff", []],
  ["destroy", []],
  ["verify", []],
  ["link", ["--skill-id", SKILL_ID, "--dry-run"]],
  ["fingerprint", ["--deployed"]],
];

const REFUSED_URLS: [what: string, url: string, reason: RegExp][] = [
  ["user info", `https://alice:${CANARY}@auth.example.com/oauth2/token`, /must not carry user info/],
  ["a client_secret in its query", `https://auth.example.com/oauth2/token?tenant=a&client_secret=${CANARY}`, /must not carry a secret in its query \("client_secret"/],
];

describe("config refusals, through every command that reads config", () => {
  jest.setTimeout(180_000);
  let home: string;
  beforeAll(() => (home = mkdtempSync(join(tmpdir(), "config-refusals-"))));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // A home of its own: no AWS profile or saved link of the user's is read.
  const env = (extra: NodeJS.ProcessEnv) => scriptEnv({ HOME: home, PORT: "0", LOCAL_RECORDS_FILE: join(home, "records", "attempts.jsonl"), ...extra });

  function expectOneLineRefusal(run: ScriptRun, name: string, reason: RegExp): void {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).not.toContain(CANARY);
  }

  test.each(REFUSED_URLS)("GIVEN a TOKEN_URL with %s THEN every command refuses it in one line, and nothing runs", async (_what, url, reason) => {
    const runs = [];
    for (let start = 0; start < COMMANDS.length; start += 4) {
      runs.push(...(await Promise.all(COMMANDS.slice(start, start + 4).map(([script, args]) => runScript(script, args, env({ TOKEN_URL: url }))))));
    }
    runs.forEach((run, index) => {
      try {
        expectOneLineRefusal(run, "TOKEN_URL", reason);
      } catch (error) {
        throw new Error(`npm run ${COMMANDS[index].join(" ")}: ${(error as Error).message}`);
      }
    });
    expect(existsSync(join(home, "records"))).toBe(false); // npm start never got as far as its records file
  });

  test.each(["https://0.0.0.0/token", "https://[::ffff:127.0.0.1]/token", "https://localhost./token", "https://2130706433/token"])(
    "GIVEN TOKEN_URL %s (this machine) THEN npm run deploy refuses it in one line",
    async (url) => {
      expectOneLineRefusal(await runScript("deploy", [], env({ TOKEN_URL: url })), "TOKEN_URL", /points at this machine/);
    },
  );

  test("GIVEN an ALLOWED_HOSTS that is not host names THEN npm start refuses it in one line", async () => {
    expectOneLineRefusal(await runScript("start", [], env({ ALLOWED_HOSTS: "abc.ngrok.app, not a host!" })), "ALLOWED_HOSTS", /must be host names/);
  });
});

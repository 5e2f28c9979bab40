/**
 * What the debugger keeps on this machine is readable by the user only, whatever the umask:
 * the fingerprint key (folder 0700, file 0600), as the fingerprint command creates it on first
 * use in a child process, and npm start's records file (folder 0700, file 0600) as npm start
 * creates it. (An existing records file is tightened: local-runtime-browser-guard.test.ts;
 * saved links: link-unlink.test.ts.)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR, scriptEnv } from "../support/npm-scripts";

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** The command under a permissive umask (0000): the modes must come from the code, not the shell. */
function underUmask(command: string, env: NodeJS.ProcessEnv, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", `umask 000 && exec ${command}`], { cwd: PROJECT_DIR, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("file modes of what the debugger keeps", () => {
  jest.setTimeout(60_000);
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "file-modes-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("GIVEN no fingerprint key yet and umask 000 THEN the fingerprint command creates it 0600 in a folder 0700", async () => {
    const config = join(dir, "config");
    const run = await underUmask(`"${process.execPath}" --import tsx scripts/fingerprint.ts`, scriptEnv({ XDG_CONFIG_HOME: config }), "some-value");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[redacted/);
    const key = join(config, "token-url-debugger", "fingerprint.key");
    expect(readFileSync(key, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    expect(modeOf(key)).toBe("600");
    expect(modeOf(join(config, "token-url-debugger"))).toBe("700");
  });

  test("GIVEN umask 000 THEN npm start creates its records file 0600 in a folder 0700", async () => {
    const records = join(dir, "records", "attempts.jsonl");
    const child = spawn("sh", ["-c", `umask 000 && exec "${process.execPath}" --import tsx scripts/start.ts`], {
      cwd: PROJECT_DIR,
      env: scriptEnv({ PORT: "0", LOCAL_RECORDS_FILE: records }),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk) => {
          output += chunk;
          if (/on http:\/\/127\.0\.0\.1:\d+\/token/.test(output)) resolve();
        });
        child.on("close", () => reject(new Error(`npm start exited: ${output}`)));
      });
      expect(modeOf(records)).toBe("600");
      expect(modeOf(join(dir, "records"))).toBe("700");
    } finally {
      child.kill("SIGKILL");
    }
  });
});

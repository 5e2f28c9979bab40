/**
 * Control and bidi characters, read as bytes: C0 (ESC, BEL, NUL…), C1 (U+0080–U+009F: CSI,
 * OSC…) and bidi controls (U+202A–202E, U+2066–2069, U+061C, LRM/RLM) sent by the client (form
 * fields through npm start, raw and percent-encoded) and by the server (an error_description,
 * a header, the certificate's subject) reach no `--json` output, records file or HTML page raw.
 * A terminal would obey them (set its title, clear the screen, reorder text). The token URL is
 * a raw TLS server writing the bytes itself, since Node's own server refuses such headers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, Server, TLSSocket } from "node:tls";
import { Background, runNodeScript, runScript, ScriptRun, scriptEnv, startScript } from "../support/npm-scripts";
import { testPki } from "../support/pki";
import { postForm } from "../support/post-form";

// Each kind once: ESC (an OSC title sequence ended by BEL), NUL, a C1 CSI (clear screen), C1
// OSC, the bidi overrides, embeddings, isolates, the Arabic letter mark and LRM/RLM.
const HOSTILE = "A\u001b]0;pwned\u0007B\u0000C\u009b2JD\u009d0;t\u009cE\u202eF\u202aG\u2066H\u2069I\u061cJ\u200fK\u200eL\u202c";
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** What of `bytes` a terminal would obey: invalid UTF-8, or any unsafe character, with where. */
function rawControls(bytes: Buffer, allowed: RegExp = /\n/): string[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return ["not valid UTF-8 (a lone byte 0x80–0xFF is a C1 control to some terminals)"];
  }
  const found: string[] = [];
  for (const [index, char] of [...text].entries()) {
    if (UNSAFE.test(char) && !allowed.test(char)) found.push(`U+${char.codePointAt(0)!.toString(16).padStart(4, "0")} at ${index}: …${JSON.stringify(text.slice(Math.max(0, index - 30), index + 30))}…`);
    if (found.length >= 10) break;
  }
  return found;
}

/** The header bytes as a hostile server writes them: C1 bytes (Node reads header bytes as
 * Latin-1, so 0x9B arrives as U+009B) and the UTF-8 bytes of bidi controls. */
const HEADER_VALUE = Buffer.concat([Buffer.from("x"), Buffer.from([0x9b, 0x32, 0x4a, 0x9d]), Buffer.from("\u202e\u2066y", "utf8")]);

function rawAnswer(): Buffer {
  // Valid JSON: C0 escaped as the JSON grammar wants, C1 and bidi raw (JSON allows them).
  const body = Buffer.from(JSON.stringify({ error: "invalid_grant", error_description: `bad code ${HOSTILE}` }), "utf8");
  return Buffer.concat([
    Buffer.from("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=UTF-8\r\nCache-Control: no-store\r\nX-Note: "),
    HEADER_VALUE,
    Buffer.from(`\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]);
}

describe("no raw control or bidi character in --json, the records file or a page", () => {
  jest.setTimeout(120_000);
  let dir: string;
  let server: Server;
  let tokenUrl: string;
  let runtime: Background | undefined;
  let recordsFile: string;
  let env: NodeJS.ProcessEnv;
  const statuses: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "controls-"));
    writeFileSync(join(dir, "root.pem"), testPki().rootCaPem);
    recordsFile = join(dir, "attempts.jsonl");
    const leaf = testPki().withOrganization(`Evil Corp ${HOSTILE}`);
    server = createServer({ key: leaf.key, cert: leaf.chain }, (socket: TLSSocket) => {
      let head = "";
      socket.on("data", (chunk) => {
        head += chunk.toString("latin1");
        // Answer once the request head is in (the debugger's bodies are small and follow at once).
        if (head.includes("\r\n\r\n")) socket.end(rawAnswer());
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    tokenUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
    env = scriptEnv({ LOCAL_RECORDS_FILE: recordsFile, NODE_EXTRA_CA_CERTS: join(dir, "root.pem"), ALEXA_CLIENT_SECRET: "s3cret-controls" });

    const started = await startScript(["start"], { ...env, PORT: "0", TOKEN_URL: tokenUrl }, /on (http:\/\/127\.0\.0\.1:\d+\/token)/);
    runtime = started;
    const url = started.match[1];
    // Percent-encoded, as a form encoder sends them.
    const fields = new URLSearchParams({ grant_type: "authorization_code", code: "c0de-controls", client_id: `id${HOSTILE}`, redirect_uri: `https://x.example/${HOSTILE}`, state: HOSTILE });
    statuses.push((await postForm(url, fields.toString())).status);
    // Raw bytes in the body, as a hostile client sends them.
    statuses.push((await postForm(url, Buffer.concat([Buffer.from("grant_type=authorization_code&code=c0de-raw&note="), Buffer.from(HOSTILE, "utf8")]))).status);
    // C1 bytes in the Content-Type: the gateway refuses it (415) and npm start says so in one line.
    statuses.push((await postForm(url, "grant_type=x", { "Content-Type": Buffer.from([0x74, 0x2f, 0x78, 0x9b, 0x32, 0x4a]).toString("latin1") })).status);
    process.kill(started.child.pid!, "SIGTERM");
    await started.exited;
  });
  afterAll(async () => {
    runtime?.kill();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const logs = (args: string[]): Promise<ScriptRun> => runScript("logs", ["--local", ...args], env);

  test("GIVEN the hostile requests THEN two were forwarded and recorded, the third refused; the records file has no raw control byte", () => {
    expect(statuses).toEqual([400, 400, 415]);
    const bytes = readFileSync(recordsFile);
    expect(bytes.toString("utf8").trimEnd().split("\n")).toHaveLength(2);
    expect(rawControls(bytes)).toEqual([]);
    // The characters were there, escaped: every one of them (a leak test that found nothing
    // because nothing arrived would prove nothing).
    const text = bytes.toString("utf8");
    for (const escape of ["\\u001b", "\\u0007", "\\u0000", "\\u009b", "\\u009d", "\\u202e", "\\u202a", "\\u2066", "\\u2069", "\\u061c", "\\u200f"]) {
      expect(text).toContain(escape);
    }
    expect(text).toMatch(/"x-note":"x\\u009b2J\\u009d/); // the server's header, its C1 bytes escaped
  });

  test("GIVEN npm start's own lines THEN nothing raw either", () => {
    expect(rawControls(Buffer.from(runtime!.stdout(), "utf8"))).toEqual([]);
    expect(rawControls(Buffer.from(runtime!.stderr(), "utf8"))).toEqual([]);
    expect(runtime!.stdout()).toMatch(/415/);
  });

  test("GIVEN logs --local --json, --timeline --json and --html THEN no raw control byte in stdout, stderr or the page", async () => {
    const page = join(dir, "logs.html");
    const timelinePage = join(dir, "timeline.html");
    const runs = await Promise.all([
      logs(["--json", "--limit", "5"]),
      logs(["--timeline", "--json"]),
      logs(["--html", page]),
      logs(["--timeline", "--html", timelinePage]),
    ]);
    const [json] = runs;
    expect(json.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).type)).toEqual(["token-attempt", "token-attempt"]);
    for (const run of runs) {
      expect(rawControls(Buffer.from(run.stdout, "utf8"))).toEqual([]);
      expect(rawControls(Buffer.from(run.stderr, "utf8"))).toEqual([]);
    }
    for (const file of [page, timelinePage]) expect(rawControls(readFileSync(file), /[\n\t]/)).toEqual([]);
    expect(readFileSync(page, "utf8")).toContain("Evil Corp");
    // The certificate's subject reached the record: its organization, escaped.
    expect(json.stdout).toContain("Evil Corp");
  });

  test("GIVEN the probe against the same server THEN --json and the page carry none raw", async () => {
    const page = join(dir, "probe.html");
    const [json, html] = await Promise.all([
      runNodeScript("scripts/probe.ts", [tokenUrl, "--client-id", `id${HOSTILE.replace(/\u0000/g, "")}`, "--json"], env),
      runNodeScript("scripts/probe.ts", [tokenUrl, "--html", page], env),
    ]);
    expect(JSON.parse(json.stdout).type).toBe("token-attempt");
    expect(json.stdout).toContain("\\u202e");
    expect(rawControls(Buffer.from(json.stdout, "utf8"))).toEqual([]);
    expect(rawControls(Buffer.from(json.stderr, "utf8"))).toEqual([]);
    expect(rawControls(readFileSync(page), /[\n\t]/)).toEqual([]);
    expect(html.code).toBe(0); // invalid_grant for the made-up code: info
    expect(readFileSync(page, "utf8")).toContain("Evil Corp"); // the certificate's subject is on the page
  });
});

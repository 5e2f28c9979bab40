import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleTokenFunction } from "../../scripts/bundle";
import { alexaEvent } from "../support/events";

describe("Lambda bundle", () => {
  const first = bundleTokenFunction(mkdtempSync(join(tmpdir(), "bundle-a-")));
  const second = bundleTokenFunction(mkdtempSync(join(tmpdir(), "bundle-b-")));
  const code = readFileSync(join(first.dir, "index.js"), "utf8");

  test("GIVEN unchanged sources THEN byte-identical output (so the same asset hash)", () => {
    expect(readFileSync(join(second.dir, "index.js"), "utf8")).toBe(code);
  });

  test("is small and needs nothing but Node's own modules at run time", () => {
    // 128 KB, minified: most of it is text (the findings' messages and fixes, the products'
    // settings by finding code), the scrubber and the token finder ~5 KB; the bench measures the
    // cold module load (`npm run bench`), which this bound keeps quick.
    expect(first.bytes).toBeLessThan(128 * 1024);
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    const external = required.filter((name) => !builtinModules.includes(name.replace(/^node:/, "")));
    expect(external).toEqual([]);
    expect(code).not.toContain(process.cwd()); // no absolute paths from this machine
  });

  test("the bundled handler answers a dummy token and logs one record, in a fresh node process", () => {
    const script = `
      const { handler } = require(${JSON.stringify(join(first.dir, "index.js"))});
      handler(${JSON.stringify(alexaEvent({ body: "grant_type=authorization_code&code=abc" }))})
        .then((response) => process.stderr.write(JSON.stringify(response)));
    `;
    const run = spawnSync(process.execPath, ["-e", script], {
      env: { PATH: process.env.PATH, MODE: "dummy" },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    const logLines = run.stdout.trim().split("\n");
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0])).toMatchObject({ type: "token-attempt", mode: "dummy", verdict: "pass" });
    const response = JSON.parse(run.stderr);
    expect(response).toMatchObject({ statusCode: 200, headers: { contentType: "application/json;charset=UTF-8" } });
    expect(JSON.parse(response.body)).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
  });
});

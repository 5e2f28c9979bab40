/**
 * Finding codes are stable API, documented for users in docs/findings.md: every code a rule or
 * the probe can produce must be there. Codes are gathered from the sources that produce
 * findings, so a new rule without documentation fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const PROJECT_DIR = resolve(__dirname, "../..");
const SOURCES = ["functions/token-url/diagnosis", "functions/token-url", "scripts/probe", "scripts/verify"];
// Node's and OpenSSL's own error codes, which the transport rules map to findings, and the
// placeholder for an exchange that recorded neither answer nor error, and the probe's environment
// variables: not finding codes.
const NOT_FINDINGS = /^(ERR_|EAI_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|NO_RESPONSE$|ALEXA_CLIENT_SECRET$|ALEXA_REFRESH_TOKEN$|ALEXA_CODE$|ALEXA_CODE_VERIFIER$)/;

function codesInSources(): string[] {
  const codes = new Set<string>();
  for (const folder of SOURCES) {
    for (const file of readdirSync(join(PROJECT_DIR, folder)).filter((name) => name.endsWith(".ts"))) {
      const text = readFileSync(join(PROJECT_DIR, folder, file), "utf8");
      for (const [, code] of text.matchAll(/"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g)) {
        if (!NOT_FINDINGS.test(code)) codes.add(code);
      }
    }
  }
  return [...codes].sort();
}

test("GIVEN every finding code in the sources THEN docs/findings.md documents each", () => {
  const docs = readFileSync(join(PROJECT_DIR, "docs/findings.md"), "utf8");
  const codes = codesInSources();
  expect(codes).toEqual(expect.arrayContaining(["TLS_INCOMPLETE_CHAIN", "ALEXA_TIMEOUT", "DUMMY_RESPONSE"]));
  expect(codes.filter((code) => !docs.includes(`\`${code}\``))).toEqual([]);
});

test("GIVEN README THEN it links the findings, record, configuration and probe docs, and each exists", () => {
  const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
  for (const doc of ["findings", "attempt-record", "configuration", "probe", "deploying", "development"]) {
    expect(readme).toContain(`(docs/${doc}.md)`);
    expect(readFileSync(join(PROJECT_DIR, `docs/${doc}.md`), "utf8").length).toBeGreaterThan(500);
  }
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
// cdktf's jest matchers (toHaveResourceWithProperties, ...), for the stack tests that import
// this file; registered here rather than in test/setup.ts so that the other test files do not
// each load cdktf (about 0.3 s per file).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
import { Config, resolveConfig, ConfigSource } from "../../infra/config";
import { TokenUrlStack } from "../../infra/token-url-stack";

/** A stand-in bundle folder: stack tests are about wiring, not about the function's code. */
export function fakeBundleDir(content = "exports.handler = async () => ({});"): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-"));
  writeFileSync(join(dir, "index.js"), content);
  return dir;
}

export function synthStack(source: ConfigSource = {}, bundleDir = fakeBundleDir()): {
  config: Config;
  synthesized: string;
  json: SynthesizedStack;
} {
  const config = resolveConfig(source);
  const app = Testing.app();
  const stack = new TokenUrlStack(app, config.stackName, { config, bundleDir });
  const synthesized = Testing.synth(stack);
  return { config, synthesized, json: JSON.parse(synthesized) };
}

export interface SynthesizedStack {
  resource: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, { value: string }>;
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  provider: Record<string, any[]>;
}

/** The only resource of a type, with the Terraform address other resources use to refer to it. */
export function onlyResource(json: SynthesizedStack, type: string): { address: string; body: Record<string, any> } {
  const entries = Object.entries(json.resource[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  const [name, body] = entries[0];
  return { address: `${type}.${name}`, body };
}

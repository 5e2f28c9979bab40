import { tmpdir } from "node:os";
import { join } from "node:path";

// The AWS SDK's notice about its own future Node support is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// Fingerprints are keyed by a per-machine file under XDG_CONFIG_HOME (fingerprint-key.ts):
// tests and the CLIs they start share one under the temp folder, never the user's own.
process.env.XDG_CONFIG_HOME ??= join(tmpdir(), "token-url-debugger-test-config");

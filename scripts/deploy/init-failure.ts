/** Where docs/deploying.md explains mirrors and lock files. */
const DOCS = "docs/deploying.md#providers-mirrors-and-lock-files";

// eslint-disable-next-line no-control-regex
const DECORATION = /\x1b\[[0-9;]*m|[│╷╵]/g;

/**
 * The one line for a `terraform init` that could not get the provider, or undefined for any
 * other failure (Terraform's own error is then shown as it is). The summaries are Terraform's
 * (internal/command/init.go): "Failed to query available provider packages" (no registry, or
 * a mirror without it), "Failed to install provider" (download or checksum), "Failed to
 * install provider from shared cache", and the lock file's checksum mismatch.
 */
export function describeInitFailure(stderr: string): string | undefined {
  const lines = stderr
    .replace(DECORATION, "")
    .split("\n")
    .map((line) => line.trim());
  /** The paragraph after an error's summary, in one line; with the search locations it lists. */
  const reason = (summary: RegExp) => {
    const at = lines.findIndex((line) => summary.test(line));
    if (at < 0) return undefined;
    const paragraphs = lines.slice(at + 1).join("\n").trim().split(/\n{2,}/);
    let text = paragraphs[0]?.replace(/\n/g, " ") || lines[at];
    const locations = paragraphs[1]?.split("\n").filter((line) => line.startsWith("- "));
    if (/search locations$/.test(text) && locations?.length) text += ` (${locations.map((line) => line.slice(2)).join(", ")})`;
    return text;
  };
  const failure = reason(/^Error: Failed to (query available provider packages|install provider|resolve provider packages)/);
  if (failure === undefined) return undefined;
  if (/checksums .*recorded in the dependency lock file/.test(failure)) {
    const why = failure.replace(/;?\s*for more information:.*$/, "");
    return `Terraform refused the AWS provider: ${clip(why)}. If the mirror or platform changed on purpose, record its hashes with terraform providers lock, or delete .terraform.lock.hcl beside package.json to start over (see ${DOCS}); nothing was changed`;
  }
  return `Terraform could not get the AWS provider (${clip(failure)}): connect to registry.terraform.io, or point TF_CLI_CONFIG_FILE at a Terraform CLI config whose provider_installation names a mirror that holds it (see ${DOCS}); nothing was changed`;
}

function clip(text: string): string {
  const trimmed = text.replace(/\.$/, "");
  return trimmed.length > 400 ? `${trimmed.slice(0, 399)}…` : trimmed;
}

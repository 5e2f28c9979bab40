/**
 * Terraform's own output, minus the deployment's fingerprint key. The key is a secret
 * (functions/token-url/fingerprint-key.ts: whoever holds it can test guesses against the
 * fingerprints in records and shared reports), yet Terraform prints every attribute of a
 * resource it destroys or replaces, and `terraform_data`'s output in clear even when its input
 * is marked sensitive. So the stack commands read the key from the state before they run
 * Terraform, and pass its output through this filter.
 */
export const REDACTED_KEY = "[fingerprint key: redacted]";

export class KeyRedaction {
  /** The end of the text so far that may be the start of the key: held back until the next
   * chunk tells. Anything else passes at once (Terraform's approval question has no newline). */
  private pending = "";

  constructor(private readonly key: string | null) {}

  push(chunk: string): string {
    if (!this.key) return chunk;
    const text = (this.pending + chunk).split(this.key).join(REDACTED_KEY);
    let held = Math.min(text.length, this.key.length - 1);
    while (held > 0 && !this.key.startsWith(text.slice(text.length - held))) held -= 1;
    this.pending = text.slice(text.length - held);
    return text.slice(0, text.length - held);
  }
}

/** The key, from `terraform output -json`'s text; null when the stack has none yet. */
export function fingerprintKeyOf(outputsJson: string): string | null {
  try {
    const value = (JSON.parse(outputsJson) as Record<string, { value?: unknown }>).fingerprint_key?.value;
    return typeof value === "string" && value.length >= 16 ? value : null;
  } catch {
    return null;
  }
}

/** Terraform's `output -json`: name → value and whether it is sensitive. */
export type TerraformOutputs = Record<string, { readonly value: unknown; readonly sensitive?: boolean }>;

/** The README's order: what to paste into the Alexa console first; any others after, by name. */
const ORDER = ["token_url", "log_group", "mode", "region", "expires_at", "expiry_started_at", "upstream_token_url"];

/** One `name = value` line per output, strings unquoted so a URL can be copied as it is. */
export function formatOutputs(outputs: TerraformOutputs): string[] {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return Object.keys(outputs)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => {
      const { value, sensitive } = outputs[name];
      const shown = sensitive ? "<sensitive>" : typeof value === "string" ? value : JSON.stringify(value);
      return `${name} = ${shown}`;
    });
}

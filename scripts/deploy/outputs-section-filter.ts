// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Passes Terraform's apply output through, minus its closing "Outputs:" section, which the
 * deploy prints itself afterwards in the README's form (`token_url = https://…`, unquoted).
 * Text is passed on as it comes (Terraform's approval question has no newline), except after
 * "Apply complete!" / "Destroy complete!", where whole lines are needed to find the section.
 */
export class OutputsSectionFilter {
  private line = "";
  private holding = false;
  private dropping = false;

  push(chunk: string): string {
    let out = "";
    for (const piece of chunk.split(/(?<=\n)/)) {
      if (this.dropping) break;
      this.line += piece;
      if (!this.holding) out += piece;
      if (!piece.endsWith("\n")) continue;
      const text = this.line.replace(ANSI, "").trim();
      if (this.holding) {
        if (text === "Outputs:") {
          this.dropping = true;
          break;
        }
        out += this.line;
      } else if (/^(Apply|Destroy) complete!/.test(text)) {
        this.holding = true;
      }
      this.line = "";
    }
    return out;
  }
}

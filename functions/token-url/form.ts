/** Parses an application/x-www-form-urlencoded body the way a lenient server would. */
export interface ParsedForm {
  /** First value of each name; a null-prototype object so __proto__ or constructor are just names. */
  readonly fields: Record<string, string>;
  /** Names sent more than once: servers disagree on which value wins, so it is worth a finding. */
  readonly duplicateNames: string[];
}

export function parseForm(body: Buffer): ParsedForm {
  const fields: Record<string, string> = Object.create(null);
  const duplicates = new Set<string>();
  for (const part of body.toString("utf8").split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeFormComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? "" : decodeFormComponent(part.slice(eq + 1));
    if (name in fields) duplicates.add(name);
    else fields[name] = value;
  }
  return { fields, duplicateNames: [...duplicates] };
}

export function decodeFormComponent(raw: string): string {
  const spaced = raw.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape such as "%zz" is kept as sent instead of losing the field.
    return spaced;
  }
}

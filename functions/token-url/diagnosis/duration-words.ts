/** "30 minutes", "1 day 2 hours", "14 days": a lifetime as a person says it, to the two largest
 * units (a finding's message is read, not parsed). */
export function durationInWords(seconds: number): string {
  const units: [string, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
    ["second", 1],
  ];
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? "0 seconds" : parts.join(" ");
}

/** "2026-12-07 10:53:00Z": an instant as the reports show it (UTC, to the second). */
export function utcInstant(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

import { parseForm, ParsedForm } from "./form";

/**
 * The request's fields, read the way its Content-Type says. A JSON body is read as JSON so
 * that its secrets are found by name and redacted; read as a form it would become one field
 * name holding the whole body, secrets and all.
 */
export function readRequestFields(contentType: string | undefined, body: Buffer): ParsedForm {
  if (/^application\/(.+\+)?json/i.test(contentType ?? "") || body.subarray(0, 1).toString() === "{") {
    return parseJsonFields(body);
  }
  return parseForm(body);
}

function parseJsonFields(body: Buffer): ParsedForm {
  const fields: Record<string, string> = Object.create(null);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { fields, duplicateNames: [] }; // unreadable: show no fields rather than raw bytes
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [name, value] of Object.entries(parsed)) {
      fields[name] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { fields, duplicateNames: [] };
}

/**
 * The JSONPath that `$input.json(x)` and `$input.path(x)` evaluate, over a payload parsed the
 * way API Gateway parses it. Supported: `$`, `.name`, `['name']`, `["name"]`, `[index]`
 * (negative from the end); other JSONPath features fail the template instead of guessing.
 */

/** A payload that API Gateway cannot parse; it answers 400 and the integration never runs. */
export class PayloadError extends Error {}

/**
 * API Gateway parses leniently, like json-smart in permissive mode (the default parser of
 * Jayway JsonPath, which the reference points to): a body that does not start like a JSON
 * object, array or string is one plain string (`$input.path('$')` of the form body `a=b` is
 * "a=b", and the documented form-parsing idiom `$input.path('$').split('&')` relies on it),
 * but a broken object or array is an error. Answers recorded from real API Gateway by
 * ToQoz/api-gateway-mapping-template (test/_.md): `a=b` → "a=b", `a{b` → "a{b", `{a` → 400.
 */
export function parsePayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    if (/^\s*[[{"]/.test(body)) throw new PayloadError((error as Error).message);
    return body;
  }
}

type Step = string | number;

/** The value at `path`, or `found: false` when the path leads nowhere. */
export function evaluateJsonPath(document: unknown, path: string): { found: boolean; value: unknown } {
  let value = document;
  for (const step of parseJsonPath(path)) {
    const next = stepInto(value, step);
    if (!next.found) return next;
    value = next.value;
  }
  return { found: true, value };
}

function stepInto(value: unknown, step: Step): { found: boolean; value: unknown } {
  if (typeof step === "number") {
    if (!Array.isArray(value)) return { found: false, value: undefined };
    const index = step < 0 ? value.length + step : step;
    return index >= 0 && index < value.length
      ? { found: true, value: value[index] }
      : { found: false, value: undefined };
  }
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  return isMap && Object.prototype.hasOwnProperty.call(value, step)
    ? { found: true, value: (value as Record<string, unknown>)[step] }
    : { found: false, value: undefined };
}

/** The steps of a JSONPath such as `$.a['b c'][0]`. */
function parseJsonPath(path: string): Step[] {
  if (!path.startsWith("$")) throw unsupported(path);
  const steps: Step[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match =
      /^\.([^.[\]\s*]+)/.exec(rest) ?? /^\[(-?\d+)\]/.exec(rest) ?? /^\[(['"])((?:\\.|(?!\1).)*)\1\]/.exec(rest);
    if (!match) throw unsupported(path);
    if (match[0].startsWith(".")) steps.push(match[1]);
    else if (match.length === 2) steps.push(Number(match[1]));
    else steps.push(match[2].replace(/\\(.)/g, "$1"));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

function unsupported(path: string): Error {
  return new Error(`unsupported JSONPath "${path}" (supported: $, .name, ['name'], [index])`);
}

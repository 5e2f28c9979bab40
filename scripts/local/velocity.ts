/**
 * The Velocity engine as API Gateway runs it: velocityjs, corrected where Java's Velocity on
 * Java objects behaves differently from JavaScript on JavaScript values.
 */
import { Compile, parse } from "velocityjs";

type VelocityAst = ReturnType<typeof parse>[number];
type MethodHandler = NonNullable<NonNullable<ConstructorParameters<typeof Compile>[1]>["customMethodHandlers"]>[number];

/** How Java prints a value that a template writes out or hands over as a string. */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map(javaString).join(", ")}]`;
  if (typeof value === "object") {
    const print: unknown = (value as { toString?: unknown }).toString;
    if (typeof print === "function" && print !== Object.prototype.toString) return String(print.call(value));
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaString(item)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/**
 * API Gateway prints a null reference as nothing: its own "Method Request passthrough"
 * template gives `"api-key": ""` for a method without an API key, where plain Velocity would
 * print the reference text. Undefined references are covered by velocityjs' silent mode.
 */
class ApiGatewayVelocity extends Compile {
  protected override getReferences(ast: VelocityAst, isVal?: boolean): string {
    const value: unknown = super.getReferences(ast, isVal);
    return isVal && value === null ? "" : (value as string);
  }
}

// Parsed once per template text: the runtime renders the same few templates on every request.
const parsed = new Map<string, VelocityAst[]>();

/** Renders a mapping template; errors thrown by the template's calls propagate. */
export function renderVelocity(template: string, variables: Record<string, unknown>): string {
  let asts = parsed.get(template);
  if (!asts) {
    asts = parse(template);
    parsed.set(template, asts);
  }
  return new ApiGatewayVelocity(asts, { customMethodHandlers: JAVA_METHODS }).render(variables, undefined, true);
}

// Templates call Java methods on strings, lists and maps; JavaScript values lack some of
// them and give others different meanings (String.replaceAll takes a regex in Java).
// AWS documents `$util.escapeJavaScript(data).replaceAll("\\'","'")` and
// `$inputRoot.toString().contains("error")`, so these have to behave as in Java.
const JAVA_METHODS: MethodHandler[] = [
  onString("length", (text) => text.length),
  onString("contains", (text, part) => text.includes(javaString(part))),
  onString("equals", (text, other) => text === other),
  onString(
    "equalsIgnoreCase",
    (text, other) => typeof other === "string" && text.toLowerCase() === other.toLowerCase(),
  ),
  onString("isEmpty", (text) => text.length === 0),
  onString("matches", (text, regex) => new RegExp(`^(?:${javaString(regex)})$`).test(text)),
  onString("replace", (text, target, replacement) => text.split(javaString(target)).join(javaString(replacement))),
  onString("replaceAll", (text, regex, replacement) => replaceRegex(text, regex, replacement, "g")),
  onString("replaceFirst", (text, regex, replacement) => replaceRegex(text, regex, replacement, "")),
  onString("split", (text, regex) => javaSplit(text, javaString(regex))),
  onCollection(
    "containsKey",
    (map, key) => !Array.isArray(map) && Object.prototype.hasOwnProperty.call(map, javaString(key)),
  ),
  onCollection("contains", (list, item) => Array.isArray(list) && list.includes(item)),
  onCollection("isEmpty", (collection) => Object.keys(collection).length === 0),
  onCollection("toString", (collection) => javaString(collection)),
  callOwnMethod(),
];

/**
 * `$util.base64Encode(…)`, `$input.json(…)`, `$map.get(…)`: a function the object holds itself,
 * called as it is. Left to velocityjs, every such call first hangs a fresh `eval` closure on the
 * object, one that reaches the whole render; V8 then promotes about a megabyte per scavenge
 * and each scavenge pauses ~3 ms instead of ~1 ms, which is most of the local runtime's p99
 * (measured with --trace-gc-nvp). velocityjs' own handlers only apply to names the object
 * lacks, so none is shadowed. Placed last: the Java methods above decide first.
 */
function callOwnMethod(): MethodHandler {
  return {
    uid: "own method",
    match: ({ property, context }) =>
      typeof context === "object" &&
      context !== null &&
      Object.prototype.hasOwnProperty.call(context, property) &&
      typeof (context as Record<string, unknown>)[property] === "function",
    resolve: ({ context, property, params }) =>
      (context as Record<string, (...args: unknown[]) => unknown>)[property].apply(context, params),
  };
}

function onString(name: string, resolve: (text: string, ...params: unknown[]) => unknown): MethodHandler {
  return {
    uid: `java String.${name}`,
    match: ({ property, context }) => property === name && typeof context === "string",
    resolve: ({ context, params }) => resolve(context as string, ...params),
  };
}

function onCollection(name: string, resolve: (collection: object, ...params: unknown[]) => unknown): MethodHandler {
  return {
    uid: `java collection.${name}`,
    // An object with its own method of that name (a JavaMap) answers for itself.
    match: ({ property, context }) =>
      property === name &&
      typeof context === "object" &&
      context !== null &&
      !Object.prototype.hasOwnProperty.call(context, name),
    resolve: ({ context, params }) => resolve(context as object, ...params),
  };
}

function replaceRegex(text: string, regex: unknown, replacement: unknown, flags: string): string {
  const parts = javaReplacement(javaString(replacement));
  return text.replace(new RegExp(javaString(regex), flags), (...match: unknown[]) =>
    parts.map((part) => (typeof part === "number" ? javaString(match[part]) : part)).join(""),
  );
}

/** Java's replacement syntax: `$n` is group n, a backslash takes the next character literally. */
function javaReplacement(replacement: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (let i = 0; i < replacement.length; i++) {
    const char = replacement[i];
    const next = replacement[i + 1] ?? "";
    if (char === "\\" && next !== "") parts.push(replacement[++i]);
    else if (char === "$" && /\d/.test(next)) parts.push(Number(replacement[++i]));
    else parts.push(char);
  }
  return parts;
}

/** Java's String.split: a regex, and trailing empty strings dropped. */
function javaSplit(text: string, regex: string): string[] {
  const pieces = text.split(new RegExp(regex));
  while (pieces.length > 1 && pieces[pieces.length - 1] === "") pieces.pop();
  return pieces;
}

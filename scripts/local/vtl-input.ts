/** `$input` of API Gateway mapping templates, as the variable reference describes it. */
import { GatewayRequest } from "./gateway-types";
import { evaluateJsonPath, parsePayload } from "./json-path";
import { javaString } from "./velocity";

/** The Java Map methods templates call on `$input.params()` and its parts. */
export interface JavaMap<V> {
  keySet(): string[];
  get(name: string): V | null;
  containsKey(name: string): boolean;
  size(): number;
  isEmpty(): boolean;
  entrySet(): { key: string; value: V }[];
  values(): V[];
  toString(): string;
}

/** The three parameter maps of a method request, in the reference's order. */
export interface RequestParams {
  path: JavaMap<string>;
  header: JavaMap<string>;
  querystring: JavaMap<string>;
}

/** The `$input` variable for a payload (the method request's body, or the Lambda's result as
 * JSON) and the method request's parameters. */
export function inputVariable(payload: string, request: GatewayRequest) {
  // An empty payload reads as "{}": API Gateway replaces an empty body with {} for
  // $input.body whatever the content type (validated against AWS in localstack/localstack
  // PR #12413), and $input.json('$') of an empty body is {} (ToQoz/api-gateway-mapping-template).
  const body = payload === "" ? "{}" : payload;
  let parsed: { value: unknown } | undefined;
  const at = (path: string) => evaluateJsonPath((parsed ??= { value: parsePayload(body) }).value, path);
  const params = requestParams(request);
  const allParams = javaMap<JavaMap<string>>({
    path: params.path,
    header: params.header,
    querystring: params.querystring,
  });
  return {
    /** "Returns the raw request payload as a string." */
    body,
    /** "Evaluates a JSONPath expression and returns the results as a JSON string"; null (printed
     * as nothing) when the path leads nowhere. */
    json: (path: string): string | null => {
      const found = at(path);
      return found.found ? JSON.stringify(found.value) : null;
    },
    /** "Returns a JSON object representation of the result", for use from VTL. */
    path: (path: string): unknown => {
      const found = at(path);
      return found.found ? found.value : null;
    },
    /** With no name, "a map of all the request parameters"; with a name, "the value of a method
     * request parameter from the path, query string, or header value (searched in that order)".
     * The reference does not say how header names compare; HTTP field names are
     * case-insensitive (RFC 9110 §5.1), so the header map ignores case. */
    params: (name?: string) => {
      if (name === undefined) return allParams;
      const source = [params.path, params.querystring, params.header].find((map) => map.containsKey(name));
      return source?.get(name) ?? "";
    },
  };
}

/** The method request's parameters as API Gateway hands them to templates. */
function requestParams(request: GatewayRequest): RequestParams {
  return {
    path: javaMap(request.pathParameters ?? {}),
    header: javaMap(request.headers, { ignoreCase: true }),
    querystring: javaMap(request.query),
  };
}

/**
 * A read-only Java Map. Velocity reads `$map.name` as `map.get("name")`, so properties that
 * are not methods read entries (an entry named like a method, `size` say, is only reachable
 * through `get`). The methods are own properties (so they answer for themselves, see
 * velocity.ts) shared by every map, and the Proxy's handler is one object: every request
 * builds eight of these maps, and garbage is what the runtime's p99 pays for.
 */
export function javaMap<V>(entries: Record<string, V>, options: { ignoreCase?: boolean } = {}): JavaMap<V> {
  const target: MapTarget = { [STORE]: new Map(Object.entries(entries)), [IGNORE_CASE]: options.ignoreCase === true, ...JAVA_MAP_METHODS };
  return new Proxy(target, ENTRIES_AS_PROPERTIES) as unknown as JavaMap<V>;
}

const STORE = Symbol("entries");
const IGNORE_CASE = Symbol("ignoreCase");

interface MapState<V> {
  readonly [STORE]: Map<string, V>;
  readonly [IGNORE_CASE]: boolean;
}
type MapTarget = MapState<unknown> & typeof JAVA_MAP_METHODS;

function keyOf(map: MapState<unknown>, name: unknown): string | undefined {
  const store = map[STORE];
  const wanted = javaString(name);
  if (store.has(wanted)) return wanted;
  if (!map[IGNORE_CASE]) return undefined;
  const lower = wanted.toLowerCase();
  for (const key of store.keys()) if (key.toLowerCase() === lower) return key;
  return undefined;
}

// `this` is the map: Velocity calls a method on the object it read it from.
const JAVA_MAP_METHODS = {
  keySet(this: MapState<unknown>): string[] {
    return [...this[STORE].keys()];
  },
  get(this: MapState<unknown>, name: unknown): unknown {
    const key = keyOf(this, name);
    return key === undefined ? null : this[STORE].get(key);
  },
  containsKey(this: MapState<unknown>, name: unknown): boolean {
    return keyOf(this, name) !== undefined;
  },
  size(this: MapState<unknown>): number {
    return this[STORE].size;
  },
  isEmpty(this: MapState<unknown>): boolean {
    return this[STORE].size === 0;
  },
  entrySet(this: MapState<unknown>): { key: string; value: unknown }[] {
    return [...this[STORE]].map(([key, value]) => ({ key, value }));
  },
  values(this: MapState<unknown>): unknown[] {
    return [...this[STORE].values()];
  },
  toString(this: MapState<unknown>): string {
    return `{${[...this[STORE]].map(([key, value]) => `${key}=${javaString(value)}`).join(", ")}}`;
  },
};

const ENTRIES_AS_PROPERTIES: ProxyHandler<MapTarget> = {
  get: (target, property, receiver) =>
    typeof property === "string" && !(property in target)
      ? target.get(property) ?? undefined
      : Reflect.get(target, property, receiver),
};

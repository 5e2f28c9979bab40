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
 * through `get`).
 */
export function javaMap<V>(entries: Record<string, V>, options: { ignoreCase?: boolean } = {}): JavaMap<V> {
  const store = new Map(Object.entries(entries));
  const keyOf = (name: unknown): string | undefined => {
    const wanted = javaString(name);
    if (store.has(wanted) || !options.ignoreCase) return store.has(wanted) ? wanted : undefined;
    return [...store.keys()].find((key) => key.toLowerCase() === wanted.toLowerCase());
  };
  const map: JavaMap<V> = {
    keySet: () => [...store.keys()],
    get: (name) => {
      const key = keyOf(name);
      return key === undefined ? null : (store.get(key) as V);
    },
    containsKey: (name) => keyOf(name) !== undefined,
    size: () => store.size,
    isEmpty: () => store.size === 0,
    entrySet: () => [...store].map(([key, value]) => ({ key, value })),
    values: () => [...store.values()],
    toString: () => `{${[...store].map(([key, value]) => `${key}=${javaString(value)}`).join(", ")}}`,
  };
  return new Proxy(map, {
    get: (target, property, receiver) =>
      typeof property === "string" && !(property in target)
        ? target.get(property) ?? undefined
        : Reflect.get(target, property, receiver),
  });
}

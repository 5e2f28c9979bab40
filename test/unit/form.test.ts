import { parseForm } from "../../functions/token-url/form";

const parse = (body: string | Buffer) => parseForm(Buffer.isBuffer(body) ? body : Buffer.from(body));

describe("parseForm", () => {
  test("decodes + and %20 as spaces and percent escapes", () => {
    expect({ ...parse("a=x+y&b=x%20y&c=%C3%A9").fields }).toEqual({ a: "x y", b: "x y", c: "é" });
  });

  test("an empty body has no fields", () => {
    expect(Object.keys(parse("").fields)).toEqual([]);
  });

  test("keeps the first of duplicate keys and names the duplicates", () => {
    const form = parse("code=first&code=second&x=1");
    expect(form.fields.code).toBe("first");
    expect(form.duplicateNames).toEqual(["code"]);
  });

  test("keeps a malformed escape as sent instead of dropping the field", () => {
    expect(parse("code=abc%zz&state=%").fields).toMatchObject({ code: "abc%zz", state: "%" });
  });

  test("__proto__ and constructor are ordinary names", () => {
    const form = parse("__proto__=polluted&constructor=x");
    expect(form.fields["__proto__"]).toBe("polluted");
    expect(form.fields.constructor).toBe("x");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a name without = gets an empty value", () => {
    expect(parse("flag&a=1").fields.flag).toBe("");
  });

  test("non-UTF-8 bytes do not throw", () => {
    expect(() => parse(Buffer.from([0x63, 0x3d, 0xff, 0xfe]))).not.toThrow();
  });
});

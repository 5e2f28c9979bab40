import { createStyle, shouldUseColor } from "../../../scripts/report/style";

describe("createStyle", () => {
  test("GIVEN color on WHEN text is painted THEN it is wrapped in SGR codes that close only their own attribute", () => {
    const style = createStyle(true);
    expect(style.red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(style.bold("x")).toBe("\u001b[1mx\u001b[22m");
    expect(style.dim(style.cyan("x"))).toBe("\u001b[2m\u001b[36mx\u001b[39m\u001b[22m");
  });

  test("GIVEN color off WHEN text is painted THEN it comes back unchanged", () => {
    const style = createStyle(false);
    for (const paint of Object.values(style)) expect(paint("plain")).toBe("plain");
  });

  test("GIVEN color on WHEN empty text is painted THEN no stray codes are emitted", () => {
    expect(createStyle(true).green("")).toBe("");
  });
});

describe("shouldUseColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  test.each<{ when: string; stream: { isTTY?: boolean }; env: NodeJS.ProcessEnv; flag?: boolean; color: boolean }>([
    { when: "a TTY, no NO_COLOR, no flag", stream: tty, env: {}, flag: undefined, color: true },
    { when: "a TTY with --color", stream: tty, env: {}, flag: true, color: true },
    { when: "a TTY with --no-color", stream: tty, env: {}, flag: false, color: false },
    { when: "a TTY with NO_COLOR=1", stream: tty, env: { NO_COLOR: "1" }, flag: undefined, color: false },
    { when: "a TTY with NO_COLOR=0 (any value counts)", stream: tty, env: { NO_COLOR: "0" }, flag: undefined, color: false },
    { when: "a TTY with NO_COLOR set but empty (no-color.org: ignored)", stream: tty, env: { NO_COLOR: "" }, flag: undefined, color: true },
    { when: "a TTY with NO_COLOR and --color", stream: tty, env: { NO_COLOR: "1" }, flag: true, color: false },
    { when: "a pipe", stream: pipe, env: {}, flag: undefined, color: false },
    { when: "a pipe with --color", stream: pipe, env: {}, flag: true, color: false },
    { when: "a stream without isTTY (process.stdout in a pipe)", stream: {}, env: {}, flag: undefined, color: false },
  ])("GIVEN $when THEN color is $color", ({ stream, env, flag, color }) => {
    expect(shouldUseColor(stream, env, flag)).toBe(color);
  });
});

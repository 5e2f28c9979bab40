import { displayWidth, fitLine, printable, truncate, wrap, wrapExact } from "../../../scripts/report/text";
import { createStyle } from "../../../scripts/report/style";

describe("printable", () => {
  test("GIVEN control, invisible and bidi characters THEN each is shown as an escape", () => {
    expect(printable("a\u001b[31mb\u0000c\u007fd\u009be\ufefff\u202eg\u200bh")).toBe(
      "a\\x1b[31mb\\x00c\\x7fd\\x9be\\ufefff\\u202eg\\u200bh",
    );
  });

  test("GIVEN tabs and CRLF THEN tabs become two spaces and CRLF a newline; a lone CR is escaped", () => {
    expect(printable("a\tb\r\nc\rd")).toBe("a  b\nc\\x0dd");
  });

  test("GIVEN ordinary text, accents and symbols THEN it is unchanged", () => {
    expect(printable("Zürich §5.1 “quoted” ✓ 東京")).toBe("Zürich §5.1 “quoted” ✓ 東京");
  });
});

describe("wrap", () => {
  test("GIVEN prose THEN lines break between words and stay within the width", () => {
    expect(wrap("the quick brown fox jumps over the lazy dog", 10)).toEqual(["the quick", "brown fox", "jumps over", "the lazy", "dog"]);
  });

  test("GIVEN a URL longer than the width THEN it is cut after its separators, not mid-word, and not lost", () => {
    expect(wrap("see https://example.com/a/very/long/path now", 12)).toEqual(["see", "https://", "example.com/", "a/very/", "long/path", "now"]);
  });

  test("GIVEN a word with no separator longer than the width THEN it is cut at the width, not lost", () => {
    expect(wrap("see 0123456789abcdefghij now", 8)).toEqual(["see", "01234567", "89abcdef", "ghij now"]);
  });

  test("GIVEN cutLongWords false (a pipe) THEN a long word stays whole on a line of its own", () => {
    expect(wrap("see https://example.com/a/very/long/path now", 12, { cutLongWords: false })).toEqual([
      "see",
      "https://example.com/a/very/long/path",
      "now",
    ]);
    expect(wrap("  https://example.com/a/very/long/path", 12, { cutLongWords: false })).toEqual(["  https://example.com/a/very/long/path"]);
  });

  test("GIVEN newlines, indentation and double spaces THEN they are kept", () => {
    expect(wrap("one\n  two  three\n\nfour", 20)).toEqual(["one", "  two  three", "", "four"]);
  });

  test("GIVEN any text THEN the exact lines joined give the printable text back", () => {
    const text = printable("<html>\n  <p>Sorry, you have been blocked by a rule.</p>   \n\t<p>x</p>");
    expect(wrapExact(text, 9).map((lines) => lines.join("")).join("\n")).toBe(text);
    for (const line of wrapExact(text, 9).flat()) expect(displayWidth(line.trimEnd())).toBeLessThanOrEqual(9);
  });
});

describe("truncate and fitLine", () => {
  test("GIVEN text within the width THEN it is unchanged; longer THEN it ends in …", () => {
    expect(truncate("abcdef", 6)).toBe("abcdef");
    expect(truncate("abcdefg", 6)).toBe("abcde…");
  });

  test("GIVEN painted segments too long THEN the plain text is cut at the width and each piece keeps its paint", () => {
    const style = createStyle(true);
    const line = fitLine([{ text: "abc", paint: style.red }, { text: "defgh" }], 6);
    expect(line).toBe("\u001b[31mabc\u001b[39mde…");
    expect(displayWidth(line)).toBe(6);
  });
});

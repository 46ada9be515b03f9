import { describe, expect, it } from "vitest";
import { OffsetMap, buildBlocks, rangeOffsets } from "./anchors";

/** Renders text the way ReaderText does: paragraphs of segments with their UTF-16 offset. */
function render(text: string, highlights: { id: number; start: number; end: number }[] = []): HTMLDivElement {
  const root = document.createElement("div");
  for (const block of buildBlocks(text, highlights)) {
    const p = document.createElement("p");
    for (const seg of block.segments) {
      const el = document.createElement(seg.excerpts.length > 0 ? "mark" : "span");
      el.setAttribute("data-o", String(seg.start));
      el.textContent = seg.text;
      p.append(el);
    }
    root.append(p);
  }
  document.body.replaceChildren(root);
  return root;
}

/** A DOM range over `needle` (its first occurrence) inside the rendered text. */
function rangeOver(root: HTMLElement, needle: string): Range {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = (node.textContent ?? "").indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      return range;
    }
  }
  throw new Error(`${needle} is not in one text node`);
}

/** What the store would quote for a code-point range. */
function storeQuote(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join("");
}

describe("OffsetMap", () => {
  it("counts an emoji as one code point and two UTF-16 units", () => {
    const map = new OffsetMap("a😀b");
    expect(map.cpLength).toBe(3);
    expect(map.toUtf16(2)).toBe(3);
    expect(map.toCodePoint(3)).toBe(2);
    expect(map.toCodePoint(4)).toBe(3);
  });

  it("rounds an offset inside a surrogate pair down to the pair's start", () => {
    expect(new OffsetMap("😀x").toCodePoint(1)).toBe(0);
  });
});

describe("a selection becomes the code-point range of exactly the selected text", () => {
  it.each([
    ["after an emoji", "Tariffs 😀🇨🇦 are back: steel and aluminum come first.", "steel and aluminum"],
    ["in accented French", "Le contingent d'acier entrerait aux États-Unis sans droits de douane.", "États-Unis sans droits"],
    ["in decomposed-looking French", "Œuvre, bois d’œuvre et énergie.", "bois d’œuvre"],
    ["in CJK after astral characters", "加拿大 𠀀𠀁 钢铁关税谈判 今天开始。", "钢铁关税谈判"],
    ["inside right-to-left text", "English then עברית ומכסים על פלדה then more", "ומכסים על"],
    ["in a second paragraph", "First 😀 paragraph.\n\nSecond 🇫🇷 paragraph with the quote.", "paragraph with"],
  ])("%s", (_name, text, needle) => {
    const root = render(text);
    const offsets = rangeOffsets(root, rangeOver(root, needle), text);
    expect(offsets).not.toBeNull();
    const map = new OffsetMap(text);
    const start = map.toCodePoint(offsets?.start ?? 0);
    const end = map.toCodePoint(offsets?.end ?? 0);
    expect(storeQuote(text, start, end)).toBe(needle);
  });

  it("keeps working when the selection starts inside an existing highlight", () => {
    const text = "Ottawa 😀 said sector deals are being negotiated one by one.";
    const map = new OffsetMap(text);
    const u16 = text.indexOf("sector deals");
    const root = render(text, [{ id: 1, start: u16, end: u16 + "sector deals".length }]);
    const range = document.createRange();
    const mark = root.querySelector("mark");
    const after = mark?.nextElementSibling?.firstChild;
    if (!mark?.firstChild || !after) {
      throw new Error("the highlight did not render");
    }
    range.setStart(mark.firstChild, "sector ".length);
    range.setEnd(after, " are being".length);
    const offsets = rangeOffsets(root, range, text);
    expect(storeQuote(text, map.toCodePoint(offsets?.start ?? 0), map.toCodePoint(offsets?.end ?? 0))).toBe("deals are being");
  });

  it("trims whitespace a paragraph-wide selection drags in", () => {
    const text = "One.\n\nTwo words.\n\nThree.";
    const root = render(text);
    const [, second, third] = root.querySelectorAll("p");
    const range = document.createRange();
    range.setStart(second ?? root, 0);
    range.setEnd(third ?? root, 0);
    const offsets = rangeOffsets(root, range, text);
    expect(text.slice(offsets?.start, offsets?.end)).toBe("Two words.");
  });

  it("ignores a selection outside the text", () => {
    const root = render("Some text.");
    const outside = document.createElement("p");
    outside.textContent = "Elsewhere";
    document.body.append(outside);
    const range = document.createRange();
    range.selectNodeContents(outside);
    expect(rangeOffsets(root, range, "Some text.")).toBeNull();
  });
});

describe("buildBlocks", () => {
  it("splits paragraphs at blank lines and cuts segments at highlight edges", () => {
    const text = "Alpha beta.\n\nGamma delta epsilon.";
    const start = text.indexOf("delta");
    const blocks = buildBlocks(text, [{ id: 7, start, end: start + 5 }]);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]?.segments.map((s) => [s.text, s.excerpts])).toEqual([
      ["Gamma ", []],
      ["delta", [7]],
      [" epsilon.", []],
    ]);
  });

  it("lists the shortest highlight first where two overlap, so the inner one stays clickable", () => {
    const text = "one two three four";
    const blocks = buildBlocks(text, [
      { id: 1, start: 0, end: 18 },
      { id: 2, start: 4, end: 7 },
    ]);
    expect(blocks[0]?.segments.find((s) => s.text === "two")?.excerpts).toEqual([2, 1]);
  });

  it("splits a highlight that crosses a paragraph break", () => {
    const text = "End of one.\n\nStart of two.";
    const blocks = buildBlocks(text, [{ id: 3, start: 4, end: 18 }]);
    expect(blocks.flatMap((b) => b.segments.filter((s) => s.excerpts.includes(3)).map((s) => s.text))).toEqual(["of one.", "Start"]);
  });
});

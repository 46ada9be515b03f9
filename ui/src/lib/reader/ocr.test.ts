import { describe, expect, it } from "vitest";
import { ocrNotice, ocrPageAt } from "./ocr";

describe("OCR pages in the reader", () => {
  // Page 1 has a text layer, page 2 was scanned; "é" and "𝑥" shift UTF-16 from code points.
  const text = "Page one, born digital: 𝑥 café.\n\nPage two, scanned.\n";
  const page2 = Array.from(text).indexOf("P", 5); // code point where page 2 begins
  const page2u16 = text.indexOf("Page two");

  it("maps an offset to the OCR'd page it is on, through code points", () => {
    const at = ocrPageAt(text, [0, page2], { pages: [2], confidence: 0.9 });
    expect(at(0)).toBeNull();
    expect(at(page2u16 - 1)).toBeNull();
    expect(at(page2u16)).toBe(2);
    expect(at(text.length - 1)).toBe(2);
  });

  it("treats a text with no page map as page 1, and no OCR as none", () => {
    expect(ocrPageAt(text, null, { pages: [1], confidence: 0.8 })(10)).toBe(1);
    expect(ocrPageAt(text, [0, page2], null)(page2u16)).toBeNull();
  });

  it("says which pages were read and how sure the reader was", () => {
    expect(ocrNotice({ pages: [3], confidence: 0.914 })).toMatch(/^Page 3 was read by OCR .*91%/);
    expect(ocrNotice({ pages: [3, 1, 2], confidence: 0.5 })).toMatch(/^Pages 1, 2 and 3 were/);
    expect(ocrNotice({ pages: [1, 2, 3, 4, 5, 6, 7, 8], confidence: 0.5 })).toMatch(/^8 pages were/);
  });
});

describe("ReaderText with OCR'd pages", () => {
  it("marks the paragraphs of scanned pages and says so above the text", async () => {
    const { render } = await import("@testing-library/svelte");
    const ReaderText = (await import("./ReaderText.svelte")).default;
    const text = "Typed page.\n\nScanned page text.\n";
    const { container } = render(ReaderText, {
      text,
      lang: "en",
      highlights: [],
      colors: new Map(),
      active: null,
      draft: null,
      onpick: () => undefined,
      pages: [0, text.indexOf("Scanned")],
      ocr: { pages: [2], confidence: 0.87 },
    });
    const paragraphs = [...container.querySelectorAll("#reader-text p")];
    expect(paragraphs.map((p) => p.classList.contains("ocr"))).toEqual([false, true]);
    expect(paragraphs[1]?.getAttribute("data-ocr-page")).toBe("2");
    expect(container.querySelector("#reader-ocr-notice")?.textContent).toMatch(/^Page 2 was read by OCR.*87%/);
  });
});

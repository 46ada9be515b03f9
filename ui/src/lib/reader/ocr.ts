/**
 * Which paragraphs of a source's text were read by OCR, so the reader can mark them: an
 * analyst checks a quote from a scanned page against the page before citing it.
 */
import { OffsetMap } from "../anchors";
import type { OcrInfo } from "../ipc";
import { formatNumber, intlLocale, m } from "../i18n";

/**
 * A function from a UTF-16 offset in `text` to the OCR'd page it falls on (numbered from 1),
 * or `null` when that text came from a page with a text layer. `pages` holds the code-point
 * offsets where each page begins; a text with no page map is one page.
 */
export function ocrPageAt(
  text: string,
  pages: readonly number[] | null,
  ocr: OcrInfo | null,
): (offset: number) => number | null {
  if (!ocr || ocr.pages.length === 0) {
    return () => null;
  }
  const read = new Set(ocr.pages);
  const map = new OffsetMap(text);
  const starts = (pages && pages.length > 0 ? pages : [0]).map((cp) => map.toUtf16(cp));
  return (offset: number): number | null => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? Infinity) <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    const page = lo + 1;
    return read.has(page) ? page : null;
  };
}

/** "Pages 2 and 3 of this source were read by OCR (mean confidence 91%)…" */
export function ocrNotice(ocr: OcrInfo): string {
  const pages = [...ocr.pages].sort((a, b) => a - b);
  const confidence = formatNumber(Math.round(ocr.confidence * 100) / 100, { style: "percent", maximumFractionDigits: 0 });
  if (pages.length === 1) {
    return m.ocr_notice_one({ page: pages[0] ?? 0, confidence });
  }
  if (pages.length <= 6) {
    // "2, 3 and 4" / "2, 3 et 4": the list's words follow the page's language.
    const list = new Intl.ListFormat(intlLocale(), { style: "long", type: "conjunction" }).format(pages.map(String));
    return m.ocr_notice_list({ pages: list, confidence });
  }
  return m.ocr_notice_many({ count: pages.length, confidence });
}

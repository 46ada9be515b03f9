/**
 * Anchors across the boundary: the web view measures text in UTF-16 code units, the store in
 * Unicode code points. Everything the reader sends or receives goes through here.
 *
 * The reader renders the source's text as paragraphs (runs of blank lines are not rendered)
 * made of *segments*: `<span>` or `<mark>` elements each holding one text node and a
 * `data-o` attribute with the UTF-16 offset of its first character in the full text. A DOM
 * selection is mapped back through those offsets, never through `toString()` of a range, so
 * what the paragraphs leave out cannot shift an anchor.
 */

/** Maps between UTF-16 offsets and code-point offsets of one text. */
export class OffsetMap {
  readonly text: string;
  /** `u16[cp]` is the UTF-16 offset of code point `cp`; one entry past the end. */
  private readonly u16: Uint32Array;
  readonly cpLength: number;

  constructor(text: string) {
    this.text = text;
    const offsets = new Uint32Array(text.length + 1);
    let cp = 0;
    for (let i = 0; i < text.length; i++) {
      offsets[cp++] = i;
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++;
        }
      }
    }
    offsets[cp] = text.length;
    this.cpLength = cp;
    this.u16 = offsets.subarray(0, cp + 1);
  }

  /** The UTF-16 offset of code point `cp` (clamped to the text). */
  toUtf16(cp: number): number {
    const clamped = Math.max(0, Math.min(cp, this.cpLength));
    return this.u16[clamped] ?? this.text.length;
  }

  /** The code point at or before UTF-16 offset `u16` (an offset inside a pair rounds down). */
  toCodePoint(u16: number): number {
    let lo = 0;
    let hi = this.cpLength;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.u16[mid] ?? Infinity) <= u16) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}

/** A span of the text, in UTF-16 offsets, with the excerpts covering it (innermost first). */
export interface Segment {
  start: number;
  end: number;
  text: string;
  excerpts: number[];
}

export interface Block {
  start: number;
  end: number;
  segments: Segment[];
}

export interface Highlight {
  id: number;
  /** UTF-16 offsets. */
  start: number;
  end: number;
}

/**
 * Cuts `text` into paragraphs (split at blank lines) and each paragraph into segments at every
 * highlight boundary. A segment covered by several highlights lists the shortest first, so a
 * nested excerpt stays clickable inside a longer one.
 */
export function buildBlocks(text: string, highlights: readonly Highlight[]): Block[] {
  const blocks: Block[] = [];
  const breaks = /\n[ \t]*\n\s*/g;
  let from = 0;
  const pushBlock = (start: number, end: number) => {
    if (end > start) {
      blocks.push({ start, end, segments: [] });
    }
  };
  for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
    pushBlock(from, m.index);
    from = m.index + m[0].length;
  }
  pushBlock(from, text.length);

  const sorted = [...highlights]
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const byLength = (a: Highlight, b: Highlight) => a.end - a.start - (b.end - b.start) || b.id - a.id;

  let first = 0; // index of the first highlight that may still overlap the current block
  for (const block of blocks) {
    while (first < sorted.length && (sorted[first]?.end ?? 0) <= block.start) {
      first++;
    }
    const inBlock: Highlight[] = [];
    for (let i = first; i < sorted.length; i++) {
      const h = sorted[i];
      if (!h || h.start >= block.end) {
        break;
      }
      if (h.end > block.start) {
        inBlock.push(h);
      }
    }
    const cuts = new Set<number>([block.start, block.end]);
    for (const h of inBlock) {
      cuts.add(Math.max(h.start, block.start));
      cuts.add(Math.min(h.end, block.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i] ?? 0;
      const end = points[i + 1] ?? 0;
      const covering = inBlock.filter((h) => h.start <= start && h.end >= end).sort(byLength);
      block.segments.push({
        start,
        end,
        text: text.slice(start, end),
        excerpts: covering.map((h) => h.id),
      });
    }
  }
  return blocks;
}

const SEGMENT = "[data-o]";

function segmentOffset(element: Element): number {
  return Number(element.getAttribute("data-o"));
}

/**
 * The UTF-16 offset in the full text of a DOM boundary point inside `root`, or `null` when it
 * is not inside the rendered text.
 */
export function boundaryOffset(root: Element, node: Node, offset: number, textLength: number): number | null {
  if (!root.contains(node)) {
    return null;
  }
  if (node.nodeType === Node.TEXT_NODE) {
    const segment = node.parentElement?.closest(SEGMENT);
    if (segment && root.contains(segment)) {
      return segmentOffset(segment) + offset;
    }
  }
  // A point between elements (a paragraph edge, a triple-click): it maps to the start of the
  // first segment after it, or to the end of the text when none follows.
  const segments = root.querySelectorAll(SEGMENT);
  const point = document.createRange();
  point.setStart(node, offset);
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const segment = segments[mid];
    // comparePoint < 0: the segment's start is before the point.
    if (segment && point.comparePoint(segment, 0) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const next = segments[lo];
  if (next) {
    // The point may sit inside this segment's element but before its text node.
    return segmentOffset(next);
  }
  const last = segments[segments.length - 1];
  return last ? segmentOffset(last) + last.textContent.length : textLength;
}

/** A selection as UTF-16 offsets into the text, whitespace at both ends left out. */
export interface TextRange {
  start: number;
  end: number;
}

/** The part of `range` that lies in the text rendered under `root`, trimmed; `null` if none. */
export function rangeOffsets(root: Element, range: Range, text: string): TextRange | null {
  if (range.collapsed || !range.intersectsNode(root)) {
    return null;
  }
  const startInside = root.contains(range.startContainer);
  const endInside = root.contains(range.endContainer);
  let start = startInside
    ? boundaryOffset(root, range.startContainer, range.startOffset, text.length)
    : 0;
  let end = endInside
    ? boundaryOffset(root, range.endContainer, range.endOffset, text.length)
    : text.length;
  if (start === null || end === null) {
    return null;
  }
  while (start < end && /\s/.test(text.charAt(start))) {
    start++;
  }
  while (end > start && /\s/.test(text.charAt(end - 1))) {
    end--;
  }
  // Never split a surrogate pair, whatever the selection did.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) {
    start--;
  }
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) {
    end++;
  }
  return end > start ? { start, end } : null;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

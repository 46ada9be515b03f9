/**
 * What the Compare view draws from a word diff: the changes as they are, and the unchanged
 * text between them cut down to a few words of context either side, the rest folded into a
 * "N unchanged words" piece the analyst can open. A long report with one changed sentence
 * then reads as that sentence, not as forty screens of identical text.
 *
 * Pure functions over the backend's `DiffOp`s, so the folding rules are tested here.
 */
import type { DiffOp, NotKept, SourceVersion } from "../ipc";
import { m } from "../i18n";

export type DiffPiece =
  | { kind: "equal" | "insert" | "delete"; text: string }
  | { kind: "folded"; text: string; words: number };

/** Words of unchanged text kept visible on each side of a change. */
export const CONTEXT_WORDS = 12;
/** Unchanged runs hiding fewer words than this are shown whole: folding them saves nothing. */
export const MIN_FOLDED_WORDS = 20;

/** Byte offsets where each word of `text` starts. */
function wordStarts(text: string): number[] {
  return [...text.matchAll(/\S+/g)].map((m) => m.index);
}

/**
 * Folds the long unchanged runs of `ops`. The first run keeps only its last `context` words
 * (the lead-in to the first change), the last run only its first ones, and a run between two
 * changes both ends. The pieces' texts, folded ones included, still rebuild the later version.
 */
export function foldDiff(ops: DiffOp[], context = CONTEXT_WORDS, minFolded = MIN_FOLDED_WORDS): DiffPiece[] {
  const pieces: DiffPiece[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== "equal") {
      // Words are what is compared (and counted): a change of spacing alone is not marked.
      // The later text keeps its spacing; the earlier one's is dropped.
      if (op.text.trim() === "") {
        if (op.kind === "insert") {
          pieces.push({ kind: "equal", text: op.text });
        }
        return;
      }
      pieces.push({ kind: op.kind, text: op.text });
      return;
    }
    const starts = wordStarts(op.text);
    const keepHead = i > 0 ? context : 0;
    const keepTail = i < ops.length - 1 ? context : 0;
    const hidden = starts.length - keepHead - keepTail;
    if (hidden < minFolded) {
      pieces.push({ kind: "equal", text: op.text });
      return;
    }
    // A run with no change before it starts folded from its first character (leading spaces too).
    const foldFrom = keepHead > 0 ? (starts[keepHead] ?? op.text.length) : 0;
    const foldTo = keepTail > 0 ? (starts[starts.length - keepTail] ?? op.text.length) : op.text.length;
    if (foldFrom > 0) {
      pieces.push({ kind: "equal", text: op.text.slice(0, foldFrom) });
    }
    pieces.push({ kind: "folded", text: op.text.slice(foldFrom, foldTo), words: hidden });
    if (foldTo < op.text.length) {
      pieces.push({ kind: "equal", text: op.text.slice(foldTo) });
    }
  });
  return pieces;
}

/** Whether the two texts differ at all. */
export function hasChanges(ops: DiffOp[]): boolean {
  return ops.some((op) => op.kind !== "equal");
}

/** The two versions a comparison opens on: the one before `to` (default: the latest) and `to`. */
export function defaultPair(versions: SourceVersion[], to?: number): { from: number; to: number } | null {
  const numbers = versions.map((v) => v.number).sort((a, b) => a - b);
  const last = to ?? numbers[numbers.length - 1];
  const earlier = numbers.filter((n) => last !== undefined && n < last);
  const from = earlier[earlier.length - 1];
  return last === undefined || from === undefined ? null : { from, to: last };
}

/** Why a version has no original, in the analyst's words. */
export function notKeptReason(reason: NotKept): string {
  switch (reason) {
    case "no_original":
      return m.versions_not_kept_none();
    case "over_cap":
      return m.versions_not_kept_cap();
    case "before_versions":
      return m.versions_not_kept_before();
  }
}

/** What "View original" does for a version of this format. */
export function opensInApp(format: string | null): boolean {
  return format === "html";
}

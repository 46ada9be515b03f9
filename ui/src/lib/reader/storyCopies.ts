/** The reader's list of a source's copies, with what the library knows of each. */
import type { SourceCopy, SourceSummary } from "../ipc";

export interface CopyLine {
  id: number;
  outlet: string | null;
  /** `null` when the library list does not hold the source (yet). */
  title: string | null;
  /** The share of the shorter text found in the other, as a whole percentage. */
  percent: number;
}

/** Most similar first (the order the backend gives), each with its outlet and title. */
export function copyLines(copies: readonly SourceCopy[], library: readonly SourceSummary[]): CopyLine[] {
  const byId = new Map(library.map((s) => [s.id, s]));
  return copies.map((c) => {
    const s = byId.get(c.id);
    return {
      id: c.id,
      outlet: s?.outlet ?? null,
      title: s?.title ?? null,
      percent: Math.round(c.similarity * 100),
    };
  });
}

/**
 * One story across outlets in the library: the same wire story carried by several outlets is
 * one row, "also in: CTV News, Global News". The store groups the sources (`story` on each
 * summary); this only folds a list already sorted and filtered.
 */
import type { SourceSummary } from "../ipc";

export interface StoryRow {
  /** The member that stands for the story: the first one the list shows. */
  source: SourceSummary;
  /** The story's other sources, whether or not the filter shows them, oldest first. */
  also: SourceSummary[];
}

/**
 * One row per story in the order of `shown`; `all` is the whole library, where the copies
 * hidden by a filter are still found.
 */
export function groupStories(shown: readonly SourceSummary[], all: readonly SourceSummary[]): StoryRow[] {
  const members = new Map<number, SourceSummary[]>();
  for (const s of all) {
    if (s.story !== null) {
      const list = members.get(s.story);
      if (list) {
        list.push(s);
      } else {
        members.set(s.story, [s]);
      }
    }
  }
  const seen = new Set<number>();
  const rows: StoryRow[] = [];
  for (const source of shown) {
    if (source.story === null) {
      rows.push({ source, also: [] });
      continue;
    }
    if (seen.has(source.story)) {
      continue;
    }
    seen.add(source.story);
    const also = (members.get(source.story) ?? []).filter((s) => s.id !== source.id).sort((a, b) => a.id - b.id);
    rows.push({ source, also });
  }
  return rows;
}

/**
 * What "also in" lists: each copy's outlet once, in order; a copy without an outlet by its
 * title. An outlet the row's own source shares is still named (another capture of the page).
 */
export function alsoIn(also: readonly { outlet: string | null; title: string }[]): string[] {
  const names: string[] = [];
  for (const c of also) {
    const name = c.outlet?.trim() || c.title;
    if (!names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}

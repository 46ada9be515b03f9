import { describe, expect, it } from "vitest";
import type { SourceSummary } from "../ipc";
import { alsoIn, groupStories } from "./stories";

function source(id: number, story: number | null, outlet: string | null = null, title = `Title ${id}`): SourceSummary {
  return {
    id,
    uid: `0190c0de-0000-7000-8000-${String(id).padStart(12, "0")}`,
    title,
    outlet,
    authors: [],
    published: null,
    url: null,
    lang: null,
    captured_at: "2026-12-06T12:00:00Z",
    excerpt_count: 0,
    tags: [],
    marking: "unclassified",
    story,
  };
}

describe("groupStories", () => {
  it("shows a story once, at its first member's place, with the others as copies", () => {
    const all = [source(5, 2, "Global News"), source(4, null), source(3, 2, "CTV News"), source(2, 2, "Maple Wire"), source(1, null)];
    const rows = groupStories(all, all);
    expect(rows.map((r) => r.source.id)).toEqual([5, 4, 1]);
    expect(rows[0]?.also.map((s) => s.id)).toEqual([2, 3]);
    expect(rows[1]?.also).toEqual([]);
  });

  it("lists copies a filter hides, and lets a shown copy stand for its story", () => {
    const wire = source(1, 1, "Maple Wire");
    const ctv = source(2, 1, "CTV News");
    const alone = source(3, null);
    const rows = groupStories([ctv, alone], [wire, ctv, alone]);
    expect(rows.map((r) => r.source.id)).toEqual([2, 3]);
    expect(rows[0]?.also.map((s) => s.id)).toEqual([1]);
  });

  it("keeps two stories apart", () => {
    const all = [source(1, 1), source(2, 2), source(3, 1), source(4, 2)];
    const rows = groupStories(all, all);
    expect(rows.map((r) => [r.source.id, r.also.map((s) => s.id)])).toEqual([
      [1, [3]],
      [2, [4]],
    ]);
  });
});

describe("alsoIn", () => {
  it("names each outlet once, and a copy without an outlet by its title", () => {
    expect(
      alsoIn([
        { outlet: "CTV News", title: "a" },
        { outlet: "Global News", title: "b" },
        { outlet: "CTV News", title: "c" },
        { outlet: null, title: "Steel duty to fall" },
        { outlet: "  ", title: "Blank outlet" },
      ]),
    ).toEqual(["CTV News", "Global News", "Steel duty to fall", "Blank outlet"]);
  });
});

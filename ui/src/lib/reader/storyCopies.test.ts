import { describe, expect, it } from "vitest";
import type { SourceSummary } from "../ipc";
import { copyLines } from "./storyCopies";

const summary = (id: number, outlet: string | null, title: string): SourceSummary => ({
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
  story: 1,
});

describe("copyLines", () => {
  it("keeps the backend's order and names each copy by the library's outlet and title", () => {
    const lines = copyLines(
      [
        { id: 3, similarity: 0.987 },
        { id: 2, similarity: 0.71 },
        { id: 9, similarity: 0.5 },
      ],
      [summary(2, "Global News", "Duty on steel to fall"), summary(3, null, "Steel duty cut")],
    );
    expect(lines).toEqual([
      { id: 3, outlet: null, title: "Steel duty cut", percent: 99 },
      { id: 2, outlet: "Global News", title: "Duty on steel to fall", percent: 71 },
      { id: 9, outlet: null, title: null, percent: 50 },
    ]);
  });
});

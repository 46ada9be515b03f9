import { describe, expect, it } from "vitest";
import type { DiffOp, SourceVersion } from "../ipc";
import { defaultPair, foldDiff, hasChanges, notKeptReason, opensInApp } from "./versionDiff";

function words(n: number, prefix = "w"): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(" ");
}

const rebuild = (pieces: { kind: string; text: string }[], skip: string): string =>
  pieces
    .filter((p) => p.kind !== skip)
    .map((p) => p.text)
    .join("");

describe("foldDiff", () => {
  it("keeps short unchanged runs whole", () => {
    const ops: DiffOp[] = [
      { kind: "equal", text: "Steel quotas " },
      { kind: "delete", text: "stay" },
      { kind: "insert", text: "end" },
      { kind: "equal", text: " in place." },
    ];
    expect(foldDiff(ops)).toEqual(ops);
  });

  it("folds a long run between two changes, keeping context on both sides", () => {
    const middle = ` ${words(100)} `;
    const ops: DiffOp[] = [
      { kind: "insert", text: "Added" },
      { kind: "equal", text: middle },
      { kind: "delete", text: "Removed" },
    ];
    const pieces = foldDiff(ops, 5, 10);
    expect(pieces.map((p) => p.kind)).toEqual(["insert", "equal", "folded", "equal", "delete"]);
    expect(pieces[1]?.text).toBe(" w0 w1 w2 w3 w4 ");
    expect(pieces[3]?.text).toBe("w95 w96 w97 w98 w99 ");
    const folded = pieces[2];
    expect(folded?.kind === "folded" && folded.words).toBe(90);
    expect(rebuild(pieces, "delete")).toBe(`Added${middle}`);
    expect(rebuild(pieces, "insert")).toBe(`${middle}Removed`);
  });

  it("keeps only the lead-in of the first run and the tail-off of the last", () => {
    const ops: DiffOp[] = [
      { kind: "equal", text: `${words(50, "a")} ` },
      { kind: "insert", text: "new " },
      { kind: "equal", text: words(50, "b") },
    ];
    const pieces = foldDiff(ops, 3, 10);
    expect(pieces.map((p) => p.kind)).toEqual(["folded", "equal", "insert", "equal", "folded"]);
    expect(pieces[1]?.text).toBe("a47 a48 a49 ");
    expect(pieces[3]?.text).toBe("b0 b1 b2 ");
    expect(rebuild(pieces, "delete")).toBe(`${words(50, "a")} new ${words(50, "b")}`);
  });

  it("does not fold when too few words would be hidden", () => {
    const ops: DiffOp[] = [
      { kind: "delete", text: "x " },
      { kind: "equal", text: words(30) },
      { kind: "insert", text: " y" },
    ];
    expect(foldDiff(ops, 12, 20).map((p) => p.kind)).toEqual(["delete", "equal", "insert"]);
  });

  it("does not mark a change of spacing alone", () => {
    const ops: DiffOp[] = [
      { kind: "equal", text: "Levy" },
      { kind: "delete", text: " falls." },
      { kind: "insert", text: "\n\n" },
      { kind: "delete", text: "  " },
      { kind: "equal", text: "Next" },
    ];
    expect(foldDiff(ops)).toEqual([
      { kind: "equal", text: "Levy" },
      { kind: "delete", text: " falls." },
      { kind: "equal", text: "\n\n" },
      { kind: "equal", text: "Next" },
    ]);
  });

  it("folds a text with no change at all into one piece", () => {
    const pieces = foldDiff([{ kind: "equal", text: words(40) }], 12, 20);
    expect(pieces).toEqual([{ kind: "folded", text: words(40), words: 40 }]);
    expect(hasChanges([{ kind: "equal", text: "same" }])).toBe(false);
  });
});

describe("versions", () => {
  const v = (number: number): SourceVersion => ({
    number,
    uid: `u${number}`,
    captured_at: "2026-01-01T00:00:00Z",
    format: "html",
    original_sha256: null,
    original_size: null,
    not_kept: null,
    reanchor: null,
  });

  it("compares the previous version with the latest by default", () => {
    expect(defaultPair([v(1), v(2), v(3)])).toEqual({ from: 2, to: 3 });
    expect(defaultPair([v(1), v(2), v(3)], 2)).toEqual({ from: 1, to: 2 });
    expect(defaultPair([v(1)])).toBeNull();
  });

  it("shows web pages in the app and hands everything else to the system", () => {
    expect(opensInApp("html")).toBe(true);
    expect(opensInApp("pdf")).toBe(false);
    expect(opensInApp("image")).toBe(false);
    expect(notKeptReason("over_cap")).toContain("size limit");
  });
});

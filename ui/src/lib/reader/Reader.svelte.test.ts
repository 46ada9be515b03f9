import { afterEach, describe, expect, it } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { AppState } from "../state.svelte";
import { FakeBackend } from "../../test/fakeBackend";
import { ReaderState } from "./Reader.svelte.js";
import type { PlacedRange } from "./Reader.svelte.js";

afterEach(() => {
  clearMocks();
});

// Two emoji before the passages: UTF-16 offsets and code points differ after them.
const TEXT = "Desk 😀🇨🇦 notes. The negotiators agreed on a steel quota review. Aluminium comes later.";

function workspace() {
  const backend = new FakeBackend();
  const source = backend.addSource({ title: "Desk notes", body: TEXT });
  const steel = backend.addExcerpt(source.id, { by: "quote", quote: "steel quota review", occurrence: null }, "keep me", ["sector/steel"]);
  const alu = backend.addExcerpt(source.id, { by: "quote", quote: "Aluminium", occurrence: null });
  backend.install();
  return { backend, source, steel, alu };
}

async function opened(sourceId: number): Promise<{ app: AppState; reader: ReaderState }> {
  const app = new AppState();
  await app.refreshAll();
  app.openSource(sourceId);
  const reader = new ReaderState(app, sourceId);
  await reader.load();
  return { app, reader };
}

/** A selection of `needle` as the view would hand it over (UTF-16 offsets). */
function selectionOf(needle: string): PlacedRange {
  const start = TEXT.indexOf(needle);
  return { range: { start, end: start + needle.length }, top: 10, left: 20 };
}

const writes = (backend: FakeBackend, from: number) =>
  backend.calls
    .slice(from)
    .map((c) => c.cmd)
    .filter((cmd) => !/^(list|get)_/.test(cmd) && cmd !== "workspace_info");

describe("ReaderState", () => {
  it("loads the source and its excerpts, in reading order, highlighted at UTF-16 offsets in their first tag's colour", async () => {
    const { source, steel, alu } = workspace();
    const { reader } = await opened(source.id);
    expect(reader.source.status).toBe("ready");
    expect(reader.text).toBe(TEXT);
    expect(reader.sorted.map((e) => e.id)).toEqual([steel.id, alu.id]);
    const mark = reader.highlights[0];
    expect(TEXT.slice(mark?.start, mark?.end)).toBe("steel quota review");
    expect(reader.colors.get(steel.id)).toBe("#5b6b7f");
  });

  it("reports a source that cannot be opened", async () => {
    const { backend, source } = workspace();
    backend.failures.set("get_source", { code: "not_found", message: "no source", existing_id: null, position: null, length: null });
    const { reader } = await opened(source.id);
    expect(reader.source.status).toBe("failed");
    expect(reader.text).toBe("");
  });

  it("drafts from the selection, and ignores new selections while the form is open", async () => {
    const { source } = workspace();
    const { reader } = await opened(source.id);
    expect(reader.startDraft(), "nothing selected: nothing to draft").toBe(false);

    reader.selected(selectionOf("negotiators"));
    expect(reader.startDraft(true)).toBe(true);
    expect(reader.draft).toEqual({ ...selectionOf("negotiators"), focusTags: true });
    expect(reader.selection).toBeNull();
    expect(reader.hasExcerpt()).toBe(true);

    reader.selected(selectionOf("Aluminium"));
    expect(reader.selection, "the draft's passage stays the one being excerpted").toBeNull();
  });

  it("saves the draft in code points, with its question, in one add_excerpt, and makes it current", async () => {
    const { backend, source } = workspace();
    const { app, reader } = await opened(source.id);
    reader.selected(selectionOf("negotiators agreed"));
    reader.startDraft();
    const from = backend.calls.length;

    await reader.saveExcerpt("who agreed", ["sector/steel"], "  Which negotiators?  ");

    expect(writes(backend, from)).toEqual(["add_excerpt"]);
    const args = backend.called("add_excerpt")[0]?.args ?? {};
    const target = args["target"] as { start: number; end: number };
    expect(Array.from(TEXT).slice(target.start, target.end).join("")).toBe("negotiators agreed");
    expect(args["question"]).toBe("Which negotiators?");
    const saved = backend.excerpts.at(-1);
    expect(reader.activeId).toBe(saved?.id);
    expect(reader.active?.quote).toBe("negotiators agreed");
    expect(reader.draft).toBeNull();
    expect(reader.saving).toBe(false);
    expect(backend.followups.map((f) => [f.text, f.excerpt_ids])).toEqual([["Which negotiators?", [saved?.id]]]);
    await expect.poll(() => app.openFollowups, { timeout: 2000 }).toBe(1);
  });

  it("sends no question when none was asked, and keeps the draft when the store refuses", async () => {
    const { backend, source } = workspace();
    const { app, reader } = await opened(source.id);
    reader.selected(selectionOf("Desk"));
    reader.startDraft();
    backend.failures.set("add_excerpt", { code: "busy", message: "the workspace is busy", existing_id: null, position: null, length: null });
    await reader.saveExcerpt("", [], "   ");
    expect(backend.called("add_excerpt")[0]?.args["question"]).toBeNull();
    expect(reader.draft, "what was typed is not lost").not.toBeNull();
    expect(reader.saving).toBe(false);
    expect(app.toasts.map((t) => t.message)).toEqual(["The excerpt could not be saved: the workspace is busy"]);
  });

  it("steps through excerpts in reading order, wrapping both ways", async () => {
    const { source, steel, alu } = workspace();
    const { reader } = await opened(source.id);
    expect(reader.neighbour(1)).toBe(steel.id);
    expect(reader.neighbour(-1)).toBe(alu.id);
    reader.activeId = alu.id;
    expect(reader.neighbour(1)).toBe(steel.id);
    reader.activeId = steel.id;
    expect(reader.neighbour(-1)).toBe(alu.id);
  });

  it("counts the T and A shortcuts so the form or panel sees each press", async () => {
    const { source } = workspace();
    const { reader } = await opened(source.id);
    reader.tag();
    expect(reader.command).toEqual({ kind: "tags", n: 1 });
    reader.ask();
    expect(reader.command).toEqual({ kind: "ask", n: 2 });
  });

  it("deletes the current excerpt, and its undo is one restore_excerpt bringing back its links", async () => {
    const { backend, source, steel } = workspace();
    const question = backend.addFollowup({ text: "Which quota?", excerpt_ids: [steel.id] });
    const { app, reader } = await opened(source.id);
    reader.activeId = steel.id;

    await reader.removeActive();
    expect(reader.activeId).toBeNull();
    expect(reader.excerpts.map((e) => e.id)).not.toContain(steel.id);
    expect(question.excerpt_ids).toEqual([]);
    expect(app.toasts.map((t) => t.message)).toEqual(["Excerpt deleted"]);

    const from = backend.calls.length;
    expect(await app.undoLast()).toBe(true);
    expect(writes(backend, from)).toEqual(["restore_excerpt"]);
    const again = reader.active;
    expect(again?.quote).toBe("steel quota review");
    expect(again?.note).toBe("keep me");
    expect(again?.tags).toEqual(["sector/steel"]);
    expect(question.excerpt_ids).toEqual([again?.id]);
  });

  it("restores in the store but leaves the reader alone when the analyst has moved on", async () => {
    const { backend, source, steel } = workspace();
    const { app, reader } = await opened(source.id);
    reader.activeId = steel.id;
    await reader.removeActive();
    app.navigate({ name: "library" });
    await app.undoLast();
    expect(backend.excerpts.map((e) => e.quote)).toContain("steel quota review");
    expect(reader.activeId).toBeNull();
  });

  it("deletes the source and goes back to the library", async () => {
    const { backend, source } = workspace();
    const { app, reader } = await opened(source.id);
    reader.confirmDelete = true;
    await reader.deleteSource();
    expect(backend.sources).toEqual([]);
    expect(reader.confirmDelete).toBe(false);
    expect(app.view).toEqual({ name: "library" });
    expect(app.sources).toEqual({ status: "ready", value: [] });
    expect(app.toasts.map((t) => t.message)).toEqual(["Deleted “Desk notes” and 2 excerpts"]);
  });

  it("takes edits from the panel and the details form without reloading", async () => {
    const { backend, source, steel } = workspace();
    const { reader } = await opened(source.id);
    const loads = backend.calls.length;
    const base = reader.excerpts.find((e) => e.id === steel.id);
    if (!base || reader.source.status !== "ready") {
      throw new Error("the reader did not load");
    }
    reader.excerptChanged({ ...base, note: "edited" });
    expect(reader.excerpts.find((e) => e.id === steel.id)?.note).toBe("edited");
    reader.editingDetails = true;
    reader.detailsSaved({ ...reader.source.value, title: "Renamed" });
    expect(reader.source).toMatchObject({ status: "ready", value: { title: "Renamed" } });
    expect(reader.editingDetails).toBe(false);
    expect(backend.calls.length).toBe(loads);
  });

  it("closes with Escape the form, then the selection, then the excerpt, then leaves", async () => {
    const { source, steel } = workspace();
    const { app, reader } = await opened(source.id);
    app.navigate({ name: "library" });
    app.openSource(source.id);
    reader.activeId = steel.id;
    reader.selected(selectionOf("Desk"));
    reader.startDraft();
    reader.selected(null);

    expect(reader.escape()).toBe("draft");
    reader.selected(selectionOf("Desk"));
    expect(reader.escape()).toBe("selection");
    expect(reader.escape()).toBe("excerpt");
    expect(reader.activeId).toBeNull();
    expect(reader.escape()).toBe("back");
    expect(app.view).toEqual({ name: "library" });
  });
});

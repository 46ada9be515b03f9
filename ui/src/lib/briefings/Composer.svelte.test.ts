import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { AppState } from "../state.svelte";
import type { BriefingPatch } from "../ipc";
import { FakeBackend } from "../../test/fakeBackend";
import { ComposerState } from "./Composer.svelte.js";

afterEach(() => {
  clearMocks();
});

// Sample text written for these tests.
const FIRST = "Negotiators met on Tuesday to compare steel quota figures.";
const SECOND = "A second round on aluminum is planned for the spring.";

function workspace() {
  const backend = new FakeBackend();
  const source = backend.addSource({ title: "Metals talks resume", body: `${FIRST} ${SECOND}` });
  const first = backend.addExcerpt(source.id, { by: "quote", quote: FIRST, occurrence: null });
  const second = backend.addExcerpt(source.id, { by: "quote", quote: SECOND, occurrence: null });
  const briefing = backend.addBriefing({ title: "Metals talks: state of play" });
  const itemA = backend.addBriefingItem(briefing, "current_status", first.id);
  const itemB = backend.addBriefingItem(briefing, "current_status", second.id);
  backend.install();
  return { backend, briefing, first, second, itemA, itemB };
}

async function mounted(id: number, pause = 5): Promise<{ app: AppState; composer: ComposerState }> {
  const app = new AppState();
  const composer = new ComposerState(app, id, { pause });
  await composer.mount();
  return { app, composer };
}

const patches = (backend: FakeBackend): BriefingPatch[] => backend.called("edit_briefing").map((c) => c.args["patch"] as BriefingPatch);
const items = (composer: ComposerState) => composer.briefing?.sections.find((s) => s.kind === "current_status")?.items.map((i) => i.excerpt_id);

describe("ComposerState", () => {
  it("loads the note on mount, takes the app's export and unsaved-edits hooks, and lets go of them on destroy", async () => {
    const { briefing } = workspace();
    const { app, composer } = await mounted(briefing.id);

    expect(composer.briefing?.title).toBe("Metals talks: state of play");
    expect(composer.form.title).toBe("Metals talks: state of play");
    expect(app.currentBriefingId, "Add to briefing now goes here").toBe(briefing.id);
    expect(app.unsavedEdits?.()).toBe(false);
    expect(app.exportBriefing).not.toBeNull();
    await vi.waitFor(() => {
      expect(composer.previewHtml).toContain('<div class="header">');
    });

    composer.destroy();
    expect(app.unsavedEdits).toBeNull();
    expect(app.exportBriefing).toBeNull();
  });

  it("keeps the store's refusal to open a note, and forgets it as the current one", async () => {
    const { backend, briefing } = workspace();
    backend.failures.set("get_briefing", { code: "not_found", message: "no briefing with id 9", existing_id: null, position: null, length: null });
    const app = new AppState();
    app.currentBriefingId = briefing.id;
    const composer = new ComposerState(app, briefing.id);
    await composer.mount();
    expect(composer.loadError?.code).toBe("not_found");
    expect(composer.briefing).toBeNull();
    expect(app.currentBriefingId).toBeNull();
  });

  it("saves a changed field alone, and keeps a refused value with the store's reason until it is fixed", async () => {
    const { backend, briefing } = workspace();
    const { composer } = await mounted(briefing.id);

    await composer.saveField("title");
    expect(backend.called("edit_briefing"), "an unchanged field sends nothing").toHaveLength(0);

    composer.form.addressee = "  the Minister  ";
    expect(composer.dirty).toBe(true);
    await composer.saveField("addressee");
    expect(patches(backend)[0]?.addressee).toBe("the Minister");
    expect(patches(backend)[0]?.title).toBeNull();
    expect(composer.form.addressee, "the form shows the value as stored").toBe("the Minister");
    expect(composer.status).toBe("saved");
    expect(composer.statusText).toBe("Saved");
    expect(composer.dirty).toBe(false);

    composer.form.date = "next week";
    await composer.saveField("date");
    expect(composer.status).toBe("failed");
    expect(composer.statusText).toBe("Not saved");
    expect(composer.errors.date).toBe('"next week" is not a date; write it as YYYY-MM-DD');
    expect(composer.form.date, "what was typed stays").toBe("next week");

    composer.form.date = "2026-12-01";
    await composer.saveField("date");
    expect(composer.errors.date).toBeUndefined();
    expect(composer.briefing?.date).toBe("2026-12-01");
  });

  it("is dirty while a section's typing pauses, saves once the pause is over, and at once on saveText", async () => {
    const { backend, briefing } = workspace();
    const { composer } = await mounted(briefing.id, 40);

    composer.textTyped("summary", "Talks resume");
    composer.textTyped("summary", "Talks resume on Tuesday.");
    expect(composer.dirty).toBe(true);
    expect(backend.called("edit_briefing")).toHaveLength(0);
    await vi.waitFor(() => {
      expect(backend.called("edit_briefing")).toHaveLength(1);
    });
    expect(patches(backend)[0]?.sections).toMatchObject([{ section: "summary", text: "Talks resume on Tuesday." }]);
    await vi.waitFor(() => {
      expect(composer.dirty).toBe(false);
    });

    composer.textTyped("issue", "Quotas");
    await composer.saveText("issue");
    expect(patches(backend)[1]?.sections).toMatchObject([{ section: "issue", text: "Quotas" }]);
    await new Promise((r) => setTimeout(r, 60));
    expect(backend.called("edit_briefing"), "the timer was cancelled: no second save").toHaveLength(2);
  });

  it("saves text still in its pause when it is destroyed", async () => {
    const { backend, briefing } = workspace();
    const { composer } = await mounted(briefing.id, 10_000);
    composer.textTyped("background", "Since 2018.");
    composer.destroy();
    await vi.waitFor(() => {
      expect(backend.briefings[0]?.sections.find((s) => s.kind === "background")?.text).toBe("Since 2018.");
    });
  });

  it("reloads when asked from outside only while nothing typed is unsaved, and once per tick", async () => {
    const { backend, briefing } = workspace();
    const { app, composer } = await mounted(briefing.id);
    const loads = () => backend.called("get_briefing").length;
    expect(loads()).toBe(1);

    composer.reloadAsked(app.reloadTick);
    expect(loads(), "the same tick asks nothing").toBe(1);

    const stored = backend.briefings[0];
    if (stored) {
      stored.title = "Changed by the CLI";
    }
    composer.reloadAsked(app.reloadTick + 1);
    await vi.waitFor(() => {
      expect(composer.briefing?.title).toBe("Changed by the CLI");
    });
    expect(loads()).toBe(2);

    composer.form.addressee = "typed, not saved";
    composer.reloadAsked(app.reloadTick + 2);
    expect(loads(), "a reload would replace what was typed").toBe(2);
    expect(composer.form.addressee).toBe("typed, not saved");
  });

  it("removes an item, and its undo is one edit_briefing putting it back at its index", async () => {
    const { backend, briefing, first, second, itemA } = workspace();
    const { app, composer } = await mounted(briefing.id);

    await composer.remove(itemA, "current_status");
    expect(items(composer)).toEqual([second.id]);
    expect(app.toasts.map((t) => t.message)).toEqual(["Removed the excerpt from Current Status"]);

    const writes = backend.called("edit_briefing").length;
    expect(await app.undoLast()).toBe(true);
    expect(backend.called("edit_briefing").length - writes).toBe(1);
    expect(patches(backend).at(-1)?.sections).toMatchObject([{ section: "current_status", add_excerpts: [first.id], insert_at: 0 }]);
    expect(items(composer)).toEqual([first.id, second.id]);
  });

  it("offers no undo when the store refuses the removal", async () => {
    const { backend, briefing, itemA } = workspace();
    const { app, composer } = await mounted(briefing.id);
    backend.failures.set("edit_briefing", { code: "busy", message: "the workspace is busy", existing_id: null, position: null, length: null });
    await composer.remove(itemA, "current_status");
    expect(app.toasts.map((t) => [t.kind, t.message, t.undo])).toEqual([["error", "The excerpt could not be removed: the workspace is busy", null]]);
    expect(composer.status).toBe("failed");
  });

  it("moves an item and says whether the store took it", async () => {
    const { backend, briefing, first, second, itemA } = workspace();
    const { composer } = await mounted(briefing.id);
    expect(await composer.move(itemA, "current_status", 2)).toBe(true);
    expect(items(composer)).toEqual([second.id, first.id]);
    expect(composer.pending).toBe(0);

    backend.failures.set("move_briefing_item", { code: "busy", message: "busy", existing_id: null, position: null, length: null });
    expect(await composer.move(itemA, "current_status", 1)).toBe(false);
    expect(composer.pending).toBe(0);
  });

  it("adds an excerpt to a section, and reports a duplicate the store refuses", async () => {
    const { briefing, first } = workspace();
    const { app, composer } = await mounted(briefing.id);
    await composer.addExcerpt(first.id, "summary");
    expect(composer.briefing?.sections.find((s) => s.kind === "summary")?.items.map((i) => i.excerpt_id)).toEqual([first.id]);
    await composer.addExcerpt(first.id, "summary");
    expect(app.toasts.map((t) => t.message)).toEqual([
      "Added to Summary",
      `The excerpt could not be added: excerpt ${first.id} is already in summary; nothing was changed`,
    ]);
  });

  it("exports with the typed text saved first, and says nothing when the save dialog is cancelled", async () => {
    const { backend, briefing } = workspace();
    const { app, composer } = await mounted(briefing.id, 10_000);
    composer.format = "pdf";
    composer.textTyped("summary", "In short.");
    await composer.runExport();
    const order = backend.calls.map((c) => c.cmd).filter((c) => c === "edit_briefing" || c === "export_briefing");
    expect(order).toEqual(["edit_briefing", "export_briefing"]);
    expect(backend.called("export_briefing")[0]?.args["format"]).toBe("pdf");
    expect(composer.exporting).toBeNull();
    expect(app.toasts.map((t) => t.message)).toEqual(["Exported to /home/analyst/Documents/note.pdf"]);

    backend.exportTo = null;
    await composer.runExport();
    expect(app.toasts).toHaveLength(1);
  });

  it("duplicates into a new note it opens, and deletes the note it shows", async () => {
    const { backend, briefing } = workspace();
    const { app, composer } = await mounted(briefing.id);
    await composer.duplicate();
    const copy = backend.briefings[1];
    expect(app.view).toEqual({ name: "briefings", id: copy?.id });

    composer.confirmDelete = true;
    expect(await composer.deleteBriefing()).toBe(true);
    expect(composer.confirmDelete).toBe(false);
    expect(app.currentBriefingId).toBeNull();
    expect(backend.briefings.map((b) => b.id)).toEqual([copy?.id]);
    expect(await composer.deleteBriefing(), "gone already: the store refuses").toBe(false);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import type { BriefingPatch, SectionPatch } from "../ipc";
import { BRIEFING_SECTIONS, FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

// Sample text written for these tests.
const FIRST = "Negotiators met on Tuesday to compare steel quota figures.";
const SECOND = "A second round on aluminum is planned for the spring.";

function workspace() {
  const backend = new FakeBackend();
  const source = backend.addSource({
    title: "Metals talks resume",
    body: `${FIRST} ${SECOND} Officials gave no date for lumber.`,
    outlet: "Harbour Wire",
    published: "2026-03-02",
  });
  const first = backend.addExcerpt(source.id, { by: "quote", quote: FIRST, occurrence: null });
  const second = backend.addExcerpt(source.id, { by: "quote", quote: SECOND, occurrence: null });
  const briefing = backend.addBriefing({ title: "Metals talks: state of play" });
  const itemA = backend.addBriefingItem(briefing, "current_status", first.id);
  const itemB = backend.addBriefingItem(briefing, "current_status", second.id);
  return { backend, briefing, first, second, itemA, itemB };
}

async function openComposer(backend: FakeBackend, briefingId: number): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  await screen.findByText("Metals talks resume");
  await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
  const open = await waitFor(() => {
    const button = container.querySelector<HTMLButtonElement>(`.briefing-row[data-briefing-id="${briefingId}"] .open`);
    expect(button).not.toBeNull();
    return button;
  });
  await fireEvent.click(open ?? document.body);
  await waitFor(() => {
    expect(container.querySelector("#briefing-composer #field-title")).not.toBeNull();
  });
  return container;
}

const lastPatch = (backend: FakeBackend): BriefingPatch => {
  const calls = backend.called("edit_briefing");
  return calls[calls.length - 1]?.args["patch"] as BriefingPatch;
};

const itemIds = (container: HTMLElement, kind: string) =>
  [...container.querySelectorAll<HTMLElement>(`.composer-section[data-section="${kind}"] .briefing-item`)].map((el) => Number(el.dataset["itemId"]));

const emptySection = (section: string, parts: Partial<SectionPatch>): SectionPatch => ({
  section: section as SectionPatch["section"],
  text: null,
  remove_items: [],
  remove_excerpts: [],
  add_excerpts: [],
  insert_at: null,
  group: null,
  order_items: null,
  order_excerpts: null,
  ...parts,
});

describe("briefing composer", () => {
  it("lists the note, then shows its fields, the eight sections in order and the items with their citation", async () => {
    const { backend, briefing, first, itemA } = workspace();
    const container = await openComposer(backend, briefing.id);

    for (const id of ["field-marking", "field-addressee", "field-file-number", "field-date", "field-title", "field-title-fr", "field-purpose", "field-deadline"]) {
      expect(container.querySelector(`#${id}`), id).not.toBeNull();
    }
    expect(container.querySelector<HTMLInputElement>("#field-title")?.value).toBe("Metals talks: state of play");
    expect(container.querySelector("#field-title-fr")?.getAttribute("lang")).toBe("fr");
    expect(container.querySelector<HTMLInputElement>("#field-date")?.type).toBe("date");
    expect([...container.querySelectorAll<HTMLElement>(".composer-section")].map((s) => s.dataset["section"])).toEqual(BRIEFING_SECTIONS);
    const item = container.querySelector<HTMLElement>(`.briefing-item[data-item-id="${itemA.id}"]`);
    expect(item?.dataset["excerptId"]).toBe(String(first.id));
    expect(item?.textContent).toContain(FIRST);
    expect(item?.textContent).toContain("Harbour Wire");
    expect(item?.textContent).toContain("Metals talks resume");
    // The decision block is for decision notes only.
    expect(container.querySelector("#decision-block")).toBeNull();
    await waitFor(() => {
      expect(container.querySelector("#briefing-preview h1")?.textContent).toBe("Metals talks: state of play");
    });
    expect(container.querySelector("#briefing-preview main"), "no second <main> inside the app's").toBeNull();
  });

  it("saves a field with a patch that changes only that field, and keeps a refused value beside the store's reason", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);

    await fireEvent.input(screen.getByLabelText("Addressee (memorandum to)"), { target: { value: "the Deputy Minister" } });
    await fireEvent.change(screen.getByLabelText("Addressee (memorandum to)"));
    await waitFor(() => {
      expect(backend.briefings[0]?.addressee).toBe("the Deputy Minister");
    });
    const patch = lastPatch(backend);
    expect(patch.addressee).toBe("the Deputy Minister");
    expect(patch.title).toBeNull();
    expect(patch.date).toBeNull();
    expect(patch.sections).toEqual([]);
    await waitFor(() => {
      expect(container.querySelector("#save-status")?.textContent).toBe("Saved");
    });

    await fireEvent.change(screen.getByLabelText("Purpose"), { target: { value: "decision" } });
    await waitFor(() => {
      expect(lastPatch(backend).purpose).toBe("decision");
    });
    expect(await screen.findByLabelText("Decision maker")).not.toBeNull();

    backend.failures.set("edit_briefing", { code: "invalid", message: "the file number is too long", existing_id: null, position: null, length: null });
    const file = container.querySelector<HTMLInputElement>("#field-file-number") as HTMLInputElement;
    await fireEvent.input(file, { target: { value: "BN-2026-XYZ" } });
    await fireEvent.change(file);
    await waitFor(() => {
      expect(container.querySelector("#field-file-number-error")?.textContent).toBe("The file number is too long");
    });
    expect(file.value).toBe("BN-2026-XYZ");
    expect(file.getAttribute("aria-invalid")).toBe("true");
  });

  it("saves a section's text after a pause in typing, and at once on leaving it", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);

    const summary = container.querySelector<HTMLTextAreaElement>('.composer-section[data-section="summary"] textarea.section-text') as HTMLTextAreaElement;
    await fireEvent.input(summary, { target: { value: "Talks now go sector by sector." } });
    expect(backend.called("edit_briefing"), "not on every keystroke").toHaveLength(0);
    await waitFor(
      () => {
        expect(backend.briefings[0]?.sections[0]?.text).toBe("Talks now go sector by sector.");
      },
      { timeout: 2500 },
    );
    expect(lastPatch(backend).sections).toEqual([emptySection("summary", { text: "Talks now go sector by sector." })]);

    const issue = container.querySelector<HTMLTextAreaElement>('.composer-section[data-section="issue"] textarea.section-text') as HTMLTextAreaElement;
    await fireEvent.input(issue, { target: { value: "Whether to accept the sequence." } });
    expect(issue.value, "typing right after a save is kept").toBe("Whether to accept the sequence.");
    await fireEvent.blur(issue);
    await waitFor(() => {
      expect(backend.briefings[0]?.sections[1]?.text).toBe("Whether to accept the sequence.");
    });
  });

  it("moves an item down and up with its buttons and Alt+arrows, at the position the store expects", async () => {
    const { backend, briefing, itemA, itemB } = workspace();
    const container = await openComposer(backend, briefing.id);

    await fireEvent.click(container.querySelector(`.briefing-item[data-item-id="${itemA.id}"] .item-down`) ?? document.body);
    await waitFor(() => {
      expect(itemIds(container, "current_status")).toEqual([itemB.id, itemA.id]);
    });
    expect(backend.called("move_briefing_item")[0]?.args).toEqual({ id: briefing.id, item_id: itemA.id, to: "current_status", position: 2 });

    await fireEvent.click(container.querySelector(`.briefing-item[data-item-id="${itemA.id}"] .item-up`) ?? document.body);
    await waitFor(() => {
      expect(itemIds(container, "current_status")).toEqual([itemA.id, itemB.id]);
    });
    expect(backend.called("move_briefing_item")[1]?.args).toEqual({ id: briefing.id, item_id: itemA.id, to: "current_status", position: 1 });

    await fireEvent.keyDown(container.querySelector(`.briefing-item[data-item-id="${itemA.id}"] .item-handle`) ?? document.body, {
      key: "ArrowDown",
      altKey: true,
    });
    await waitFor(() => {
      expect(itemIds(container, "current_status")).toEqual([itemB.id, itemA.id]);
    });

    const select = container.querySelector<HTMLSelectElement>(`.briefing-item[data-item-id="${itemA.id}"] .item-section`) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "background" } });
    await waitFor(() => {
      expect(itemIds(container, "background")).toEqual([itemA.id]);
    });
    expect(backend.called("move_briefing_item")[3]?.args["to"]).toBe("background");
  });

  it("removes an item with remove_items, and Undo puts it back in its place with one edit_briefing", async () => {
    const { backend, briefing, first, second, itemA, itemB } = workspace();
    const container = await openComposer(backend, briefing.id);

    await fireEvent.click(container.querySelector(`.briefing-item[data-item-id="${itemA.id}"] .item-remove`) ?? document.body);
    await waitFor(() => {
      expect(itemIds(container, "current_status")).toEqual([itemB.id]);
    });
    expect(lastPatch(backend).sections).toEqual([emptySection("current_status", { remove_items: [itemA.id] })]);

    const writes = backend.called("edit_briefing").length;
    await fireEvent.click(await screen.findByRole("button", { name: /^Undo/ }));
    await waitFor(() => {
      const items = container.querySelectorAll<HTMLElement>('.composer-section[data-section="current_status"] .briefing-item');
      expect([...items].map((i) => i.dataset["excerptId"])).toEqual([String(first.id), String(second.id)]);
    });
    expect(backend.called("edit_briefing").length - writes, "one user action, one write").toBe(1);
    expect(lastPatch(backend).sections).toEqual([emptySection("current_status", { add_excerpts: [first.id], insert_at: 0 })]);
  });

  it("adds an excerpt found in the finder to the chosen section, and shows the store's refusal of a duplicate", async () => {
    const { backend, briefing, second } = workspace();
    const container = await openComposer(backend, briefing.id);

    await fireEvent.input(container.querySelector("#composer-find") ?? document.body, { target: { value: "aluminum" } });
    const add = await waitFor(() => {
      const button = container.querySelector<HTMLButtonElement>(`.find-result[data-excerpt-id="${second.id}"] .find-add`);
      expect(button).not.toBeNull();
      return button;
    });
    expect(backend.called("search")[0]?.args["query"]).toBe("aluminum type:excerpt");
    expect(container.querySelector(`.find-result[data-excerpt-id="${second.id}"]`)?.getAttribute("draggable")).toBe("true");

    await fireEvent.change(container.querySelector("#add-to-section") ?? document.body, { target: { value: "background" } });
    await fireEvent.click(add ?? document.body);
    await waitFor(() => {
      expect(container.querySelector(`.composer-section[data-section="background"] .briefing-item[data-excerpt-id="${second.id}"]`)).not.toBeNull();
    });
    expect(lastPatch(backend).sections).toEqual([emptySection("background", { add_excerpts: [second.id] })]);

    await fireEvent.change(container.querySelector("#add-to-section") ?? document.body, { target: { value: "current_status" } });
    await fireEvent.click(add ?? document.body);
    expect(await screen.findByText(/already in current status/)).not.toBeNull();
  });

  it("drops an excerpt onto a section, and an item before another item", async () => {
    const { backend, briefing, second, itemA, itemB } = workspace();
    const container = await openComposer(backend, briefing.id);
    const carrying = (type: string, value: number) => ({
      dataTransfer: { types: [type], getData: (t: string) => (t === type ? String(value) : ""), dropEffect: "none" },
    });

    const options = container.querySelector('.composer-section[data-section="options"]') ?? document.body;
    await fireEvent.dragOver(options, carrying("application/x-dossier-excerpt", second.id));
    expect(options.classList.contains("over"), "the section shows it takes the drop").toBe(true);
    await fireEvent.drop(options, carrying("application/x-dossier-excerpt", second.id));
    await waitFor(() => {
      expect(container.querySelector(`.composer-section[data-section="options"] .briefing-item[data-excerpt-id="${second.id}"]`)).not.toBeNull();
    });
    expect(lastPatch(backend).sections).toEqual([emptySection("options", { add_excerpts: [second.id] })]);

    // Item B dropped on item A goes before it: position 1.
    await fireEvent.drop(
      container.querySelector(`.briefing-item[data-item-id="${itemA.id}"] .item-quote`) ?? document.body,
      carrying("application/x-dossier-item", itemB.id),
    );
    await waitFor(() => {
      expect(itemIds(container, "current_status")).toEqual([itemB.id, itemA.id]);
    });
    expect(backend.called("move_briefing_item")[0]?.args).toEqual({ id: briefing.id, item_id: itemB.id, to: "current_status", position: 1 });
  });

  it("exports in the chosen format and says where the file went; a cancelled save says nothing", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);

    await fireEvent.change(container.querySelector("#export-format") ?? document.body, { target: { value: "pdf" } });
    await fireEvent.click(container.querySelector("#export-briefing") ?? document.body);
    expect(await screen.findByText("Exported to /home/analyst/Documents/note.pdf")).not.toBeNull();
    expect(backend.called("export_briefing")[0]?.args).toEqual({ id: briefing.id, format: "pdf", at: null });

    backend.exportTo = null;
    await fireEvent.click(container.querySelector("#export-briefing") ?? document.body);
    await waitFor(() => {
      expect(backend.called("export_briefing")).toHaveLength(2);
    });
    expect(screen.queryAllByText(/^Exported to/)).toHaveLength(1);

    backend.exportTo = "/tmp/by-shortcut";
    await fireEvent.keyDown(window, { key: "E", ctrlKey: true, shiftKey: true });
    expect(await screen.findByText("Exported to /tmp/by-shortcut.pdf")).not.toBeNull();
  });

  it("creates a note from the list's dialog, asking for a title in plain words", async () => {
    const { backend } = workspace();
    backend.install();
    const { container } = render(App);
    await screen.findByText("Metals talks resume");
    await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
    await fireEvent.click(await screen.findByRole("button", { name: "New briefing note" }, {}));
    const title = await screen.findByLabelText<HTMLInputElement>("Title");
    await fireEvent.click(container.ownerDocument.querySelector("#briefing-create") ?? document.body);
    expect(await screen.findByText("A briefing note needs a title.")).not.toBeNull();
    expect(backend.called("new_briefing")).toHaveLength(0);

    await fireEvent.input(title, { target: { value: "Dairy quota review" } });
    await fireEvent.submit(title.form ?? document.body);
    await waitFor(() => {
      expect(container.querySelector<HTMLInputElement>("#field-title")?.value).toBe("Dairy quota review");
    });
    expect((backend.called("new_briefing")[0]?.args["fields"] as { title: string }).title).toBe("Dairy quota review");
  });
});

describe("new briefing from a search", () => {
  async function search(backend: FakeBackend, query: string): Promise<HTMLElement> {
    backend.install();
    const { container } = render(App);
    await screen.findByText("Metals talks resume");
    await fireEvent.input(screen.getByLabelText("Search excerpts, sources and follow-ups"), { target: { value: query } });
    await waitFor(() => {
      expect(container.querySelector("#draft-from-search")).not.toBeNull();
    });
    return container;
  }

  it("drafts from the query with the title typed, and opens the composer on the draft", async () => {
    const { backend, second } = workspace();
    const container = await search(backend, "aluminum");

    await fireEvent.click(container.querySelector("#draft-from-search") ?? document.body);
    const title = document.querySelector("#draft-title") as HTMLInputElement;
    expect(title.value, "prefilled from the query").toBe("aluminum");
    await fireEvent.input(title, { target: { value: "Aluminum: where talks stand" } });
    await fireEvent.click(document.querySelector("#draft-create") ?? document.body);

    await waitFor(() => {
      expect(container.querySelector<HTMLInputElement>("#field-title")?.value).toBe("Aluminum: where talks stand");
    });
    const call = backend.called("draft_briefing")[0];
    expect(call?.args["query"]).toBe("aluminum");
    expect((call?.args["fields"] as { title: string }).title).toBe("Aluminum: where talks stand");
    expect(container.querySelector(`.composer-section[data-section="current_status"] .briefing-item[data-excerpt-id="${second.id}"]`)).not.toBeNull();
  });

  it("shows the store's refusal inside the dialog", async () => {
    const { backend } = workspace();
    const container = await search(backend, "softwood");

    await fireEvent.click(container.querySelector("#draft-from-search") ?? document.body);
    await fireEvent.click(document.querySelector("#draft-create") ?? document.body);
    const alert = await waitFor(() => {
      const found = document.querySelector("#draft-dialog [role=alert]");
      expect(found).not.toBeNull();
      return found;
    });
    expect(alert?.textContent).toContain("Nothing to draft from");
    expect(backend.briefings.length, "no note was made").toBe(1);
  });

  it("adds a search result to the briefing opened last, and offers it only once one was opened", async () => {
    const { backend, briefing, second } = workspace();
    const status = backend.briefings[0]?.sections[3];
    if (status) {
      status.items = [];
    }
    const container = await search(backend, "aluminum");
    await waitFor(() => {
      expect(container.querySelector(`.result[data-id="${second.id}"]`)?.getAttribute("draggable")).toBe("true");
    });
    expect(container.querySelector(".add-to-briefing"), "no briefing opened yet").toBeNull();

    await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
    await fireEvent.click(await waitFor(() => container.querySelector(`.briefing-row[data-briefing-id="${briefing.id}"] .open`) ?? Promise.reject(new Error("no row"))));
    await waitFor(() => {
      expect(container.querySelector("#field-title")).not.toBeNull();
    });
    await fireEvent.input(screen.getByLabelText("Search excerpts, sources and follow-ups"), { target: { value: "aluminum " } });
    const add = await waitFor(() => container.querySelector(`.add-to-briefing[data-excerpt-id="${second.id}"]`) ?? Promise.reject(new Error("no button")));
    await fireEvent.click(add);
    expect(await screen.findByText("Added to “Metals talks: state of play” (Current Status)")).not.toBeNull();
    expect(backend.briefings[0]?.sections[3]?.items.map((i) => i.excerpt_id)).toEqual([second.id]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const TEXT = "Trade desk 😀🇨🇦 notes.\n\nAfter the emoji the negotiators agreed on a steel quota review.\n\nLe Québec réclame que l'aluminium soit traité dès la première étape.";

function select(root: Element, needle: string): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = (node.textContent ?? "").indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      document.dispatchEvent(new Event("selectionchange"));
      return;
    }
  }
  throw new Error(`${needle} not found in one text node`);
}

async function openReader(backend: FakeBackend): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  const link = await screen.findByText("Desk notes");
  await fireEvent.click(link);
  await waitFor(() => {
    expect(container.querySelector("#reader-text")).not.toBeNull();
  });
  return container;
}

describe("Reader", () => {
  it("highlights every excerpt in its first tag's colour, over exactly its quote", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Desk notes", body: TEXT });
    const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "steel quota review", occurrence: null }, "", [
      "sector/steel",
      "instrument/quota",
    ]);
    const container = await openReader(backend);

    const marks = [...container.querySelectorAll<HTMLElement>(`#reader-text mark[data-excerpts~="${excerpt.id}"]`)];
    expect(marks.map((m) => m.textContent).join("")).toBe("steel quota review");
    expect(marks[0]?.style.getPropertyValue("--hl")).toBe("#5b6b7f");
    expect(container.querySelector("#excerpt-list")?.textContent).toContain("steel quota review");
  });

  it("turns a selection after an emoji into a code-point range whose quote is the selection", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Desk notes", body: TEXT });
    const container = await openReader(backend);

    select(container.querySelector("#reader-text") as Element, "réclame que l'aluminium");
    await screen.findByRole("button", { name: /Excerpt/ });
    await fireEvent.keyDown(document.body, { key: "e" });
    const note = await screen.findByLabelText("Note");
    await fireEvent.input(note, { target: { value: "Quebec wants aluminum first." } });
    await fireEvent.click(screen.getByRole("button", { name: "Save excerpt" }));

    await waitFor(() => {
      expect(backend.called("add_excerpt")).toHaveLength(1);
    });
    const args = backend.called("add_excerpt")[0]?.args ?? {};
    const target = args["target"] as { by: string; start: number; end: number };
    expect(target.by).toBe("range");
    expect(Array.from(TEXT).slice(target.start, target.end).join("")).toBe("réclame que l'aluminium");
    expect(args["note"]).toBe("Quebec wants aluminum first.");
    expect(args["question"], "no question asked").toBeNull();
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")).not.toBeNull();
    });
  });

  it("saves tags chosen by French name and asks a follow-up from the popover, in one add_excerpt", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Desk notes", body: TEXT });
    const container = await openReader(backend);

    select(container.querySelector("#reader-text") as Element, "steel quota review");
    await fireEvent.click(await screen.findByRole("button", { name: /Excerpt/ }));
    const tags = await screen.findByRole("combobox", { name: "Tags" });
    await fireEvent.input(tags, { target: { value: "acier" } });
    expect(screen.getByRole("option", { name: /Steel/ }).getAttribute("data-tag")).toBe("sector/steel");
    await fireEvent.keyDown(tags, { key: "Enter" });
    await fireEvent.input(tags, { target: { value: "contingent" } });
    await fireEvent.keyDown(tags, { key: "Enter" });
    await fireEvent.click(screen.getByRole("button", { name: "+ Ask a follow-up" }));
    await fireEvent.input(await screen.findByLabelText("Follow-up question"), { target: { value: "Country-specific or global?" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save excerpt" }));

    await waitFor(() => {
      expect(backend.called("add_excerpt")).toHaveLength(1);
    });
    expect(backend.called("add_followup"), "the question goes with the excerpt, not in a second write").toHaveLength(0);
    expect(backend.called("add_excerpt")[0]?.args["tags"]).toEqual(["sector/steel", "instrument/quota"]);
    expect(backend.called("add_excerpt")[0]?.args["question"]).toBe("Country-specific or global?");
    const followup = backend.followups[0];
    expect(followup?.text).toBe("Country-specific or global?");
    expect(followup?.excerpt_ids).toEqual([backend.excerpts[0]?.id]);
  });

  it("creates a new tag inline when nothing matches", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Desk notes", body: TEXT });
    const container = await openReader(backend);

    select(container.querySelector("#reader-text") as Element, "steel quota review");
    await fireEvent.click(await screen.findByRole("button", { name: /Excerpt/ }));
    const tags = await screen.findByRole("combobox", { name: "Tags" });
    await fireEvent.input(tags, { target: { value: "Semi-conducteurs" } });
    expect(screen.getByRole("option", { name: /Create tag/ }).textContent).toContain("theme/semi-conducteurs");
    await fireEvent.keyDown(tags, { key: "Enter" });

    await waitFor(() => {
      expect(backend.called("add_tag")[0]?.args["path"]).toBe("theme/semi-conducteurs");
    });
    await screen.findByTitle("theme/semi-conducteurs");
  });

  it("deletes the current excerpt with Delete and undoes it from the toast", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Desk notes", body: TEXT });
    const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "steel quota review", occurrence: null }, "keep me", ["sector/steel"]);
    const question = backend.addFollowup({ text: "Which quota?", excerpt_ids: [excerpt.id] });
    const answered = backend.addFollowup({ text: "Is steel in?", excerpt_ids: [] }, "answered");
    answered.answer_excerpt_ids = [excerpt.id];
    const container = await openReader(backend);

    await fireEvent.click(container.querySelector("#excerpt-list .excerpt-item") as Element);
    await screen.findByText("Excerpt", { selector: "h2" });
    await fireEvent.keyDown(document.body, { key: "Delete" });
    await screen.findByText("Excerpt deleted");
    expect(backend.excerpts).toHaveLength(0);
    expect(question.excerpt_ids).toEqual([]);

    const before = backend.calls.length;
    await fireEvent.click(screen.getByRole("button", { name: /Undo/ }));
    await waitFor(() => {
      expect(backend.excerpts).toHaveLength(1);
    });
    const again = backend.excerpts[0];
    expect(again?.quote).toBe("steel quota review");
    expect(again?.note).toBe("keep me");
    expect(again?.tags).toEqual(["sector/steel"]);
    expect(question.excerpt_ids, "the question is about the passage again").toEqual([again?.id]);
    expect(answered.answer_excerpt_ids, "and the answer cites it again").toEqual([again?.id]);
    const writes = backend.calls.slice(before).filter((c) => !/^(list|get)_/.test(c.cmd)).map((c) => c.cmd);
    expect(writes, "one user action, one write").toEqual(["restore_excerpt"]);
  });

  it("moves between excerpts with J and K", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Desk notes", body: TEXT });
    const first = backend.addExcerpt(source.id, { by: "quote", quote: "Trade desk", occurrence: null });
    const second = backend.addExcerpt(source.id, { by: "quote", quote: "steel quota", occurrence: null });
    const container = await openReader(backend);
    await waitFor(() => {
      expect(container.querySelectorAll("#excerpt-list .excerpt-item")).toHaveLength(2);
    });

    await fireEvent.keyDown(document.body, { key: "j" });
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")?.getAttribute("data-excerpt-id")).toBe(String(first.id));
    });
    await fireEvent.keyDown(document.body, { key: "j" });
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")?.getAttribute("data-excerpt-id")).toBe(String(second.id));
    });
    await fireEvent.keyDown(document.body, { key: "k" });
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")?.getAttribute("data-excerpt-id")).toBe(String(first.id));
    });
  });

  it("renders markup in the text and notes as text", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Desk notes", body: "Before <script>alert(1)</script><b>bold</b> after." });
    backend.addExcerpt(source.id, { by: "quote", quote: "<b>bold</b>", occurrence: null }, "<img src=x onerror=alert(1)>");
    const container = await openReader(backend);

    expect(container.querySelector("#reader-text script, #reader-text b")).toBeNull();
    expect(container.querySelector("#reader-text")?.textContent).toContain("<script>alert(1)</script>");
    expect(container.querySelector("#excerpt-list img")).toBeNull();
  });

  it("edits the source's details and tags from the reader", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Desk notes", body: TEXT });
    backend.install();
    render(App);
    await fireEvent.click(await screen.findByText("Desk notes"));

    await fireEvent.click(await screen.findByRole("button", { name: "Edit details…" }));
    await fireEvent.input(screen.getByLabelText("Outlet"), { target: { value: "Maple Wire" } });
    const tags = screen.getByRole("combobox", { name: "Tags" });
    await fireEvent.input(tags, { target: { value: "acier" } });
    await fireEvent.keyDown(tags, { key: "Enter" });
    await fireEvent.click(screen.getByRole("button", { name: "Save details" }));

    await waitFor(() => {
      expect(backend.called("edit_source")).toHaveLength(1);
    });
    const patch = backend.called("edit_source")[0]?.args["patch"] as Record<string, unknown>;
    expect(patch["outlet"]).toBe("Maple Wire");
    expect(patch["title"]).toBeNull();
    expect(patch["add_tags"]).toEqual(["sector/steel"]);
  });
});

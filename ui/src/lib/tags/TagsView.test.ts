import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";
import { fold, matchTags, newTagPath, tagTree } from "../tagPaths";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

async function openTags(backend: FakeBackend): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  await waitFor(() => {
    expect(container.querySelector("#tag-tree")).not.toBeNull();
  });
  await fireEvent.keyDown(window, { key: "3", ctrlKey: true });
  await waitFor(() => {
    expect(container.querySelector("#tags-view #tag-table")).not.toBeNull();
  });
  return container;
}

async function choose(container: HTMLElement, path: string): Promise<void> {
  const row = container.querySelector(`#tag-table [data-tag="${path}"]`);
  expect(row, `the table should list ${path}`).not.toBeNull();
  await fireEvent.click(row ?? document.body);
}

describe("tag matching", () => {
  const backend = new FakeBackend();

  it.each([
    ["acier", "sector/steel"],
    ["ACIER", "sector/steel"],
    ["energie", "sector/energy"],
    ["Énergie", "sector/energy"],
    ["produits", "sector/dairy"],
    ["supply", "sector/dairy"],
    ["contingent", "instrument/quota"],
    ["instrument/q", "instrument/quota"],
  ])("finds %s as %s (labels, French labels, aliases, paths; accents ignored)", (input, path) => {
    expect(matchTags(backend.tags, input)[0]?.tag.path).toBe(path);
  });

  it("folds ligatures and accents the way the store does", () => {
    expect(fold("Bois d’Œuvre")).toBe("bois d'oeuvre");
  });

  it("puts a typed tag under theme/ unless it is a path", () => {
    expect(newTagPath("Semi-conducteurs")).toBe("theme/semi-conducteurs");
    expect(newTagPath("sector/Semi Conductors")).toBe("sector/semi-conductors");
    expect(newTagPath("  ")).toBeNull();
  });

  it("rolls counts up the tree", () => {
    const tree = tagTree(backend.tags.map((t) => ({ ...t, count: t.path === "sector/steel" ? 2 : t.path === "sector" ? 1 : 0 })));
    expect(tree.find((n) => n.tag.path === "sector")?.total).toBe(3);
  });
});

describe("TagsView", () => {
  it("renames a tag and everything under it keeps its attachments", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "S", body: "Quota talks." });
    backend.addExcerpt(source.id, { by: "quote", quote: "Quota", occurrence: null }, "", ["instrument/quota"]);
    const container = await openTags(backend);

    await choose(container, "instrument/quota");
    const path = screen.getByLabelText("Path");
    await fireEvent.input(path, { target: { value: "instrument/tariff-rate-quota" } });
    await fireEvent.click(screen.getByRole("button", { name: "Rename" }));

    await waitFor(() => {
      expect(container.querySelector('#tag-table [data-tag="instrument/tariff-rate-quota"]')).not.toBeNull();
    });
    expect(backend.called("rename_tag")[0]?.args).toEqual({ from: "instrument/quota", to: "instrument/tariff-rate-quota" });
    expect(backend.excerpts[0]?.tags).toEqual(["instrument/tariff-rate-quota"]);
  });

  it("sets the French label, adds an alias and recolours", async () => {
    const backend = new FakeBackend();
    const container = await openTags(backend);

    await choose(container, "actor/canada");
    await fireEvent.input(screen.getByLabelText("French label"), { target: { value: "Canada (fédéral)" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save labels" }));
    await fireEvent.input(screen.getByLabelText("New alias"), { target: { value: "Ottawa" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add" }));
    await fireEvent.change(screen.getByLabelText("Colour"), { target: { value: "#123456" } });

    await waitFor(() => {
      const canada = backend.tags.find((t) => t.path === "actor/canada");
      expect(canada?.label_fr).toBe("Canada (fédéral)");
      expect(canada?.aliases).toContain("Ottawa");
      expect(canada?.color).toBe("#123456");
    });
  });

  it("merges one tag into another after confirmation", async () => {
    const backend = new FakeBackend();
    const container = await openTags(backend);

    await choose(container, "sector/energy");
    await fireEvent.change(screen.getByLabelText("Merge into"), { target: { value: "sector/steel" } });
    await fireEvent.click(screen.getByRole("button", { name: "Merge…" }));
    await fireEvent.click(screen.getByRole("button", { name: "Merge" }));

    await waitFor(() => {
      expect(backend.called("merge_tag")[0]?.args).toEqual({ from: "sector/energy", into: "sector/steel" });
    });
  });

  it("deletes a tag after confirmation", async () => {
    const backend = new FakeBackend();
    const container = await openTags(backend);

    await choose(container, "sector/dairy");
    await fireEvent.click(screen.getByRole("button", { name: "Delete tag…" }));
    expect(backend.called("delete_tag"), "nothing is deleted before the confirmation").toHaveLength(0);
    await fireEvent.click(screen.getByRole("button", { name: "Delete" }));

    await waitFor(() => {
      expect(container.querySelector('#tag-table [data-tag="sector/dairy"]')).toBeNull();
    });
  });
});

/**
 * The whole window in French, and a switch of language while it is open: the strings change in
 * place, the open source and the view stay, and the backend is told to remember the choice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";
import { lang, setLang } from ".";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
  setLang("en");
});

function withSource(): FakeBackend {
  const backend = new FakeBackend();
  const source = backend.addSource({
    title: "Ottawa and Washington open tariff talks",
    outlet: "Northern Wire",
    published: "2026-12-02",
    body: "Steel and aluminum come first. Dairy is not on the table.",
  });
  backend.addExcerpt(source.id, { by: "quote", quote: "Steel and aluminum", occurrence: null });
  return backend;
}

describe("the window in French", () => {
  it("shows the library, the sidebar and the top bar in French, and no English", async () => {
    setLang("fr");
    new FakeBackend().install();
    const { container } = render(App);

    await screen.findByText("Aucune source pour l’instant");
    expect(screen.queryByText("No sources yet")).toBeNull();
    expect(container.querySelector("#library-heading")?.textContent).toBe("Bibliothèque");
    expect(container.querySelector("#nav-tags")?.textContent).toContain("Étiquettes");
    expect(container.querySelector("#new-source")?.textContent).toContain("Nouvelle source");
    expect(screen.getByRole("button", { name: "Ouvrir l’espace de travail d’exemple" })).toBeTruthy();
    expect(container.querySelector(".topbar")?.textContent).not.toMatch(/New source|Commands/);
    expect(container.querySelector("#main")?.textContent).not.toMatch(/\b(Library|No sources|Paste a source|Open a text file)\b/);
  });

  it("lists a source with its date and count in French", async () => {
    setLang("fr");
    withSource().install();
    const { container } = render(App);

    await screen.findByText("Ottawa and Washington open tariff talks");
    const row = container.querySelector(".source-row");
    expect(row?.textContent).toContain("1 extrait");
    expect(row?.textContent).toContain("2 déc. 2026");
    expect(row?.textContent).not.toContain("excerpt");
  });
});

describe("switching the language", () => {
  it("re-renders the open reader in French without remounting it, and tells the backend", async () => {
    const backend = withSource().install();
    const { container } = render(App);
    await fireEvent.click(await screen.findByText("Ottawa and Washington open tariff talks"));
    await waitFor(() => {
      expect(container.querySelector("#reader-text")).not.toBeNull();
    });
    const reader = container.querySelector("#reader");
    const title = container.querySelector("#reader-title");
    expect(container.querySelector("#excerpts-heading")?.textContent).toContain("Excerpts");

    const select = container.querySelector<HTMLSelectElement>("#ui-language");
    expect(select).not.toBeNull();
    if (select) {
      select.value = "fr";
      await fireEvent.change(select);
    }

    await waitFor(() => {
      expect(container.querySelector("#excerpts-heading")?.textContent).toContain("Extraits");
    });
    expect(lang()).toBe("fr");
    expect(document.documentElement.lang).toBe("fr-CA");
    // The same elements: the reader was not remounted, so its state (scroll, selection) stays.
    expect(container.querySelector("#reader")).toBe(reader);
    expect(container.querySelector("#reader-title")).toBe(title);
    expect(title?.textContent).toBe("Ottawa and Washington open tariff talks");
    expect(container.querySelector("#nav-library")?.textContent).toContain("Bibliothèque");
    await waitFor(() => {
      expect(backend.called("set_ui_language").map((c) => c.args["lang"])).toEqual(["fr"]);
    });
    expect(backend.uiLang).toBe("fr");
  });

  it("follows the native View → Language menu and offers the other language in the palette", async () => {
    const backend = new FakeBackend().install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await emit("menu", "language-fr");
    await screen.findByText("Aucune source pour l’instant");
    expect(backend.called("set_ui_language")).toHaveLength(1);

    await fireEvent.click(container.querySelector("#open-palette") as Element);
    const option = await screen.findByText("English (interface en anglais)");
    await fireEvent.mouseDown(option);
    await screen.findByText("No sources yet");
    expect(lang()).toBe("en");
    expect(backend.called("set_ui_language").map((c) => c.args["lang"])).toEqual(["fr", "en"]);
  });
});

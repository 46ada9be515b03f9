/**
 * Markings in the window: a badge on protected excerpts, the composer's warning when a note is
 * marked below what it quotes (with its two ways out), and the note's language field.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import type { BriefingPatch, NewBriefing } from "../ipc";
import { FakeBackend } from "../../test/fakeBackend";
import { setLang } from "../i18n";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
  setLang("en");
});

const OPEN = "Officials released the public schedule of the talks.";
const SECRET = "The negotiating mandate allows a quota of 300,000 tonnes.";

function workspace() {
  const backend = new FakeBackend();
  const open = backend.addSource({ title: "Talks schedule", body: OPEN });
  const secret = backend.addSource({ title: "Mandate memo", body: SECRET, marking: "protected_b" });
  const first = backend.addExcerpt(open.id, { by: "quote", quote: OPEN, occurrence: null });
  const second = backend.addExcerpt(secret.id, { by: "quote", quote: SECRET, occurrence: null });
  const briefing = backend.addBriefing({ title: "Steel talks" });
  backend.addBriefingItem(briefing, "current_status", first.id);
  backend.addBriefingItem(briefing, "background", second.id);
  return { backend, briefing, secret };
}

async function openComposer(backend: FakeBackend, id: number): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  await screen.findByText("Talks schedule");
  await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
  const open = await waitFor(() => {
    const button = container.querySelector<HTMLButtonElement>(`.briefing-row[data-briefing-id="${id}"] .open`);
    expect(button).not.toBeNull();
    return button;
  });
  await fireEvent.click(open ?? document.body);
  await waitFor(() => {
    expect(container.querySelector("#briefing-composer #field-title")).not.toBeNull();
  });
  return container;
}

const lastPatch = (backend: FakeBackend): BriefingPatch | undefined =>
  backend.called("edit_briefing").at(-1)?.args["patch"] as BriefingPatch | undefined;

describe("the composer's marking warning", () => {
  it("names the higher marking and raises the note to it", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);

    const warning = await waitFor(() => {
      const found = container.querySelector("#marking-warning");
      expect(found).not.toBeNull();
      return found;
    });
    expect(warning?.textContent).toContain("PROTECTED B");
    await fireEvent.click(screen.getByRole("button", { name: "Raise the note to PROTECTED B" }));

    await waitFor(() => {
      expect(lastPatch(backend)?.marking).toBe("protected_b");
    });
    await waitFor(() => {
      expect(container.querySelector("#marking-warning")).toBeNull();
    });
    expect(backend.briefings[0]?.marking).toBe("protected_b");
  });

  it("takes the higher-marked items out and keeps the others", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);
    await waitFor(() => {
      expect(container.querySelector("#marking-warning")).not.toBeNull();
    });

    await fireEvent.click(screen.getByRole("button", { name: "Remove the higher-marked items" }));

    await waitFor(() => {
      expect(container.querySelector("#marking-warning")).toBeNull();
    });
    const sections = backend.briefings[0]?.sections ?? [];
    expect(sections.find((s) => s.kind === "background")?.items).toHaveLength(0);
    expect(sections.find((s) => s.kind === "current_status")?.items).toHaveLength(1);
  });

  it("speaks French, with the French badge", async () => {
    setLang("fr");
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);
    await waitFor(() => {
      expect(container.querySelector("#marking-warning")?.textContent).toContain("PROTÉGÉ B");
    });
    expect(screen.getByRole("button", { name: "Relever la note à PROTÉGÉ B" })).toBeTruthy();
  });
});

describe("the note's language", () => {
  it("defaults a new note to the page's language and sends it", async () => {
    setLang("fr");
    const backend = new FakeBackend().install();
    const { container } = render(App);
    await screen.findByText("Aucune source pour l’instant");
    await fireEvent.keyDown(window, { key: "b", ctrlKey: true });
    const langField = await waitFor(() => {
      const found = container.querySelector<HTMLSelectElement>("#briefing-lang-input");
      expect(found).not.toBeNull();
      return found;
    });
    expect(langField?.value).toBe("fr");
    await fireEvent.input(container.querySelector("#briefing-title-input") as Element, { target: { value: "Acier" } });
    await fireEvent.click(container.querySelector("#briefing-create") as Element);
    await waitFor(() => {
      expect((backend.called("new_briefing")[0]?.args["fields"] as NewBriefing | undefined)?.lang).toBe("fr");
    });
  });

  it("edits the note's language through the composer's patch", async () => {
    const { backend, briefing } = workspace();
    const container = await openComposer(backend, briefing.id);
    const field = container.querySelector<HTMLSelectElement>("#field-lang");
    expect(field?.value).toBe("en");
    if (field) {
      field.value = "fr";
      await fireEvent.change(field);
    }
    await waitFor(() => {
      expect(lastPatch(backend)?.lang).toBe("fr");
    });
    expect(backend.briefings[0]?.lang).toBe("fr");
  });
});

describe("marking badges", () => {
  it("shows a protected excerpt's marking in the reader's list, and none on unclassified ones", async () => {
    const { backend, secret } = workspace();
    backend.install();
    const { container } = render(App);
    await fireEvent.click(await screen.findByText("Mandate memo"));
    await waitFor(() => {
      expect(container.querySelector(`#excerpt-list .excerpt-item`)).not.toBeNull();
    });
    expect(container.querySelector("#excerpt-list .marking-badge")?.textContent).toBe("PROTECTED B");
    expect(secret.marking).toBe("protected_b");
    await fireEvent.click(await screen.findByText("← Back"));
    await fireEvent.click(await screen.findByText("Talks schedule"));
    await waitFor(() => {
      expect(container.querySelector("#reader-title")?.textContent).toBe("Talks schedule");
    });
    await waitFor(() => {
      expect(container.querySelector("#excerpt-list .excerpt-item")).not.toBeNull();
    });
    expect(container.querySelector("#excerpt-list .marking-badge")).toBeNull();
  });
});

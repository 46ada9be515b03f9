import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

describe("reload on focus", () => {
  it("reloads when the workspace version moved since the last look, and only then", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Dairy access talks", body: "Dairy access was not on the agenda this week." });
    backend.install();
    render(App);
    await screen.findByText("Dairy access talks");
    await waitFor(() => {
      expect(backend.called("workspace_version")).toHaveLength(1);
    });
    const loads = backend.called("list_sources").length;

    await fireEvent.focus(window);
    await waitFor(() => {
      expect(backend.called("workspace_version")).toHaveLength(2);
    });
    expect(backend.called("list_sources").length, "same version: nothing reloads").toBe(loads);

    // Another program (the CLI) adds a source.
    backend.addSource({ title: "Lumber duties review", body: "The duty review on lumber starts next month." });
    backend.version = 2;
    await fireEvent.focus(window);
    expect(await screen.findByText("Lumber duties review")).not.toBeNull();
    expect(backend.called("list_sources").length).toBe(loads + 1);
  });

  it("does not reload the composer while a section has unsaved typing", async () => {
    const backend = new FakeBackend();
    backend.addSource({ title: "Dairy access talks", body: "Dairy access was not on the agenda this week." });
    const briefing = backend.addBriefing({ title: "Dairy: state of play" });
    backend.install();
    const { container } = render(App);
    await screen.findByText("Dairy access talks");
    await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
    await fireEvent.click(await waitFor(() => container.querySelector(`.briefing-row[data-briefing-id="${briefing.id}"] .open`) ?? Promise.reject(new Error("no row"))));
    const summary = await waitFor(() => container.querySelector<HTMLTextAreaElement>('[data-section="summary"] textarea') ?? Promise.reject(new Error("no composer")));
    const versions = backend.called("workspace_version").length;
    const gets = backend.called("get_briefing").length;

    await fireEvent.input(summary, { target: { value: "Typed, not saved yet" } });
    backend.version = 5;
    await fireEvent.focus(window);
    expect(backend.called("workspace_version"), "not even asked while typing").toHaveLength(versions);
    expect(backend.called("get_briefing")).toHaveLength(gets);
    expect(summary.value).toBe("Typed, not saved yet");

    // Once saved, the next look reloads.
    await fireEvent.blur(summary);
    await waitFor(() => {
      expect(backend.briefings[0]?.sections[0]?.text).toBe("Typed, not saved yet");
    });
    await waitFor(() => {
      expect(container.querySelector("#save-status")?.textContent).toBe("Saved");
    });
    await fireEvent.focus(window);
    await waitFor(() => {
      expect(backend.called("get_briefing").length).toBeGreaterThan(gets);
    });
  });

  it("does not remount the reader under a field that has the cursor, and does once it is left", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Dairy access talks", body: "Dairy access was not on the agenda this week." });
    backend.addExcerpt(source.id, { by: "quote", quote: "Dairy access", occurrence: null });
    backend.install();
    const { container } = render(App);
    await screen.findByText("Dairy access talks");
    await waitFor(() => {
      expect(backend.called("workspace_version")).toHaveLength(1);
    });
    await fireEvent.click(container.querySelector(".source-link") ?? document.body);
    await waitFor(() => container.querySelector("#reader .excerpt-item") ?? Promise.reject(new Error("no reader")));
    await fireEvent.click(container.querySelector("#reader .excerpt-item") ?? document.body);
    const note = await waitFor(() => container.querySelector<HTMLTextAreaElement>("#reader #excerpt-panel textarea") ?? Promise.reject(new Error("no note field")));
    note.focus();
    const gets = backend.called("get_source").length;

    backend.version = 2;
    await fireEvent.focus(window);
    // Long enough for a reload to have asked, remounted and fetched the source again.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(backend.called("get_source").length, "the reader stays while its field has the cursor").toBe(gets);

    note.blur();
    await fireEvent.focus(window);
    await waitFor(() => {
      expect(backend.called("get_source").length).toBeGreaterThan(gets);
    });
  });
});

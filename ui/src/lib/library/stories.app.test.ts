/** One story across outlets, in the window: the library, the reader and its split. */
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function threeOutlets(): FakeBackend {
  const backend = new FakeBackend();
  const wire = backend.addSource({ title: "Duty on steel beams to fall", outlet: "Maple Wire", body: "Ottawa will lower the duty on steel beams." });
  const ctv = backend.addSource({ title: "Steel duty cut next month", outlet: "CTV News", body: "OTTAWA — Ottawa will lower the duty on steel beams, sources say." });
  const global = backend.addSource({ title: "Beams cheaper soon", outlet: "Global News", body: "Ottawa will lower the duty on steel beams. With files." });
  backend.addSource({ title: "Builders welcome the cut", outlet: "CTV News", body: "Builders in Hamilton welcomed the news." });
  backend.linkStory([wire.id, ctv.id, global.id]);
  return backend;
}

describe("one story across outlets", () => {
  it("shows a story once in the library, with the other outlets that carry it", async () => {
    threeOutlets().install();
    const { container } = render(App);
    await screen.findByText("Builders welcome the cut");
    const rows = [...container.querySelectorAll(".source-row")];
    expect(rows).toHaveLength(2);
    const story = rows.find((r) => r.querySelector(".also-in"));
    expect(story?.querySelector(".also-in")?.textContent).toMatch(/^Also in: /);
    // The row stands for one of the three; the other two outlets are named.
    const names = ["Maple Wire", "CTV News", "Global News"];
    const shownOutlet = story?.querySelector(".source-outlet")?.textContent ?? "";
    for (const name of names.filter((n) => n !== shownOutlet)) {
      expect(story?.querySelector(".also-in")?.textContent).toContain(name);
    }
  });

  it("lists the copies in the reader, and 'Not the same story' splits the source out", async () => {
    const backend = threeOutlets();
    backend.install();
    const { container } = render(App);
    // Newest first: the last capture stands for the story.
    await fireEvent.click(await screen.findByText("Beams cheaper soon"));
    const copies = await waitFor(() => {
      const found = container.querySelector("#story-copies");
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(copies.querySelectorAll("li")).toHaveLength(2);
    expect(copies.textContent).toContain("90% shared");
    await fireEvent.click(screen.getByRole("button", { name: "Not the same story" }));
    await waitFor(() => {
      expect(backend.called("split_source")).toHaveLength(1);
    });
    await waitFor(() => {
      expect(container.querySelector("#story-copies")).toBeNull();
    });
  });
});

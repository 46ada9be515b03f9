import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import axe from "axe-core";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

/** Serious and critical violations, as the end-to-end suite counts them (contrast needs a real engine). */
async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, { resultTypes: ["violations"], rules: { "color-contrast": { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("briefing views and dialogs, checked with axe", () => {
  it("has no serious violation in the list, the composer (decision note, preview, finder) and the backups dialog", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Metals talks resume", body: "Negotiators compared quota figures on Tuesday.", outlet: "Harbour Wire" });
    const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "Negotiators compared quota figures", occurrence: null });
    const briefing = backend.addBriefing({ title: "Metals talks", purpose: "decision" });
    backend.addBriefingItem(briefing, "current_status", excerpt.id, "Steel");
    backend.install();
    const { container } = render(App);
    await screen.findByText("Metals talks resume");

    await fireEvent.click(container.querySelector("#nav-briefings") ?? document.body);
    await waitFor(() => {
      expect(container.querySelector("#briefing-list")).not.toBeNull();
    });
    expect(await violations()).toEqual([]);

    await fireEvent.click(container.querySelector(".briefing-row .open") ?? document.body);
    await waitFor(() => {
      expect(container.querySelector("#decision-block")).not.toBeNull();
      expect(container.querySelector("#briefing-preview h1")).not.toBeNull();
    });
    await fireEvent.input(container.querySelector("#composer-find") ?? document.body, { target: { value: "quota" } });
    await waitFor(() => {
      expect(container.querySelector(".find-result")).not.toBeNull();
    });
    expect(await violations()).toEqual([]);

    await fireEvent.keyDown(window, { key: "b", ctrlKey: true });
    await waitFor(() => {
      expect(document.querySelector("#new-briefing-dialog")).not.toBeNull();
    });
    expect(await violations()).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));

    backend.backups = [{ name: "auto-1.sqlite", path: "/b/auto-1.sqlite", kind: "automatic", taken_at: "2026-11-26T10:00:00Z", bytes: 4096 }];
    await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = (await screen.findByRole("dialog", { name: "Command palette" })).querySelector("input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "backups" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => {
      expect(document.querySelector("#backups-dialog .backup-row")).not.toBeNull();
    });
    expect(await violations()).toEqual([]);
  }, 30_000); // axe runs four times over the whole app: slow on a loaded machine
});

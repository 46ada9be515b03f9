import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function backend(): FakeBackend {
  const b = new FakeBackend();
  b.addSource({ title: "Quota notice", body: "The quota for the second quarter is unchanged." });
  b.backups = [
    { name: "workspace-auto-2.sqlite", path: "/backups/workspace-auto-2.sqlite", kind: "automatic", taken_at: "2026-11-26T10:00:00Z", bytes: 52_000 },
    { name: "workspace-before-1.sqlite", path: "/backups/workspace-before-1.sqlite", kind: "before_migration", taken_at: null, bytes: 900 },
  ];
  return b;
}

async function openBackups(): Promise<HTMLElement> {
  await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
  const palette = await screen.findByRole("dialog", { name: "Command palette" });
  const input = palette.querySelector("input") as HTMLInputElement;
  await fireEvent.input(input, { target: { value: "backups" } });
  await fireEvent.keyDown(input, { key: "Enter" });
  return waitFor(() => {
    const dialog = document.querySelector<HTMLElement>("#backups-dialog");
    expect(dialog).not.toBeNull();
    return dialog as HTMLElement;
  });
}

describe("backups dialog", () => {
  it("lists the backups with their kind in words and size, and backs up now", async () => {
    const fake = backend().install();
    render(App);
    await screen.findByText("Quota notice");
    const dialog = await openBackups();

    const rows = await waitFor(() => {
      const found = [...dialog.querySelectorAll<HTMLElement>(".backup-row")];
      expect(found).toHaveLength(2);
      return found;
    });
    expect(rows.map((r) => r.dataset["name"])).toEqual(["workspace-auto-2.sqlite", "workspace-before-1.sqlite"]);
    expect(rows[0]?.textContent).toContain("Automatic");
    expect(rows[0]?.textContent).toContain("51 KB");
    expect(rows[1]?.textContent).toContain("Before an update");
    expect(rows[1]?.textContent).toContain("900 B");

    await fireEvent.click(dialog.querySelector("#backup-now") ?? document.body);
    expect(await screen.findByText("Backed up to /home/analyst/.local/share/dossier/backups/workspace-manual-3.sqlite")).not.toBeNull();
    await waitFor(() => {
      expect(dialog.querySelectorAll(".backup-row")).toHaveLength(3);
    });
    expect(fake.called("backup_now")).toHaveLength(1);
  });

  it("restores a backup only once confirmed, then reloads and says what it holds", async () => {
    const fake = backend().install();
    render(App);
    await screen.findByText("Quota notice");
    const dialog = await openBackups();

    await fireEvent.click(await waitFor(() => dialog.querySelector('.backup-row[data-name="workspace-auto-2.sqlite"] .backup-restore') ?? Promise.reject(new Error("no row"))));
    expect(dialog.textContent).toContain("kept aside");
    expect(fake.called("restore_backup"), "nothing is restored before the confirmation").toHaveLength(0);

    const sourcesBefore = fake.called("list_sources").length;
    await fireEvent.click(dialog.querySelector("#restore-confirm") ?? document.body);
    await waitFor(() => {
      expect(fake.called("restore_backup")[0]?.args).toEqual({ name: "workspace-auto-2.sqlite" });
    });
    expect(await screen.findByText(/^Restored: 1 source, 0 excerpts/)).not.toBeNull();
    expect(fake.called("list_sources").length, "the window reloads what it shows").toBeGreaterThan(sourcesBefore);
  });
});

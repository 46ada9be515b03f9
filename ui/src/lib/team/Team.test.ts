/**
 * The team workspace in the window: the status bar's words, the conflicts view (side by side,
 * Keep mine / Keep theirs, Sync now), the palette and shortcut that reach it, and what a
 * background sync's event does to the page.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App from "../../App.svelte";
import type { ListedConflict, TeamStatus } from "../ipc";
import { FakeBackend } from "../../test/fakeBackend";
import { teamLabel } from "./team.svelte";
import { AppState } from "../state.svelte";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function team(overrides: Partial<TeamStatus> = {}): TeamStatus {
  return {
    team: "trade-desk",
    server: "postgres://alice@db.example.test/dossier",
    replica: "r1",
    role: "alice",
    pending: 0,
    last_sync: "2026-11-26T11:58:00Z",
    conflicts: 0,
    last_error: null,
    ...overrides,
  };
}

function conflict(id: number, mine: string, theirs: string): ListedConflict {
  return {
    id,
    uid: `c-${String(id)}`,
    kind: "edit",
    table: "excerpt",
    item_uid: "e-1",
    field: "note",
    mine,
    theirs,
    by: "bob",
    at: "2026-11-26T11:50:00Z",
    showing: "theirs",
    resolved: null,
    resolved_by: null,
    label: "Quotas on dairy stay at last year's level.",
    item_id: 4,
    source_id: 2,
  };
}

function el(root: ParentNode, css: string): Element {
  const found = root.querySelector(css);
  if (!found) {
    throw new Error(`nothing matches ${css}`);
  }
  return found;
}

const statusText = (container: HTMLElement) => container.querySelector("#team-status")?.textContent.trim();

describe("teamLabel", () => {
  it.each([
    ["synced", team(), false, "Synced", "ok"],
    ["waiting", team({ pending: 3 }), false, "3 changes waiting", "waiting"],
    ["one waiting", team({ pending: 1 }), false, "1 change waiting", "waiting"],
    ["offline", team({ pending: 3, last_error: "the team server cannot be reached" }), false, "Offline — changes kept", "offline"],
    ["conflicts win over offline", team({ conflicts: 2, last_error: "down" }), false, "2 conflicts", "conflict"],
    ["syncing", team({ pending: 2 }), true, "Syncing…", "busy"],
  ])("%s", (_name, status, syncing, text, tone) => {
    expect(teamLabel(status, syncing)).toEqual({ text, tone });
  });
});

describe("Team status bar", () => {
  it("shows nothing for a workspace that is not a team's", async () => {
    const backend = new FakeBackend().install();
    const { container } = render(App);
    await waitFor(() => {
      expect(backend.called("team_status")).not.toHaveLength(0);
    });
    expect(container.querySelector("#team-status")).toBeNull();
  });

  it("says how many changes wait, and opens the conflicts view when clicked", async () => {
    const backend = new FakeBackend().install();
    backend.team = team({ pending: 3 });
    const { container } = render(App);
    await waitFor(() => {
      expect(statusText(container)).toBe("3 changes waiting");
    });
    await fireEvent.click(el(container, "#team-status"));
    await waitFor(() => {
      expect(container.querySelector("#conflicts-view")).not.toBeNull();
    });
    expect(container.querySelector("#conflicts-none")?.textContent).toContain("No conflicts");
  });

  it("follows a background sync's event: offline, then synced, and reloads the views after a pull", async () => {
    const backend = new FakeBackend().install();
    backend.team = team({ pending: 2 });
    const { container } = render(App);
    await waitFor(() => {
      expect(statusText(container)).toBe("2 changes waiting");
    });

    await emit("team-synced", {
      status: team({ pending: 2, last_error: "the team server cannot be reached" }),
      report: null,
      error: { code: "server_unreachable", message: "the team server cannot be reached", existing_id: null, position: null, length: null },
    });
    await waitFor(() => {
      expect(statusText(container)).toBe("Offline — changes kept");
    });

    const before = backend.called("list_sources").length;
    backend.addSource({ title: "Pulled from the team", body: "A source another analyst added." });
    backend.version++;
    await emit("team-synced", { status: team(), report: { pushed: 2, pulled: 1, conflicts: 0 }, error: null });
    await waitFor(() => {
      expect(statusText(container)).toBe("Synced");
    });
    await waitFor(() => {
      expect(backend.called("list_sources").length).toBeGreaterThan(before);
    });
    await waitFor(() => {
      expect(container.textContent).toContain("Pulled from the team");
    });
  });
});

describe("Conflicts view", () => {
  it("lists each conflict side by side and keeps the side chosen", async () => {
    const backend = new FakeBackend().install();
    backend.team = team({ conflicts: 1 });
    backend.conflicts = [conflict(7, "Check with the dairy desk first.", "Confirmed by the ministry on Monday.")];
    const { container } = render(App);
    await waitFor(() => {
      expect(statusText(container)).toBe("1 conflict");
    });
    await fireEvent.click(el(container, "#team-status"));
    const item = await waitFor(() => {
      const found = container.querySelector('[data-conflict-id="7"]');
      expect(found).not.toBeNull();
      return found as HTMLElement;
    });
    expect(item.querySelector(".mine .value")?.textContent).toBe("Check with the dairy desk first.");
    expect(item.querySelector(".theirs .value")?.textContent).toBe("Confirmed by the ministry on Monday.");
    expect(item.querySelector(".theirs .by")?.textContent).toContain("Changed by bob");
    expect(item.querySelector(".mine .by")?.textContent).toContain("alice");
    expect(item.textContent).toContain("Excerpt · note");
    expect(item.textContent).toContain("Quotas on dairy");

    await fireEvent.click(el(item, ".keep-theirs"));
    await waitFor(() => {
      expect(backend.called("resolve_conflict").map((c) => c.args)).toEqual([{ id: 7, keep: "theirs" }]);
    });
    await waitFor(() => {
      expect(container.querySelector("#conflicts-none")).not.toBeNull();
    });
    await waitFor(() => {
      expect(statusText(container)).toBe("1 change waiting");
    });
  });

  it("syncs now, and says so when the server cannot be reached", async () => {
    const backend = new FakeBackend().install();
    backend.team = team({ pending: 1 });
    backend.syncError = { code: "server_unreachable", message: "the team server cannot be reached; your changes stay queued", existing_id: null, position: null, length: null };
    const { container } = render(App);
    await waitFor(() => {
      expect(statusText(container)).toBe("1 change waiting");
    });
    await fireEvent.click(el(container, "#team-status"));
    const button = await waitFor(() => {
      const found = container.querySelector("#sync-now");
      expect(found).not.toBeNull();
      return found as HTMLButtonElement;
    });
    await fireEvent.click(button);
    await waitFor(() => {
      expect(statusText(container)).toBe("Offline — changes kept");
    });
    expect(container.querySelector("#sync-error")?.textContent).toContain("cannot be reached");

    backend.syncError = null;
    await fireEvent.click(button);
    await waitFor(() => {
      expect(statusText(container)).toBe("Synced");
    });
    expect(backend.called("sync_now")).toHaveLength(2);
    expect(container.querySelector("#sync-error")).toBeNull();
  });

  it("is reached from the keyboard (Ctrl+Shift+Y) and from the palette", async () => {
    const backend = new FakeBackend().install();
    backend.team = team();
    const { container } = render(App);
    await waitFor(() => {
      expect(statusText(container)).toBe("Synced");
    });
    await fireEvent.keyDown(window, { key: "Y", ctrlKey: true, shiftKey: true });
    await waitFor(() => {
      expect(container.querySelector("#conflicts-view")).not.toBeNull();
    });

    await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = await waitFor(() => {
      const found = document.querySelector<HTMLInputElement>("#palette-input");
      expect(found).not.toBeNull();
      return found as HTMLInputElement;
    });
    await fireEvent.input(input, { target: { value: "sync now" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => {
      expect(backend.called("sync_now")).toHaveLength(1);
    });
  });
});

describe("Excerpt detail", () => {
  it("says who last changed the excerpt in a team workspace", async () => {
    const backend = new FakeBackend().install();
    backend.team = team();
    const source = backend.addSource({ title: "Dairy quotas", body: "Quotas on dairy stay at last year's level." });
    const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "Quotas on dairy", occurrence: null });
    backend.lastChanged.set(excerpt.id, { by: "bob", at: "2026-11-26T11:50:00Z" });
    const state = new AppState();
    const { container } = render(App, { props: { state } });
    await waitFor(() => {
      expect(statusText(container)).toBe("Synced");
    });
    state.openSource(source.id, excerpt.id);
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")).not.toBeNull();
    });
    await waitFor(() => {
      expect(container.querySelector("#excerpt-changed-by")?.textContent).toContain("Changed by bob");
    });
  });

  it("says nothing of it outside a team", async () => {
    const backend = new FakeBackend().install();
    const source = backend.addSource({ title: "Dairy quotas", body: "Quotas on dairy stay at last year's level." });
    const excerpt = backend.addExcerpt(source.id, { by: "quote", quote: "Quotas on dairy", occurrence: null });
    backend.lastChanged.set(excerpt.id, { by: "bob", at: "2026-11-26T11:50:00Z" });
    const state = new AppState();
    const { container } = render(App, { props: { state } });
    state.openSource(source.id, excerpt.id);
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel")).not.toBeNull();
    });
    expect(container.querySelector("#excerpt-changed-by")).toBeNull();
  });
});

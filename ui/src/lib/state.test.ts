import { afterEach, describe, expect, it } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { AppState } from "./state.svelte";
import type { WorkspaceList } from "./state.svelte";
import { FakeBackend, fakeUid, tag } from "../test/fakeBackend";

afterEach(() => {
  clearMocks();
});

const LOADS: Record<WorkspaceList, string> = {
  sources: "list_sources",
  tags: "list_tags",
  followups: "list_followups",
  savedSearches: "list_saved_searches",
  counts: "list_alerts",
};

function listCalls(backend: FakeBackend): string[] {
  return backend.calls.map((c) => c.cmd).filter((cmd) => cmd.startsWith("list_")).sort();
}

describe("AppState.changed", () => {
  it.each(Object.entries(LOADS) as [WorkspaceList, string][])("loads %s again with %s, and nothing else", async (list, cmd) => {
    const backend = new FakeBackend().install();
    const app = new AppState();
    await app.changed(list);
    expect(listCalls(backend), `changed("${list}") must load exactly its own list`).toEqual([cmd]);
  });

  it("loads each named list once, side by side, and leaves the others as they were", async () => {
    const backend = new FakeBackend().install();
    const app = new AppState();
    await app.changed("sources", "tags", "sources");
    expect(listCalls(backend)).toEqual(["list_sources", "list_tags"]);
    expect(app.followups.status, "a list not named is not loaded").toBe("loading");
  });

  it("shows what the write left in the store", async () => {
    const backend = new FakeBackend().install();
    const app = new AppState();
    await app.refreshAll();
    expect(app.sources).toEqual({ status: "ready", value: [] });

    const source = backend.addSource({ title: "Quota talks", body: "Quota talks resumed." });
    backend.tags.push(tag("topic/quota"));
    backend.addFollowup({ text: "Who chairs?" });
    backend.saved.push({ id: 99, uid: fakeUid("saved_search", 99), name: "quotas", query: "quota", alert: false, created_at: "", updated_at: "" });
    await app.changed("sources", "tags", "followups", "savedSearches");

    expect(app.sources.status === "ready" ? app.sources.value.map((s) => s.id) : null).toEqual([source.id]);
    expect(app.tagMap.has("topic/quota"), "the tag map follows the reloaded tags").toBe(true);
    expect(app.openFollowups).toBe(1);
    expect(app.savedSearches.map((s) => s.name)).toEqual(["quotas"]);
  });
});

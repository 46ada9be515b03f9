import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import type { FeedEntry } from "../ipc";
import { FakeBackend, fakeUid } from "../../test/fakeBackend";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function entry(id: number, title: string, summary: string): FeedEntry {
  return {
    id,
    uid: fakeUid("feed_entry", id),
    feed_id: 1,
    feed_title: "Trade desk",
    title,
    link: `https://example.test/${String(id)}`,
    published: "2026-11-23T09:00:00Z",
    summary,
    status: "new",
    source_id: null,
    copy_of: null,
  };
}

function backendWithEntries(): FakeBackend {
  const backend = new FakeBackend().install();
  backend.feeds = [
    {
      id: 1,
      uid: "feed-1",
      url: "https://example.test/feed.xml",
      title: "Trade desk",
      tags: ["sector/steel"],
      every: 60,
      full_text: false,
      auto: null,
      last_polled: "2026-11-26T10:42:00Z",
      last_error: "the server answered 503 Service Unavailable",
      next_poll: "2026-11-26T11:42:00Z",
      failures: 1,
      entries: 2,
      new_entries: 2,
    },
  ];
  backend.entries = [
    entry(11, "Steel surtax takes effect", "<b>Not bold</b> & plain text."),
    entry(12, "Port traffic back to normal", "Ships move again."),
  ];
  return backend;
}

describe("Inbox", () => {
  it("is triaged from the keyboard: J moves, Enter reads the summary as text, S keeps, D dismisses", async () => {
    const backend = backendWithEntries();
    const { container } = render(App);
    await waitFor(() => {
      expect(container.querySelector("#inbox-count")?.textContent).toBe("2");
    });
    await fireEvent.click(container.querySelector("#nav-inbox") as Element);
    await waitFor(() => {
      expect(container.querySelectorAll("#triage-entries [data-entry-id]")).toHaveLength(2);
    });
    expect(container.querySelector("#feed-list .feed-state")?.textContent).toContain("the server answered 503");
    expect(container.querySelector("#feed-list .feed-state")?.textContent).toContain("trying again at");

    await fireEvent.keyDown(window, { key: "Enter" });
    const summary = await waitFor(() => container.querySelector("#triage-summary") as HTMLElement);
    expect(summary.textContent).toContain("<b>Not bold</b>");
    expect(summary.querySelector("b"), "entry HTML is never rendered").toBeNull();

    await fireEvent.keyDown(window, { key: "j" });
    await waitFor(() => {
      expect(container.querySelector(".entry.selected")?.getAttribute("data-entry-id")).toBe("12");
    });
    await fireEvent.keyDown(window, { key: "d" });
    await waitFor(() => {
      expect(backend.called("dismiss_entries").map((c) => c.args["ids"])).toEqual([[12]]);
    });
    await fireEvent.keyDown(window, { key: "k" });
    await fireEvent.keyDown(window, { key: "s" });
    await waitFor(() => {
      expect(backend.called("keep_entries").map((c) => c.args["ids"])).toEqual([[11]]);
    });
    await waitFor(() => {
      expect(container.querySelector("#inbox-count")).toBeNull();
    });
  });

  it("shows an alert's count of new matches beside its saved search", async () => {
    const backend = new FakeBackend().install();
    backend.saved = [{ id: 5, uid: fakeUid("saved_search", 5), name: "Surtax watch", query: "surtax", alert: true, created_at: "", updated_at: "" }];
    backend.alertCounts.set("Surtax watch", 3);
    const { container } = render(App);
    await waitFor(() => {
      expect(container.querySelector(".alert-count")?.textContent.trim()).toBe("3");
    });
    await fireEvent.click(container.querySelector(".saved-run") as Element);
    await waitFor(() => {
      expect(backend.called("mark_search_seen")).toHaveLength(1);
      expect(container.querySelector(".alert-count")).toBeNull();
    });
  });
});

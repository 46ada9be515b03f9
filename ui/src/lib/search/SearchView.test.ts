import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import type { SearchResults } from "../ipc";
import { FakeBackend } from "../../test/fakeBackend";
import { latest } from "../latest";
import { facetFilter, markQuery, narrow } from "./query";

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
  document.body.innerHTML = "";
});

function results(query: string, title: string): SearchResults {
  return {
    query,
    total: 1,
    limit: 50,
    offset: 0,
    results: [
      {
        kind: "excerpt",
        id: 9,
        uid: "0190c0de-0000-7000-8000-000000000009",
        source_id: 1,
        title,
        snippet: "",
        snippet_parts: [
          { text: "<img src=x onerror=alert(1)> before ", mark: false },
          { text: "steel", mark: true },
          { text: " after", mark: false },
        ],
        score: 2,
        tags: ["sector/steel"],
        outlet: "Maple Wire",
        published: "2025-03-14",
        quote: "steel",
        start: 0,
        end: 5,
        status: null,
        due: null,
        marking: "unclassified",
        matched_via: [],
        copies: [],
      },
    ],
    expansions: [],
    facets: {
      types: [{ value: "excerpt", count: 1 }],
      tags: [{ value: "sector/steel", count: 1 }],
      outlets: [{ value: "Maple Wire", count: 1 }],
      langs: [{ value: "fr", count: 1 }],
      statuses: [],
    },
  };
}

async function typeQuery(value: string): Promise<void> {
  const box = screen.getByLabelText("Search excerpts, sources and follow-ups");
  await fireEvent.input(box, { target: { value } });
}

describe("search helpers", () => {
  it("applies only the newest request's answer, however late an older one answers", async () => {
    vi.useFakeTimers();
    const pending = new Map<string, (value: string) => void>();
    const applied: string[] = [];
    const search = latest(
      (q: string) => new Promise<string>((resolve) => pending.set(q, resolve)),
      (outcome) => {
        if (outcome.ok) {
          applied.push(outcome.value);
        }
      },
      100,
    );
    search.request("st");
    vi.advanceTimersByTime(100);
    search.request("steel");
    vi.advanceTimersByTime(100);
    pending.get("steel")?.("answer to steel");
    await Promise.resolve();
    pending.get("st")?.("answer to st"); // slower, and older
    await Promise.resolve();
    expect(applied).toEqual(["answer to steel"]);
  });

  it("debounces: keystrokes within the delay make one request", () => {
    vi.useFakeTimers();
    const asked: string[] = [];
    const search = latest(
      (q: string) => {
        asked.push(q);
        return Promise.resolve(q);
      },
      () => undefined,
      150,
    );
    for (const q of ["s", "st", "ste", "stee", "steel"]) {
      search.request(q);
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(150);
    expect(asked).toEqual(["steel"]);
  });

  it.each([
    ["types", "excerpt", "type:excerpt"],
    ["tags", "sector/steel", "tag:sector/steel"],
    ["outlets", "Maple Wire", 'outlet:"Maple Wire"'],
    ["outlets", "Reuters", "outlet:Reuters"],
    ["langs", "fr", "lang:fr"],
    ["statuses", "open", "is:open"],
  ] as const)("writes a %s facet as a filter", (facet, value, filter) => {
    expect(facetFilter(facet, value)).toBe(filter);
  });

  it("appends a filter once", () => {
    expect(narrow("steel", "lang:fr")).toBe("steel lang:fr");
    expect(narrow("steel lang:fr", "lang:fr")).toBe("steel lang:fr");
  });

  it("marks a query error's position in code points", () => {
    expect(markQuery('😀 steel "tariff', 8, 1)).toEqual(["😀 steel ", '"', "tariff"]);
  });
});

describe("SearchView", () => {
  it("shows results as you type, with snippet marks rendered as text", async () => {
    const backend = new FakeBackend();
    backend.searchAnswer = (q) => results(q, "Sector talks");
    backend.install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await typeQuery("steel");
    await screen.findByText("Sector talks");
    const snippet = container.querySelector("#search-results .snippet");
    expect(snippet?.querySelector("mark.hit")?.textContent).toBe("steel");
    expect(snippet?.querySelector("img")).toBeNull();
    expect(snippet?.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("lists the other outlets carrying a source hit's story", async () => {
    const backend = new FakeBackend();
    backend.searchAnswer = (q) => {
      const r = results(q, "Steel duty to fall");
      const hit = r.results[0];
      if (hit) {
        r.results = [
          {
            ...hit,
            kind: "source",
            id: 4,
            uid: "0190c0de-0000-7000-8000-000000000004",
            quote: null,
            start: null,
            end: null,
            copies: [
              { id: 7, title: "Duty on beams cut", outlet: "CTV News", published: null },
              { id: 9, title: "Beams cheaper", outlet: "Global News", published: "2025-03-15" },
            ],
          },
        ];
      }
      return r;
    };
    backend.install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await typeQuery("steel");
    await screen.findByText("Steel duty to fall");
    const also = container.querySelector("#search-results .also-in");
    expect(also?.textContent).toBe("Also in: CTV News, Global News");
    expect(also?.getAttribute("data-copies")).toBe("7 9");
  });

  it("narrows with a facet chip by appending its filter to the query", async () => {
    const backend = new FakeBackend();
    backend.searchAnswer = (q) => results(q, "Sector talks");
    backend.install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await typeQuery("steel");
    await screen.findByText("Sector talks");
    await fireEvent.click(container.querySelector('#search-facets [data-filter="lang:fr"]') ?? document.body);

    const box = screen.getByLabelText<HTMLInputElement>("Search excerpts, sources and follow-ups");
    expect(box.value).toBe("steel lang:fr");
    await waitFor(() => {
      expect(backend.called("search").some((c) => c.args["query"] === "steel lang:fr")).toBe(true);
    });
  });

  it("says in plain words where a query is wrong", async () => {
    const backend = new FakeBackend();
    backend.failures.set("search", {
      code: "query",
      message: "In the query: this phrase has no closing quote",
      existing_id: null,
      position: 6,
      length: 1,
    });
    backend.install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await typeQuery('steel "tariff');
    const alert = await screen.findByText("In the query: this phrase has no closing quote");
    expect(alert.closest("[role=alert]")?.getAttribute("data-error-code")).toBe("query");
    expect(container.querySelector("#query-error mark.problem")?.textContent).toBe('"');
  });

  it("saves the query, lists it in the library pane, runs and deletes it", async () => {
    const backend = new FakeBackend();
    backend.searchAnswer = (q) => results(q, "Sector talks");
    backend.install();
    const { container } = render(App);
    await screen.findByText("No sources yet");

    await typeQuery("#acier -#autos");
    await fireEvent.click(await screen.findByRole("button", { name: "Save search" }));
    await fireEvent.input(screen.getByLabelText("Name of the saved search"), { target: { value: "Steel watch" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const saved = await screen.findByText("Steel watch", { selector: "#saved-searches .name" });
    expect(backend.saved[0]?.query).toBe("#acier -#autos");

    await typeQuery("");
    await fireEvent.click(saved);
    const box = screen.getByLabelText<HTMLInputElement>("Search excerpts, sources and follow-ups");
    expect(box.value).toBe("#acier -#autos");

    await fireEvent.click(screen.getByRole("button", { name: "Delete the saved search Steel watch" }));
    await waitFor(() => {
      expect(container.querySelector("#saved-searches")).toBeNull();
    });
  });

  it("opens an excerpt result in the reader", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Sector talks", body: "Officials said steel comes first." });
    backend.addExcerpt(source.id, { by: "quote", quote: "steel comes first", occurrence: null });
    backend.install();
    const { container } = render(App);
    await screen.findByText("Sector talks", { selector: ".source-title" });

    await typeQuery("steel");
    await fireEvent.click(await screen.findByText("Sector talks", { selector: "#search-results .title" }));
    await waitFor(() => {
      expect(container.querySelector("#excerpt-panel #excerpt-quote")?.textContent).toBe("steel comes first");
    });
  });
});

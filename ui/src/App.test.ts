import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { CommandError, SourceSummary } from "./lib/ipc";

const WORKSPACE = "/home/analyst/.local/share/dossier/workspace.sqlite";

function source(overrides: Partial<SourceSummary>): SourceSummary {
  return {
    id: 1,
    title: "Untitled",
    outlet: null,
    authors: [],
    published: null,
    url: null,
    lang: null,
    captured_at: "2025-03-12T14:00:00Z",
    excerpt_count: 0,
    tags: [],
    ...overrides,
  };
}

/** A backend that answers the library's commands from fixed data and refuses anything else. */
function mockBackend(listSources: () => SourceSummary[]): string[] {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    switch (cmd) {
      case "workspace_info":
        return { path: WORKSPACE };
      case "list_sources":
        return listSources();
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  return calls;
}

afterEach(() => {
  clearMocks();
});

describe("App", () => {
  it("shows the title and the workspace path", async () => {
    mockBackend(() => []);
    const { container } = render(App);

    expect(container.querySelector("#app-title")?.textContent).toBe("Dossier");
    await screen.findByText(WORKSPACE);
    expect(container.querySelector("#workspace-path")?.textContent).toBe(WORKSPACE);
  });

  it("tells a first-time user how to add a source when the library is empty", async () => {
    mockBackend(() => []);
    const { container } = render(App);

    await screen.findByText("No sources yet");
    const empty = container.querySelector("#empty-library");
    expect(empty, "the empty state should be shown").not.toBeNull();
    expect(empty?.textContent).toContain("dossier source add FILE");
    expect(container.querySelectorAll(".source-row")).toHaveLength(0);
  });

  it("lists sources with title, outlet, published date and excerpt count", async () => {
    const calls = mockBackend(() => [
      source({
        id: 7,
        title: "Ottawa and Washington open sector-by-sector tariff talks",
        outlet: "Northern Wire",
        authors: ["A. Tremblay"],
        published: "2025-03-12",
        excerpt_count: 3,
        tags: ["sector/steel"],
      }),
      source({
        id: 8,
        title: "Le Canada prolonge la consultation sur l'acier",
        lang: "fr",
        excerpt_count: 1,
      }),
    ]);
    const { container } = render(App);

    await screen.findByText("Ottawa and Washington open sector-by-sector tariff talks");
    const rows = container.querySelectorAll(".source-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first?.querySelector(".source-title")?.textContent).toBe(
      "Ottawa and Washington open sector-by-sector tariff talks",
    );
    expect(first?.querySelector(".source-outlet")?.textContent).toBe("Northern Wire");
    expect(first?.querySelector("time")?.getAttribute("datetime")).toBe("2025-03-12");
    expect(first?.querySelector(".source-excerpts")?.textContent.trim()).toBe("3 excerpts");
    expect(first?.textContent).toContain("sector/steel");
    expect(second?.querySelector(".source-excerpts")?.textContent.trim()).toBe("1 excerpt");
    expect(second?.querySelector(".source-title")?.getAttribute("lang")).toBe("fr");
    expect(container.querySelector("#empty-library")).toBeNull();
    expect(calls).toContain("list_sources");
  });

  it("renders markup in titles as text, never as HTML", async () => {
    mockBackend(() => [source({ title: "<img src=x onerror=alert(1)>Tariffs" })]);
    const { container } = render(App);

    await screen.findByText("<img src=x onerror=alert(1)>Tariffs");
    expect(container.querySelector(".source-row img")).toBeNull();
  });

  it("shows a backend error in plain words", async () => {
    const error: CommandError = {
      code: "workspace_unavailable",
      message: "The workspace at /tmp/ws.sqlite was made by a newer version of Dossier.",
    };
    mockIPC((cmd) => {
      if (cmd === "workspace_info") {
        return { path: "/tmp/ws.sqlite" };
      }
      // mockIPC rejects the invoke promise with whatever the handler throws.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw error;
    });
    const { container } = render(App);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The library could not be loaded.");
    expect(alert.textContent).toContain(error.message);
    expect(alert.getAttribute("data-error-code")).toBe("workspace_unavailable");
    expect(container.querySelector("#empty-library")).toBeNull();
  });

  it("says once that no workspace could be found", async () => {
    const error: CommandError = {
      code: "invalid",
      message: "cannot find your home folder; set DOSSIER_DB to the workspace file to use",
    };
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw error;
    });
    render(App);

    await screen.findByText("The library could not be loaded.");
    const alerts = screen.getAllByRole("alert");
    expect(alerts, "the same error should not be shown twice").toHaveLength(1);
    expect(alerts[0]?.textContent).toContain("Cannot find your home folder");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App.svelte";
import { FakeBackend } from "../../test/fakeBackend";
import type { SourceVersion } from "../ipc";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function version(number: number, format: string | null, overrides: Partial<SourceVersion> = {}): SourceVersion {
  return {
    number,
    uid: `uid-${number}`,
    captured_at: "2026-11-26T12:00:00Z",
    format,
    original_sha256: "ab",
    original_size: 48_213,
    not_kept: null,
    reanchor: null,
    ...overrides,
  };
}

async function openVersions(backend: FakeBackend): Promise<HTMLElement> {
  backend.install();
  const { container } = render(App);
  await fireEvent.click(await screen.findByText("Levy notes"));
  await fireEvent.click(await screen.findByText("Versions…"));
  await waitFor(() => {
    expect(container.querySelector("#versions-panel .version")).not.toBeNull();
  });
  return container;
}

describe("Versions", () => {
  it("lists each version newest first, with its size or why there is no original", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Levy notes", body: "The levy rises." });
    backend.versions.set(source.id, [
      version(1, null, { original_size: null, not_kept: "before_versions" }),
      version(2, "pdf", { reanchor: { moved: 1, orphaned: 1, unchanged: 0, moved_ids: [], orphaned_ids: [] } }),
    ]);
    const container = await openVersions(backend);
    const rows = [...container.querySelectorAll<HTMLElement>("#versions-panel .version")];
    expect(rows.map((r) => r.dataset["version"])).toEqual(["2", "1"]);
    expect(rows[0]?.textContent).toContain("47 KB");
    expect(rows[0]?.textContent).toContain("1 moved, 1 orphaned");
    expect(rows[1]?.textContent).toContain("captured before Dossier kept originals");
    expect(rows[1]?.querySelector(".view-original")).toBeNull();
    expect(rows[1]?.querySelector(".compare")).toBeNull();

    await fireEvent.click(rows[0]?.querySelector(".view-original") as HTMLElement);
    await waitFor(() => {
      expect(backend.called("open_original")).toHaveLength(1);
    });
    expect(backend.called("open_original")[0]?.args).toEqual({ id: source.id, version: 2 });
  });

  it("shows a web page's original in a frame that grants it nothing", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Levy notes", body: "The levy rises." });
    backend.versions.set(source.id, [version(1, "html")]);
    backend.page = { source_id: source.id, version: 1, html: "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><p>Levy</p>" };
    const container = await openVersions(backend);
    await fireEvent.click(await screen.findByText("View original"));
    const frame = await waitFor(() => {
      const found = container.querySelector<HTMLIFrameElement>("#original-frame");
      expect(found).not.toBeNull();
      return found as HTMLIFrameElement;
    });
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toBe(backend.page.html);
    expect(frame.hasAttribute("src")).toBe(false);
    expect(backend.called("open_original")).toHaveLength(0);
    expect(container.querySelector<HTMLElement>(".reader-body")?.hidden).toBe(true);
  });

  it("marks insertions and deletions and lists the orphaned excerpts", async () => {
    const backend = new FakeBackend();
    const source = backend.addSource({ title: "Levy notes", body: "The levy rises." });
    backend.versions.set(source.id, [version(1, "text"), version(2, "text")]);
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    backend.comparison = {
      source_id: source.id,
      from: 1,
      to: 2,
      ops: [
        { kind: "equal", text: "The levy " },
        { kind: "delete", text: "falls" },
        { kind: "insert", text: "rises" },
        { kind: "equal", text: ` ${long}.` },
      ],
      words_inserted: 1,
      words_deleted: 1,
      reanchor: { moved: 0, orphaned: 1, unchanged: 0, moved_ids: [], orphaned_ids: [9] },
      excerpts: [{ id: 9, change: "orphaned", quote: "The levy falls", orphaned: true }],
    };
    const container = await openVersions(backend);
    await fireEvent.click(await screen.findByText("Compare"));
    await waitFor(() => {
      expect(container.querySelector("#compare-diff ins")).not.toBeNull();
    });
    expect(backend.called("compare_versions")[0]?.args).toEqual({ id: source.id, from: 1, to: 2 });
    expect(container.querySelector("#compare-diff ins")?.textContent).toBe("[added: rises]");
    expect(container.querySelector("#compare-diff del")?.textContent).toBe("[removed: falls]");
    expect(container.querySelector("#compare-summary")?.textContent).toContain("1 word added");
    const fold = container.querySelector<HTMLButtonElement>("#compare-diff button.fold");
    expect(fold?.textContent).toContain("48 unchanged words");
    await fireEvent.click(fold as HTMLButtonElement);
    expect(container.querySelector("#compare-diff")?.textContent).toContain("word30");
    const orphan = container.querySelector<HTMLElement>("#compare-excerpts li");
    expect(orphan?.dataset["change"]).toBe("orphaned");
    expect(orphan?.textContent).toContain("Orphaned");
    expect(orphan?.textContent).toContain("The levy falls");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync } from "svelte";
import type { ImportSummary, ItemResult } from "../ipc";
import ImportPanel from "./ImportPanel.svelte";
import { Imports } from "./imports.svelte";
import { headline, itemLine, progressLine } from "./summary";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function item(input: string, status: ItemResult["status"], extra: Partial<ItemResult> = {}): ItemResult {
  return { input, status, id: null, title: null, format: null, reason: null, code: null, reanchored: null, ...extra };
}

const summary: ImportSummary = {
  imported: 1,
  updated: 1,
  already_present: 1,
  skipped: 0,
  failed: 1,
  items: [
    item("/home/a/report.pdf", "imported", { id: 4, title: "Steel report" }),
    item("/home/a/notes.md", "already_present", { id: 2 }),
    item("/home/a/photo.gif", "failed", { reason: "a GIF image is not a document", code: "unsupported_format" }),
    item("https://example.org/page", "updated", { id: 1, reanchored: { placed: 2, adjusted: 0, orphaned: 1 } }),
  ],
};

describe("import summary in plain words", () => {
  it("counts each outcome and explains each item", () => {
    expect(headline(summary)).toBe("1 imported, 1 updated, 1 already present, 1 failed.");
    expect(itemLine(summary.items[2] as ItemResult)).toBe("photo.gif: not imported — a GIF image is not a document.");
    expect(itemLine(summary.items[1] as ItemResult)).toBe("notes.md: already in the workspace (source 2).");
    expect(itemLine(summary.items[3] as ItemResult)).toContain("1 excerpt could not be placed");
    expect(progressLine({ done: 1, total: 3, current: "/x/y/b.docx", ocr_done: 0, ocr_total: 0 })).toBe(
      "Importing 2 of 3: b.docx",
    );
  });

  it("says which page of a scan OCR is reading", () => {
    expect(progressLine({ done: 0, total: 2, current: "/x/scan.pdf", ocr_done: 2, ocr_total: 50 })).toBe(
      "Importing 1 of 2: scan.pdf — reading page 3 of 50 by OCR",
    );
    expect(progressLine({ done: 0, total: 1, current: "/x/scan.pdf", ocr_done: 50, ocr_total: 50 })).toContain(
      "page 50 of 50",
    );
  });

  it("asks the native side to cancel the running import", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return null;
    });
    const imports = new Imports();
    await imports.cancel();
    expect(calls).toEqual(["cancel_import"]);
    expect(imports.error).toBeNull();
  });

  it("runs File → Import through the command and shows the summary, then refreshes", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "import_files") {
        return summary;
      }
      return null;
    });
    let refreshed = 0;
    const imports = new Imports(() => {
      refreshed++;
    });
    render(ImportPanel, { imports });
    await imports.importFiles();
    flushSync();
    expect(calls).toContain("import_files");
    expect(refreshed).toBe(1);
    expect(await screen.findByText(/1 imported, 1 updated/)).toBeTruthy();
    expect(screen.getByText(/photo.gif: not imported/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Show orphaned excerpts" })).toBeTruthy();
  });

  it("shows progress while an import runs and a failure in plain words", async () => {
    mockIPC(() => {
      throw new Error("an address to import starts with http:// or https://");
    });
    const imports = new Imports();
    render(ImportPanel, { imports });
    imports.running = true;
    imports.progress = { done: 0, total: 2, current: "/a/one.html", ocr_done: 0, ocr_total: 0 };
    flushSync();
    expect(screen.getByText("Importing 1 of 2: one.html")).toBeTruthy();
    await imports.importUrl("ftp://nope");
    flushSync();
    expect(screen.getByText(/The import could not run: an address to import starts with/)).toBeTruthy();
  });

  it("does nothing when the file dialog is cancelled", async () => {
    mockIPC(() => null);
    const imports = new Imports();
    await imports.importFiles();
    expect(imports.running).toBe(false);
    expect(imports.summary).toBeNull();
  });
});

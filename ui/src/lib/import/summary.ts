/**
 * An import's outcome in plain words: one headline, and one line per item that needs the
 * analyst's attention (failed, skipped, updated with orphans).
 */
import type { ImportProgress, ImportSummary, ItemResult } from "../ipc";

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 imported, 1 already present, 1 failed." */
export function headline(summary: ImportSummary): string {
  const parts: string[] = [];
  if (summary.imported > 0) {
    parts.push(`${summary.imported} imported`);
  }
  if (summary.updated > 0) {
    parts.push(`${summary.updated} updated`);
  }
  if (summary.already_present > 0) {
    parts.push(`${summary.already_present} already present`);
  }
  if (summary.skipped > 0) {
    parts.push(`${summary.skipped} skipped`);
  }
  if (summary.failed > 0) {
    parts.push(`${summary.failed} failed`);
  }
  if (parts.length === 0) {
    return "Nothing was imported: no documents were found.";
  }
  return `${parts.join(", ")}.`;
}

/** The file name (or the URL) of an item, shorter than the full path. */
export function itemName(item: ItemResult): string {
  if (/^https?:\/\//i.test(item.input)) {
    return item.input;
  }
  const parts = item.input.split(/[\\/]/);
  return parts[parts.length - 1] || item.input;
}

/** What happened to one item, in a sentence. */
export function itemLine(item: ItemResult): string {
  const name = itemName(item);
  switch (item.status) {
    case "imported":
      return `${name}: imported${item.title ? ` as “${item.title}”` : ""}.`;
    case "updated": {
      const orphans = item.reanchored?.orphaned ?? 0;
      return orphans > 0
        ? `${name}: updated; ${count(orphans, "excerpt", "excerpts")} could not be placed and ${orphans === 1 ? "is" : "are"} now orphaned.`
        : `${name}: updated; its excerpts were placed again.`;
    }
    case "already_present":
      return `${name}: already in the workspace${item.id !== null ? ` (source ${item.id})` : ""}.`;
    case "skipped":
      return `${name}: skipped${item.reason ? ` — ${item.reason}` : ""}.`;
    case "failed":
      return `${name}: not imported — ${item.reason ?? "the reason is unknown"}.`;
  }
}

/** How many excerpts the import left orphaned. */
export function orphanedBy(summary: ImportSummary): number {
  return summary.items.reduce((n, item) => n + (item.reanchored?.orphaned ?? 0), 0);
}

/** "Importing 2 of 5: report.pdf" */
export function progressLine(progress: ImportProgress): string {
  if (progress.total === 0) {
    return "Looking for documents…";
  }
  if (progress.done >= progress.total) {
    return `Finishing (${progress.total} of ${progress.total})…`;
  }
  const parts = progress.current.split(/[\\/]/);
  const name = /^https?:\/\//i.test(progress.current) ? progress.current : (parts[parts.length - 1] ?? progress.current);
  const line = `Importing ${progress.done + 1} of ${progress.total}: ${name}`;
  if (progress.ocr_total > 0) {
    return `${line} — reading page ${Math.min(progress.ocr_done + 1, progress.ocr_total)} of ${progress.ocr_total} by OCR`;
  }
  return line;
}

/**
 * An import's outcome in plain words: one headline, and one line per item that needs the
 * analyst's attention (failed, skipped, updated with orphans), in the page's language. A
 * failed item's reason is Rust's English; in French it is worded again from its `code`.
 */
import type { ImportProgress, ImportSummary, ItemResult } from "../ipc";
import { errorMessage, lang, m } from "../i18n";

/** "3 imported, 1 already present, 1 failed." */
export function headline(summary: ImportSummary): string {
  const parts: string[] = [];
  if (summary.imported > 0) {
    parts.push(m.import_count_imported({ count: summary.imported }));
  }
  if (summary.updated > 0) {
    parts.push(m.import_count_updated({ count: summary.updated }));
  }
  if (summary.already_present > 0) {
    parts.push(m.import_count_present({ count: summary.already_present }));
  }
  if (summary.skipped > 0) {
    parts.push(m.import_count_skipped({ count: summary.skipped }));
  }
  if (summary.failed > 0) {
    parts.push(m.import_count_failed({ count: summary.failed }));
  }
  if (parts.length === 0) {
    return m.import_nothing();
  }
  return m.import_headline({ parts: parts.join(", ") });
}

/** The file name (or the URL) of an item, shorter than the full path. */
export function itemName(item: ItemResult): string {
  if (/^https?:\/\//i.test(item.input)) {
    return item.input;
  }
  const parts = item.input.split(/[\\/]/);
  return parts[parts.length - 1] || item.input;
}

/** Why an item failed or was skipped, in the page's language; null when nobody said. */
function reasonOf(item: ItemResult, name: string): string | null {
  if (item.reason === null) {
    return null;
  }
  if (lang() === "en" || item.code === null) {
    return item.reason;
  }
  const worded = errorMessage({ code: item.code, message: "", params: { name, url: item.input } });
  // The catalog's sentences end with a full stop; the line adds its own.
  return worded.replace(/\.$/, "");
}

/** What happened to one item, in a sentence. */
export function itemLine(item: ItemResult): string {
  const name = itemName(item);
  const reason = reasonOf(item, name);
  switch (item.status) {
    case "imported":
      return item.title ? m.import_item_imported_as({ name, title: item.title }) : m.import_item_imported({ name });
    case "updated": {
      const orphans = item.reanchored?.orphaned ?? 0;
      return orphans > 0 ? m.import_item_updated_orphans({ name, count: orphans }) : m.import_item_updated({ name });
    }
    case "already_present":
      return item.id !== null ? m.import_item_present_id({ name, id: item.id }) : m.import_item_present({ name });
    case "skipped":
      return reason ? m.import_item_skipped_why({ name, reason }) : m.import_item_skipped({ name });
    case "failed":
      return m.import_item_failed({ name, reason: reason ?? m.import_reason_unknown() });
  }
}

/** How many excerpts the import left orphaned. */
export function orphanedBy(summary: ImportSummary): number {
  return summary.items.reduce((n, item) => n + (item.reanchored?.orphaned ?? 0), 0);
}

/** "Importing 2 of 5: report.pdf" */
export function progressLine(progress: ImportProgress): string {
  if (progress.total === 0) {
    return m.import_looking();
  }
  if (progress.done >= progress.total) {
    return m.import_finishing({ total: progress.total });
  }
  const parts = progress.current.split(/[\\/]/);
  const name = /^https?:\/\//i.test(progress.current) ? progress.current : (parts[parts.length - 1] ?? progress.current);
  const done = progress.done + 1;
  if (progress.ocr_total > 0) {
    const page = Math.min(progress.ocr_done + 1, progress.ocr_total);
    return m.import_progress_ocr({ done, total: progress.total, name, page, pages: progress.ocr_total });
  }
  return m.import_progress({ done, total: progress.total, name });
}

/**
 * One wording for every `CommandError` the backend sends, in the page's language.
 *
 * In English the backend's `message` is shown as is: Rust words it for the analyst already,
 * with the detail (the SQLite reason, the parser's explanation) that no catalog can hold. In
 * French the sentence comes from the catalog, keyed by `code` and filled from `params`; where
 * the detail exists only in Rust's English (`invalid`, `storage`, `io`…), a general French
 * sentence for the code stands in, so an analyst never reads English in a French window.
 */
import { m } from "../paraglide/messages.js";
import { toCommandError } from "../ipc";

import { lang } from "./locale.svelte";

type Params = Record<string, string>;

/** A marking as the page names it: "PROTÉGÉ B", "PROTECTED B". */
function markingName(marking: string): string {
  switch (marking) {
    case "protected_a":
      return m.marking_badge_protected_a();
    case "protected_b":
      return m.marking_badge_protected_b();
    default:
      return m.marking_badge_unclassified();
  }
}

function notFound(p: Params): string {
  const id = p.id ?? "";
  switch (p.what) {
    case "source":
      return m.error_not_found_source({ id });
    case "excerpt":
      return m.error_not_found_excerpt({ id });
    case "follow_up":
      return m.error_not_found_follow_up({ id });
    case "briefing":
      return m.error_not_found_briefing({ id });
    case "version":
      return m.error_not_found_version({ id, number: p.number ?? "" });
    case "tag":
      return m.error_not_found_tag({ input: p.input ?? "" });
    default:
      return m.error_not_found();
  }
}

/** The catalog's sentence for a code, or null when the code is not one the backend sends. */
function worded(code: string, p: Params): string | null {
  const name = p.name ?? "";
  switch (code) {
    case "open_failed":
      return m.error_open_failed({ path: p.path ?? "" });
    case "not_a_database":
      return m.error_not_a_database({ path: p.path ?? "" });
    case "workspace_too_new":
      return m.error_workspace_too_new({ path: p.path ?? "", found: p.found ?? "", known: p.known ?? "" });
    case "not_found":
      return notFound(p);
    case "not_kept":
      return m.error_not_kept({ id: p.id ?? "", number: p.number ?? "" });
    case "ambiguous":
      return m.error_ambiguous({ input: p.input ?? "", candidates: p.candidates ?? "" });
    case "conflict":
      return m.error_conflict({ tag: p.tag ?? "" });
    case "duplicate_source":
      return m.error_duplicate_source({ id: p.id ?? "", title: p.title ?? "" });
    case "anchor":
      return m.error_anchor();
    case "invalid":
      return m.error_invalid();
    case "query":
      return m.error_query();
    case "busy":
      return m.error_busy();
    case "damaged":
      return m.error_damaged();
    case "disk_full":
      return m.error_disk_full();
    case "read_only":
      return m.error_read_only();
    case "migration_failed":
      return m.error_migration_failed();
    case "storage":
      return m.error_storage();
    case "io":
      return name ? m.error_io_named({ name }) : m.error_io();
    case "internal":
      return m.error_internal();
    case "no_text":
      return m.error_no_text({ name });
    case "too_large":
      return m.error_too_large({ name, limit_mb: p.limit_mb ?? "" });
    case "unsupported_format":
      return m.error_unsupported_format({ name });
    case "broken_file":
      return m.error_broken_file({ name });
    case "protected":
      return m.error_protected({ name });
    case "ocr_unavailable":
      return m.error_ocr_unavailable();
    case "ocr_failed":
      return m.error_ocr_failed();
    case "bad_ocr_lang":
      return m.error_bad_ocr_lang({ lang: p.lang ?? "" });
    case "cancelled":
      return m.error_cancelled();
    case "bad_url":
      return m.error_bad_url({ url: p.url ?? "" });
    case "fetch_failed":
      return m.error_fetch_failed({ url: p.url ?? "" });
    case "marking_too_low":
      return p.excerpts && p.marking && p.content
        ? m.error_marking_too_low_items({
            marking: markingName(p.marking),
            content: markingName(p.content),
            excerpts: p.excerpts,
          })
        : m.error_marking_too_low();
    case "ipc":
      return m.error_ipc();
    case "unknown":
      return m.error_unknown();
    default:
      return null;
  }
}

/**
 * The error in the page's language. Takes anything a
 * command rejected with; a code this version does not know falls back to the backend's words
 * in English and to a general sentence in French.
 */
export function errorMessage(error: unknown): string {
  const err = toCommandError(error);
  if (lang() === "en" && err.message.trim() !== "") {
    return err.message;
  }
  return worded(err.code, err.params ?? {}) ?? m.error_unknown();
}

/** The error as a sentence of its own (a dialog's line, a notice): a capital first. */
export function errorSentence(error: unknown): string {
  const text = errorMessage(error);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "What failed: why", in the page's language and typography. */
export function failure(what: string, error: unknown): string {
  return m.error_with_context({ what, error: errorMessage(error) });
}

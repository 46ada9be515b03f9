/**
 * The reader's state and what it does, apart from the view (`Reader.svelte`): the source and
 * its excerpts, the current excerpt, the selection and the excerpt being drafted from it, the
 * save, the delete with its one-call undo, and what Escape closes first.
 *
 * The view keeps what needs the DOM — turning a DOM selection into offsets and a place for
 * the bubble, scrolling and flashing marks — and hands the results here. Offsets it hands over
 * are UTF-16 (what the web view measures); what goes to the store is converted to code points
 * through `map`, so an excerpt saved here is exactly the passage selected.
 */
import type { AppState } from "../state.svelte";
import * as ipc from "../ipc";
import type { Excerpt, Marking, Source } from "../ipc";
import { load } from "../load";
import type { Load } from "../load";
import { OffsetMap } from "../anchors";
import type { TextRange } from "../anchors";
import { tagColor } from "../tagPaths";
import { m } from "../i18n";

/** A selection in the text (UTF-16 offsets), with where its bubble shows. */
export interface PlacedRange {
  range: TextRange;
  top: number;
  left: number;
}

/** What Escape closed, innermost first; `back` left the reader. */
export type Escaped = "draft" | "selection" | "excerpt" | "back";

export class ReaderState {
  readonly sourceId: number;
  private readonly app: AppState;

  // Raw: replaced whole on every reload (a 50,000-character text needs no deep proxy).
  source = $state.raw<Load<Source>>({ status: "loading" });
  excerpts = $state.raw<Excerpt[]>([]);
  activeId = $state<number | null>(null);
  /** The T and A shortcuts, passed to whichever of the form or the panel is showing. */
  command = $state<{ kind: "tags" | "ask"; n: number } | null>(null);
  /** The current selection in the text. */
  selection = $state<PlacedRange | null>(null);
  /** The selection being excerpted: the form is open. */
  draft = $state<(PlacedRange & { focusTags: boolean }) | null>(null);
  saving = $state(false);
  confirmDelete = $state(false);
  editingDetails = $state(false);

  readonly text = $derived(this.source.status === "ready" ? this.source.value.text : "");
  readonly map = $derived(new OffsetMap(this.text));
  readonly sorted = $derived([...this.excerpts].sort((a, b) => a.start - b.start || a.end - b.end));
  readonly highlights = $derived(this.sorted.map((e) => ({ id: e.id, start: this.map.toUtf16(e.start), end: this.map.toUtf16(e.end) })));
  // Rebuilt from the excerpts, never changed in place.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly colors = $derived(new Map(this.excerpts.map((e) => [e.id, tagColor(this.app.tagMap, e.tags[0])])));
  readonly active = $derived(this.excerpts.find((e) => e.id === this.activeId) ?? null);

  constructor(app: AppState, sourceId: number) {
    this.app = app;
    this.sourceId = sourceId;
  }

  /** The source and its excerpts, side by side. */
  async load(): Promise<void> {
    const [loaded, list] = await Promise.all([
      load(() => ipc.getSource(this.sourceId)),
      load(() => ipc.listExcerpts({ source_id: this.sourceId, tag: null })),
    ]);
    this.source = loaded;
    this.excerpts = list.status === "ready" ? list.value : [];
  }

  private async loadExcerpts(): Promise<void> {
    const list = await load(() => ipc.listExcerpts({ source_id: this.sourceId, tag: null }));
    if (list.status === "ready") {
      this.excerpts = list.value;
    }
  }

  /** The excerpt after (or before) the current one in reading order, wrapping; null when none. */
  neighbour(direction: 1 | -1): number | null {
    const sorted = this.sorted;
    if (sorted.length === 0) {
      return null;
    }
    const at = sorted.findIndex((e) => e.id === this.activeId);
    const next = at < 0 ? (direction === 1 ? 0 : sorted.length - 1) : (at + direction + sorted.length) % sorted.length;
    return sorted[next]?.id ?? null;
  }

  /** What the view read from the DOM selection; ignored while a draft is open. */
  selected(selection: PlacedRange | null): void {
    if (!this.draft) {
      this.selection = selection;
    }
  }

  /** Opens the form on the selection; false when there is none. */
  startDraft(focusTags = false): boolean {
    if (!this.selection) {
      return false;
    }
    this.draft = { ...this.selection, focusTags };
    this.selection = null;
    return true;
  }

  tag(): void {
    this.command = { kind: "tags", n: (this.command?.n ?? 0) + 1 };
  }

  ask(): void {
    this.command = { kind: "ask", n: (this.command?.n ?? 0) + 1 };
  }

  hasExcerpt(): boolean {
    return this.activeId !== null || this.draft !== null;
  }

  /** Saves the draft, with its question in the same call. */
  async saveExcerpt(note: string, tags: string[], question: string, marking: Marking | null = null): Promise<void> {
    if (!this.draft) {
      return;
    }
    this.saving = true;
    const range = this.draft.range;
    try {
      const excerpt = await ipc.addExcerpt(
        this.sourceId,
        { by: "range", start: this.map.toCodePoint(range.start), end: this.map.toCodePoint(range.end) },
        note,
        tags,
        question.trim() === "" ? null : question.trim(),
        marking,
      );
      this.draft = null;
      await this.loadExcerpts();
      this.activeId = excerpt.id;
      void this.app.changed("sources", "tags", "followups");
    } catch (error: unknown) {
      this.app.fail(m.reader_excerpt_save_failed(), error);
    } finally {
      this.saving = false;
    }
  }

  /** The panel saved an edit of an excerpt. */
  excerptChanged(updated: Excerpt): void {
    this.excerpts = this.excerpts.map((e) => (e.id === updated.id ? updated : e));
  }

  detailsSaved(saved: Source): void {
    this.source = { status: "ready", value: saved };
    this.editingDetails = false;
  }

  /** Deletes the current excerpt; the toast's undo is one `restore_excerpt` of what was deleted. */
  async removeActive(): Promise<void> {
    const excerpt = this.active;
    if (!excerpt) {
      return;
    }
    try {
      const deleted = await ipc.deleteExcerpt(excerpt.id);
      this.activeId = null;
      await this.loadExcerpts();
      void this.app.changed("sources", "tags", "followups");
      this.app.toast(m.reader_excerpt_deleted(), {
        undo: async () => {
          // One call: the store re-creates it at the same place, with its note, tags and question links.
          const again = await ipc.restoreExcerpt(deleted);
          // The analyst may have left: only a reader still showing the source follows the undo.
          if (this.app.view.name === "reader" && this.app.view.sourceId === excerpt.source_id) {
            await this.loadExcerpts();
            this.activeId = again.id;
          }
          void this.app.changed("sources", "tags", "followups");
        },
      });
    } catch (error: unknown) {
      this.app.fail(m.reader_excerpt_delete_failed(), error);
    }
  }

  async deleteSource(): Promise<void> {
    try {
      const deleted = await ipc.deleteSource(this.sourceId);
      this.confirmDelete = false;
      await this.app.changed("sources", "tags", "followups");
      this.app.navigate({ name: "library" });
      this.app.toast(m.reader_source_deleted({ title: deleted.title, count: deleted.excerpts }));
    } catch (error: unknown) {
      this.app.fail(m.reader_source_delete_failed(), error);
    }
  }

  /** Escape closes the innermost thing open: the form, the selection, the current excerpt, then the reader. */
  escape(): Escaped {
    if (this.draft) {
      this.draft = null;
      return "draft";
    }
    if (this.selection) {
      this.selection = null;
      return "selection";
    }
    if (this.activeId !== null) {
      this.activeId = null;
      return "excerpt";
    }
    this.app.back();
    return "back";
  }
}

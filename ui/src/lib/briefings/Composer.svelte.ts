/**
 * The composer's state and what it does, apart from the view (`Composer.svelte`): the note as
 * stored, the form and section texts as typed, the saves in flight, the section texts waiting
 * for a pause in typing, the undo of a removal, export, duplicate and delete.
 *
 * Every change is saved at once with a small patch (a field on change or blur, a section's
 * text after a pause in typing); the store answers with the note as stored, which replaces
 * ours. What the analyst typed is never overwritten by that answer, so a refused value (a bad
 * date) stays in its field beside the store's reason.
 */
import { SvelteMap } from "svelte/reactivity";
import type { AppState } from "../state.svelte";
import * as ipc from "../ipc";
import type { Briefing, BriefingItem, BriefingPatch, CommandError, ExportFormat, Marking, SectionKind } from "../ipc";
import { FIELD_KEYS, FORMATS, SECTIONS, fieldPatch, formFrom, higherMarking, isAbove, previewMarkup, sectionHeading, storedValue } from "./briefings";
import { errorSentence, m } from "../i18n";
import type { FieldKey } from "./briefings";
import { sectionPatch, sectionsPatch } from "../briefingPatch";

/** How long typing in a section pauses before its text is saved, in ms. */
export const TEXT_PAUSE = 700;

const blankForm = () => Object.fromEntries(FIELD_KEYS.map((k) => [k, ""])) as Record<FieldKey, string>;
const blankTexts = () => Object.fromEntries(SECTIONS.map((s) => [s.kind, ""])) as Record<SectionKind, string>;

export class ComposerState {
  readonly id: number;
  private readonly app: AppState;
  private readonly pause: number;

  briefing = $state.raw<Briefing | null>(null);
  loadError = $state<CommandError | null>(null);
  form = $state<Record<FieldKey, string>>(blankForm());
  texts = $state<Record<SectionKind, string>>(blankTexts());
  errors = $state<Partial<Record<FieldKey, string>>>({});
  /** Saves sent and not answered yet. */
  pending = $state(0);
  status = $state<"idle" | "saved" | "failed">("idle");
  previewHtml = $state("");
  previewOpen = $state(true);
  finderOpen = $state(true);
  addTo = $state<SectionKind>("current_status");
  format = $state<ExportFormat>("docx");
  exporting = $state<ExportFormat | null>(null);
  confirmDelete = $state(false);
  /** Sections whose typing has not paused yet, with the timer that will save them. */
  private readonly timers = new SvelteMap<SectionKind, ReturnType<typeof setTimeout>>();
  private previewSeq = 0;
  private seenTick: number;

  /** True while something typed is not in the store yet: no reload may replace it. */
  readonly dirty = $derived.by(() => {
    const b = this.briefing;
    if (!b) {
      return false;
    }
    return (
      this.timers.size > 0 ||
      FIELD_KEYS.some((k) => this.form[k] !== storedValue(b, k)) ||
      SECTIONS.some((s) => this.texts[s.kind] !== (b.sections.find((x) => x.kind === s.kind)?.text ?? ""))
    );
  });
  readonly exportLabel = $derived(FORMATS.find((f) => f.value === this.exporting)?.short ?? "");
  readonly statusText = $derived(
    this.pending > 0
      ? m.composer_saving()
      : this.status === "saved"
        ? m.composer_saved()
        : this.status === "failed"
          ? m.composer_not_saved()
          : "",
  );

  // Handed to the app while mounted; kept as fields so `destroy` can tell they are still ours.
  private readonly unsaved = () => this.dirty;
  private readonly exportNow = () => void this.runExport();

  constructor(app: AppState, id: number, options: { pause?: number } = {}) {
    this.app = app;
    this.id = id;
    this.pause = options.pause ?? TEXT_PAUSE;
    this.seenTick = app.reloadTick;
  }

  /** The composer shows: the app's shortcuts reach it, and the note loads. */
  mount(): Promise<void> {
    this.app.unsavedEdits = this.unsaved;
    this.app.exportBriefing = this.exportNow;
    return this.load();
  }

  /** The composer goes: text still in its pause is saved, and the app's shortcuts let go. */
  destroy(): void {
    for (const [kind, timer] of this.timers) {
      clearTimeout(timer);
      void this.saveText(kind);
    }
    // Another composer may have mounted already (a duplicate opened): leave its handlers.
    if (this.app.unsavedEdits === this.unsaved) {
      this.app.unsavedEdits = null;
    }
    if (this.app.exportBriefing === this.exportNow) {
      this.app.exportBriefing = null;
    }
  }

  /** A reload asked from outside (F5, a change made by the CLI): only when nothing is unsaved. */
  reloadAsked(tick: number): void {
    if (tick !== this.seenTick) {
      this.seenTick = tick;
      if (!this.dirty) {
        void this.load();
      }
    }
  }

  async load(): Promise<void> {
    try {
      const b = await ipc.getBriefing(this.id);
      this.briefing = b;
      this.form = formFrom(b);
      this.texts = Object.fromEntries(b.sections.map((s) => [s.kind, s.text])) as Record<SectionKind, string>;
      this.errors = {};
      this.loadError = null;
      this.app.currentBriefingId = b.id;
      void this.refreshPreview();
    } catch (e: unknown) {
      this.loadError = ipc.toCommandError(e);
      if (this.app.currentBriefingId === this.id) {
        this.app.currentBriefingId = null;
      }
    }
  }

  private stored(kind: SectionKind): string {
    return this.briefing?.sections.find((s) => s.kind === kind)?.text ?? "";
  }

  private async refreshPreview(): Promise<void> {
    const mine = ++this.previewSeq;
    try {
      const html = await ipc.previewBriefing(this.id);
      if (mine === this.previewSeq) {
        this.previewHtml = previewMarkup(html);
      }
    } catch {
      // The preview is a convenience; the fields and sections still show the note.
    }
  }

  /** Sends one patch; the answer becomes the note shown. Null when the store refused. */
  private async save(patch: BriefingPatch, what: string, field: FieldKey | null = null): Promise<Briefing | null> {
    this.pending++;
    try {
      const b = await ipc.editBriefing(this.id, patch);
      this.briefing = b;
      this.status = "saved";
      if (field) {
        this.errors = { ...this.errors, [field]: undefined };
      }
      void this.refreshPreview();
      return b;
    } catch (e: unknown) {
      this.status = "failed";
      if (field) {
        this.errors = { ...this.errors, [field]: errorSentence(e) };
      } else {
        this.app.fail(what, e);
      }
      return null;
    } finally {
      this.pending--;
    }
  }

  async saveField(key: FieldKey): Promise<void> {
    const b = this.briefing;
    if (!b) {
      return;
    }
    const value = key === "decision.outcome" || key === "marking" || key === "purpose" ? this.form[key] : this.form[key].trim();
    if (value === storedValue(b, key) && !this.errors[key]) {
      this.form[key] = value;
      return;
    }
    const saved = await this.save(fieldPatch(key, value), m.composer_field_failed(), key);
    if (saved && this.form[key].trim() === value) {
      this.form[key] = storedValue(saved, key);
    }
  }

  textTyped(kind: SectionKind, value: string): void {
    this.texts[kind] = value;
    const timer = this.timers.get(kind);
    if (timer) {
      clearTimeout(timer);
    }
    this.timers.set(
      kind,
      setTimeout(() => {
        void this.saveText(kind);
      }, this.pause),
    );
  }

  async saveText(kind: SectionKind): Promise<void> {
    const timer = this.timers.get(kind);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(kind);
    }
    const value = this.texts[kind];
    if (!this.briefing || value === this.stored(kind)) {
      return;
    }
    await this.save(sectionsPatch(sectionPatch(kind, { text: value })), m.composer_text_failed({ section: sectionHeading(kind) }));
  }

  /** Moves an item; true when the store took the move (the view then puts the focus back on it). */
  async move(item: BriefingItem, to: SectionKind, position: number): Promise<boolean> {
    this.pending++;
    try {
      this.briefing = await ipc.moveBriefingItem(this.id, item.id, to, position);
      this.status = "saved";
      void this.refreshPreview();
      return true;
    } catch (e: unknown) {
      this.app.fail(m.composer_move_failed(), e);
      return false;
    } finally {
      this.pending--;
    }
  }

  async remove(item: BriefingItem, kind: SectionKind): Promise<void> {
    const index = this.briefing?.sections.find((s) => s.kind === kind)?.items.findIndex((i) => i.id === item.id) ?? -1;
    const saved = await this.save(sectionsPatch(sectionPatch(kind, { remove_items: [item.id] })), m.composer_remove_failed());
    if (!saved) {
      return;
    }
    const excerptId = item.excerpt_id;
    // Undo puts the excerpt back where it was, in one write; a detached item has no excerpt to add again.
    const undo =
      excerptId === null
        ? undefined
        : async () => {
            const patch = sectionPatch(kind, { add_excerpts: [excerptId], group: item.group, insert_at: index < 0 ? null : index });
            this.briefing = await ipc.editBriefing(this.id, sectionsPatch(patch));
            void this.refreshPreview();
          };
    this.app.toast(m.composer_removed({ section: sectionHeading(kind) }), undo ? { undo } : {});
  }

  /** The items quoted above the note's marking, and the highest marking among them. */
  readonly markingGap = $derived.by(() => {
    const b = this.briefing;
    if (!b) {
      return null;
    }
    const above = b.sections.flatMap((s) => s.items.filter((i) => isAbove(i.marking, b.marking)).map((item) => ({ item, kind: s.kind })));
    if (above.length === 0) {
      return null;
    }
    const content = above.reduce<Marking>((top, { item }) => higherMarking(top, item.marking), b.marking);
    return { note: b.marking, content, above };
  });

  /** Raises the note's marking to the highest it quotes. */
  async raiseMarking(): Promise<void> {
    const gap = this.markingGap;
    if (!gap) {
      return;
    }
    this.form.marking = gap.content;
    await this.saveField("marking");
  }

  /** Takes every item marked above the note out of it, in one write. */
  async removeHigherMarked(): Promise<void> {
    const gap = this.markingGap;
    if (!gap) {
      return;
    }
    const kinds = gap.above.map((a) => a.kind).filter((kind, at, all) => all.indexOf(kind) === at);
    const patches = kinds.map((kind) =>
      sectionPatch(kind, { remove_items: gap.above.filter((a) => a.kind === kind).map((a) => a.item.id) }),
    );
    const saved = await this.save(sectionsPatch(...patches), m.composer_remove_failed());
    if (saved) {
      this.app.toast(m.composer_removed_higher({ count: gap.above.length }));
    }
  }

  async addExcerpt(excerptId: number, kind: SectionKind): Promise<void> {
    const saved = await this.save(sectionsPatch(sectionPatch(kind, { add_excerpts: [excerptId] })), m.composer_add_failed());
    if (saved) {
      this.app.toast(m.composer_added({ section: sectionHeading(kind) }));
    }
  }

  async runExport(): Promise<void> {
    const chosen = this.format;
    // Text still in its pause goes into the file too.
    await Promise.all([...this.timers.keys()].map((k) => this.saveText(k)));
    this.exporting = chosen;
    try {
      const file = await ipc.exportBriefing(this.id, chosen);
      if (file) {
        this.app.toast(m.composer_exported({ path: file.path }));
      }
    } catch (e: unknown) {
      this.app.fail(m.composer_export_failed(), e);
    } finally {
      this.exporting = null;
    }
  }

  async duplicate(): Promise<void> {
    try {
      const copy = await ipc.duplicateBriefing(this.id);
      this.app.toast(m.briefings_duplicated({ title: copy.title }));
      this.app.navigate({ name: "briefings", id: copy.id });
    } catch (e: unknown) {
      this.app.fail(m.briefings_duplicate_failed(), e);
    }
  }

  /** Deletes the note; true when it is gone (the view then closes). */
  async deleteBriefing(): Promise<boolean> {
    this.confirmDelete = false;
    try {
      const gone = await ipc.deleteBriefing(this.id);
      if (this.app.currentBriefingId === this.id) {
        this.app.currentBriefingId = null;
      }
      this.app.toast(m.briefings_deleted({ title: gone.title }));
      return true;
    } catch (e: unknown) {
      this.app.fail(m.briefings_delete_failed(), e);
      return false;
    }
  }
}

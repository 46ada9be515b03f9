/**
 * Words, header fields and the preview's markup of the briefing views. The patch builders
 * other views need too (search adds hits to a briefing) live in `../briefingPatch`.
 */
import type { Briefing, BriefingPatch, ExportFormat, Lang, Marking, NewBriefing, Purpose, SectionKind } from "../ipc";
import { emptyPatch } from "../briefingPatch";
import { m } from "../i18n";

/** The dataTransfer type that carries a briefing item id, for moves inside the composer. */
export const ITEM_DRAG = "application/x-dossier-item";

// Labels are getters: read in a template, they follow the page's language.
export const SECTIONS: { readonly kind: SectionKind; readonly heading: string }[] = [
  { kind: "summary", get heading() { return m.section_summary(); } },
  { kind: "issue", get heading() { return m.section_issue(); } },
  { kind: "background", get heading() { return m.section_background(); } },
  { kind: "current_status", get heading() { return m.section_current_status(); } },
  { kind: "considerations", get heading() { return m.section_considerations(); } },
  { kind: "options", get heading() { return m.section_options(); } },
  { kind: "recommendation", get heading() { return m.section_recommendation(); } },
  { kind: "next_steps", get heading() { return m.section_next_steps(); } },
];

export function sectionHeading(kind: SectionKind): string {
  return SECTIONS.find((s) => s.kind === kind)?.heading ?? kind;
}

export const MARKINGS: { readonly value: Marking; readonly label: string }[] = [
  { value: "unclassified", get label() { return m.marking_unclassified(); } },
  { value: "protected_a", get label() { return m.marking_protected_a(); } },
  { value: "protected_b", get label() { return m.marking_protected_b(); } },
];

const MARKING_RANK: Record<Marking, number> = { unclassified: 0, protected_a: 1, protected_b: 2 };

/** The more sensitive of two markings (what a note quoting both needs). */
export function higherMarking(a: Marking, b: Marking): Marking {
  return MARKING_RANK[b] > MARKING_RANK[a] ? b : a;
}

/** True when `a` is more sensitive than `b`. */
export function isAbove(a: Marking, b: Marking): boolean {
  return MARKING_RANK[a] > MARKING_RANK[b];
}

/** "PROTECTED B" / "PROTÉGÉ B": the marking as a badge prints it. */
export function markingBadge(marking: Marking): string {
  const badges: Record<Marking, () => string> = {
    unclassified: m.marking_badge_unclassified,
    protected_a: m.marking_badge_protected_a,
    protected_b: m.marking_badge_protected_b,
  };
  return badges[marking]();
}

export const PURPOSES: { readonly value: Purpose; readonly label: string }[] = [
  { value: "decision", get label() { return m.purpose_decision(); } },
  { value: "information", get label() { return m.purpose_information(); } },
  { value: "signature", get label() { return m.purpose_signature(); } },
];

/** The languages a note can be written in. */
export const NOTE_LANGS: { readonly value: Lang; readonly label: string }[] = [
  { value: "en", get label() { return m.note_lang_en(); } },
  { value: "fr", get label() { return m.note_lang_fr(); } },
];

export const FORMATS: { readonly value: ExportFormat; readonly label: string; readonly short: string }[] = [
  { value: "docx", get label() { return m.format_docx(); }, get short() { return m.format_docx_short(); } },
  { value: "pdf", label: "PDF", short: "PDF" },
  { value: "html", label: "HTML", short: "HTML" },
  { value: "md", label: "Markdown", short: "Markdown" },
];

export const markingLabel = (m: Marking) => MARKINGS.find((x) => x.value === m)?.label ?? m;
export const purposeLabel = (p: Purpose) => PURPOSES.find((x) => x.value === p)?.label ?? p;

export function newBriefingFields(fields: {
  title: string;
  title_fr: string;
  marking: Marking;
  purpose: Purpose;
  lang?: Lang;
}): NewBriefing {
  return {
    title: fields.title.trim(),
    title_fr: fields.title_fr.trim() === "" ? null : fields.title_fr.trim(),
    lang: fields.lang ?? "en",
    marking: fields.marking,
    addressee: null,
    file_number: null,
    date: null,
    purpose: fields.purpose,
    deadline: null,
    prepared_by: { name: null, title: null, phone: null },
    approved_by: { name: null, title: null, phone: null },
    decision: { maker: null, outcome: null, decided_on: null, comments: null },
  };
}

/** Every header field the composer edits, by a flat key. */
export type FieldKey =
  | "lang"
  | "marking"
  | "addressee"
  | "file_number"
  | "date"
  | "title"
  | "title_fr"
  | "purpose"
  | "deadline"
  | "prepared_by.name"
  | "prepared_by.title"
  | "prepared_by.phone"
  | "approved_by.name"
  | "approved_by.title"
  | "approved_by.phone"
  | "decision.maker"
  | "decision.outcome"
  | "decision.decided_on"
  | "decision.comments";

export const FIELD_KEYS: FieldKey[] = [
  "lang",
  "marking",
  "addressee",
  "file_number",
  "date",
  "title",
  "title_fr",
  "purpose",
  "deadline",
  "prepared_by.name",
  "prepared_by.title",
  "prepared_by.phone",
  "approved_by.name",
  "approved_by.title",
  "approved_by.phone",
  "decision.maker",
  "decision.outcome",
  "decision.decided_on",
  "decision.comments",
];

/** A field's stored value as the form shows it ("" for none). */
export function storedValue(b: Briefing, key: FieldKey): string {
  const [group, part] = key.split(".") as [string, string | undefined];
  if (part === undefined) {
    return (b as unknown as Record<string, string | null>)[group] ?? "";
  }
  const block = (b as unknown as Record<string, Record<string, string | null>>)[group];
  return block?.[part] ?? "";
}

export function formFrom(b: Briefing): Record<FieldKey, string> {
  return Object.fromEntries(FIELD_KEYS.map((k) => [k, storedValue(b, k)])) as Record<FieldKey, string>;
}

/** The patch that sets one field to `value` ("" clears an optional field). */
export function fieldPatch(key: FieldKey, value: string): BriefingPatch {
  const patch = emptyPatch();
  const [group, part] = key.split(".") as [string, string | undefined];
  if (part === undefined) {
    (patch as unknown as Record<string, string>)[group] = value;
  } else {
    const block = (patch as unknown as Record<string, Record<string, string> | undefined>)[group];
    if (block) {
      block[part] = value;
    }
  }
  return patch;
}

/**
 * The preview's body as the page can hold it: the exporter's <main>, <header> and <footer>
 * would be second landmarks inside the app's own <main>, so they become plain blocks. Text in
 * the HTML is escaped by Rust, so these tags only ever match markup.
 */
export function previewMarkup(html: string): string {
  return html
    .replace(/<main>/g, '<div class="main">')
    .replace(/<\/main>/g, "</div>")
    .replace(/<header>/g, '<div class="header">')
    .replace(/<\/header>/g, "</div>")
    .replace(/<footer( class="[^"]*")?>/g, (_m, cls: string | undefined) => `<div${cls ?? ""}>`)
    .replace(/<\/footer>/g, "</div>");
}

/** The store's messages follow a colon on a terminal; on their own they read as a sentence. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

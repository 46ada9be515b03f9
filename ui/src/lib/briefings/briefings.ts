/**
 * Words, header fields and the preview's markup of the briefing views. The patch builders
 * other views need too (search adds hits to a briefing) live in `../briefingPatch`.
 */
import type { Briefing, BriefingPatch, ExportFormat, Lang, Marking, NewBriefing, Purpose, SectionKind } from "../ipc";
import { emptyPatch } from "../briefingPatch";

/** The dataTransfer type that carries a briefing item id, for moves inside the composer. */
export const ITEM_DRAG = "application/x-dossier-item";

export const SECTIONS: { kind: SectionKind; heading: string }[] = [
  { kind: "summary", heading: "Summary" },
  { kind: "issue", heading: "Issue" },
  { kind: "background", heading: "Background" },
  { kind: "current_status", heading: "Current Status" },
  { kind: "considerations", heading: "Considerations" },
  { kind: "options", heading: "Options" },
  { kind: "recommendation", heading: "Recommendation" },
  { kind: "next_steps", heading: "Next Steps" },
];

export function sectionHeading(kind: SectionKind): string {
  return SECTIONS.find((s) => s.kind === kind)?.heading ?? kind;
}

export const MARKINGS: { value: Marking; label: string }[] = [
  { value: "unclassified", label: "Unclassified" },
  { value: "protected_a", label: "Protected A" },
  { value: "protected_b", label: "Protected B" },
];

export const PURPOSES: { value: Purpose; label: string }[] = [
  { value: "decision", label: "For decision" },
  { value: "information", label: "For information" },
  { value: "signature", label: "For signature" },
];

export const FORMATS: { value: ExportFormat; label: string; short: string }[] = [
  { value: "docx", label: "Word (.docx)", short: "Word" },
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

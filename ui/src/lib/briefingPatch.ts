/**
 * Patch builders for `edit_briefing`, shared by the composer and the search view (which adds
 * hits to a briefing). The patch types are generated from Rust and every field must be
 * present: `null` (or an empty list) leaves a part as it is, so each save sends only what
 * changed.
 */
import type { BriefingPatch, SectionKind, SectionPatch } from "./ipc";

export function emptyPatch(): BriefingPatch {
  return {
    title: null,
    title_fr: null,
    lang: null,
    marking: null,
    addressee: null,
    file_number: null,
    date: null,
    purpose: null,
    deadline: null,
    prepared_by: { name: null, title: null, phone: null },
    approved_by: { name: null, title: null, phone: null },
    decision: { maker: null, outcome: null, decided_on: null, comments: null },
    sections: [],
  };
}

export function sectionPatch(section: SectionKind, parts: Partial<Omit<SectionPatch, "section">>): SectionPatch {
  return {
    section,
    text: null,
    remove_items: [],
    remove_excerpts: [],
    add_excerpts: [],
    insert_at: null,
    group: null,
    order_items: null,
    order_excerpts: null,
    ...parts,
  };
}

/** A patch touching the given sections only. */
export function sectionsPatch(...sections: SectionPatch[]): BriefingPatch {
  return { ...emptyPatch(), sections };
}

/**
 * An in-memory stand-in for the Rust backend, behind `mockIPC`, for component tests. It keeps
 * the contracts the UI relies on (code-point ranges, quotes equal to the text they cover, tags
 * created on attach, follow-ups open first) and records every call, so a test can check what
 * the UI asked for. It is deliberately small: rules beyond these are the store's, tested there.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  BackupEntry,
  ConnectorToken,
  PairingRequest,
  Briefing,
  BriefingItem,
  BriefingPatch,
  CommandError,
  DeletedExcerpt,
  NewBriefing,
  SectionKind,
  Excerpt,
  ExcerptPatch,
  ExcerptQuery,
  ExcerptTarget,
  FollowUp,
  FollowUpPatch,
  FollowUpStatus,
  NewFollowUp,
  NewSource,
  OriginalPage,
  SavedSearch,
  SearchResults,
  Source,
  SourcePatch,
  SourceVersion,
  Tag,
  TagSpec,
  VersionComparison,
  Feed,
  FeedEntry,
  NewFeed,
  SavedSearchStatus,
  TeamStatus,
  TeamSynced,
  ListedConflict,
  LastChanged,
} from "../lib/ipc";

export const WORKSPACE = "/home/analyst/.local/share/dossier/workspace.sqlite";
const NOW = "2026-11-26T12:00:00Z";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

function fail(code: string, message: string, extra: Partial<CommandError> = {}): never {
  const error: CommandError = { code, message, existing_id: null, position: null, length: null, ...extra };
  // mockIPC rejects the invoke promise with whatever the handler throws.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw error;
}

/**
 * A UUIDv7-shaped global id, the same for the same `kind` and `key` (the store's are random): a
 * record's `uid`, which the UI passes along but never shows.
 */
export function fakeUid(kind: string, key: number | string): string {
  let h = 0x811c9dc5;
  for (const c of `${kind}:${String(key)}`) {
    h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  }
  const n = typeof key === "number" ? key : h;
  return `0190c0de-${h.toString(16).padStart(8, "0").slice(0, 4)}-7000-8000-${n.toString(16).padStart(12, "0").slice(-12)}`;
}

export function tag(path: string, overrides: Partial<Tag> = {}): Tag {
  const last = path.split("/").pop() ?? path;
  return {
    uid: fakeUid("tag", path),
    path,
    label: last.charAt(0).toUpperCase() + last.slice(1),
    label_fr: null,
    aliases: [],
    color: null,
    count: 0,
    excerpt_count: 0,
    source_count: 0,
    question_count: 0,
    ...overrides,
  };
}

export const SEED_TAGS: Tag[] = [
  tag("sector", { label: "Sector", label_fr: "Secteur" }),
  tag("sector/steel", { label: "Steel", label_fr: "Acier", aliases: ["acier"], color: "#5b6b7f" }),
  tag("sector/energy", { label: "Energy", label_fr: "Énergie", aliases: ["énergie"], color: "#ef6c00" }),
  tag("sector/dairy", { label: "Dairy", label_fr: "Produits laitiers", aliases: ["supply management"], color: "#0277bd" }),
  tag("actor", { label: "Actor" }),
  tag("actor/canada", { label: "Canada", color: "#d32f2f" }),
  tag("instrument", { label: "Instrument" }),
  tag("instrument/quota", { label: "Quota", label_fr: "Contingent", aliases: ["contingent"], color: "#4527a0" }),
];

export const BRIEFING_SECTIONS: SectionKind[] = [
  "summary",
  "issue",
  "background",
  "current_status",
  "considerations",
  "options",
  "recommendation",
  "next_steps",
];

export class FakeBackend {
  calls: Call[] = [];
  sources: Source[] = [];
  excerpts: Excerpt[] = [];
  tags: Tag[] = SEED_TAGS.map((t) => ({ ...t, aliases: [...t.aliases] }));
  followups: FollowUp[] = [];
  saved: SavedSearch[] = [];
  isSample = false;
  /** A search answer to give instead of the built-in one, by query. */
  searchAnswer: ((query: string) => SearchResults | Promise<SearchResults>) | null = null;
  /** Makes a command fail with this error. */
  failures = new Map<string, CommandError>();
  briefings: Briefing[] = [];
  backups: BackupEntry[] = [];
  pairings: PairingRequest[] = [];
  tokens: ConnectorToken[] = [];
  /** A source's versions, and what viewing or comparing them answers (set by a test). */
  versions = new Map<number, SourceVersion[]>();
  page: OriginalPage | null = null;
  comparison: VersionComparison | null = null;
  /** What `workspace_version` answers: a test moves it to play another program's change. */
  version = 1;
  /** Where `export_briefing` "saves"; null plays a cancelled save dialog. */
  exportTo: string | null = "/home/analyst/Documents/note";
  /** The language the backend remembers (`set_ui_language`). */
  uiLang: "en" | "fr" = "en";
  /** Feeds followed, inbox entries, and each alert's count of new matches (by name). */
  feeds: Feed[] = [];
  entries: FeedEntry[] = [];
  alertCounts = new Map<string, number>();
  /** The team this workspace belongs to (null: not a team's), its conflicts, and what the
   * next Sync now answers (a test sets `syncError` to play an unreachable server). */
  team: TeamStatus | null = null;
  conflicts: ListedConflict[] = [];
  syncError: CommandError | null = null;
  syncPulled = 0;
  lastChanged = new Map<number, LastChanged>();
  private nextId = 1;

  install(): this {
    mockIPC(
      (cmd, payload) => {
        // Through JSON, as over IPC: Svelte's state proxies in the arguments become plain data.
        const args = JSON.parse(JSON.stringify(payload ?? {})) as Record<string, unknown>;
        this.calls.push({ cmd, args });
        const failure = this.failures.get(cmd);
        if (failure) {
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw failure;
        }
        // A copy, as JSON over IPC would give: the UI never shares objects with the store.
        return structuredClone(this.handle(cmd, args));
      },
      { shouldMockEvents: true },
    );
    return this;
  }

  called(cmd: string): Call[] {
    return this.calls.filter((c) => c.cmd === cmd);
  }

  addSource(fields: Partial<NewSource> & { body: string }, captured = NOW): Source {
    const id = this.nextId++;
    const source: Source = {
      id,
      uid: fakeUid("source", id),
      title: fields.title || fields.body.split("\n")[0]?.slice(0, 80) || "Untitled",
      outlet: fields.outlet ?? null,
      authors: fields.authors ?? [],
      published: fields.published ?? null,
      url: fields.url ?? null,
      lang: fields.lang ?? null,
      captured_at: captured,
      excerpt_count: 0,
      tags: fields.tags ?? [],
      notes: "",
      content_hash: `hash-${id}`,
      origin: fields.origin ?? null,
      updated_at: captured,
      format: null,
      pages: null,
      ocr: null,
      copies: [],
      text: fields.body,
      marking: fields.marking ?? "unclassified",
      story: null,
    };
    this.sources.push(source);
    for (const t of source.tags) {
      this.ensureTag(t);
    }
    return source;
  }

  /** Makes the sources one story (the first id names it), each listing the others as copies. */
  linkStory(ids: number[], similarity = 0.9): void {
    const story = ids[0] ?? null;
    for (const id of ids) {
      const source = this.sources.find((s) => s.id === id) ?? fail("not_found", `no source with id ${id}`);
      source.story = story;
      source.copies = ids.filter((o) => o !== id).map((o) => ({ id: o, similarity }));
    }
  }

  addExcerpt(sourceId: number, target: ExcerptTarget, note = "", tags: string[] = []): Excerpt {
    const source = this.sources.find((s) => s.id === sourceId) ?? fail("not_found", `no source with id ${sourceId}`);
    const chars = Array.from(source.text);
    let start: number;
    let end: number;
    if (target.by === "range") {
      ({ start, end } = target);
      if (start >= end || end > chars.length) {
        fail("anchor", `the range ${start}..${end} is not inside the source's text (${chars.length} characters)`);
      }
    } else {
      const at = source.text.indexOf(target.quote);
      if (at < 0) {
        fail("anchor", `the quote "${target.quote}" does not occur in the source's text`);
      }
      start = Array.from(source.text.slice(0, at)).length;
      end = start + Array.from(target.quote).length;
    }
    const excerptId = this.nextId++;
    const excerpt: Excerpt = {
      id: excerptId,
      uid: fakeUid("excerpt", excerptId),
      source_id: sourceId,
      quote: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(0, start - 32), start).join(""),
      suffix: chars.slice(end, end + 32).join(""),
      start,
      end,
      note: note.trim(),
      tags: tags.map((t) => this.ensureTag(t)),
      orphaned: false,
      created_at: NOW,
      updated_at: NOW,
      marking: source.marking,
      own_marking: null,
    };
    this.excerpts.push(excerpt);
    source.excerpt_count++;
    return excerpt;
  }

  addFollowup(fields: Partial<NewFollowUp> & { text: string }, status: FollowUpStatus = "open"): FollowUp {
    const followupId = this.nextId++;
    const followup: FollowUp = {
      id: followupId,
      uid: fakeUid("followup", followupId),
      text: fields.text,
      status,
      due: fields.due ?? null,
      owner: fields.owner ?? null,
      excerpt_ids: fields.excerpt_ids ?? [],
      source_ids: fields.source_ids ?? [],
      tags: fields.tags ?? [],
      answer: null,
      answer_excerpt_ids: [],
      created_at: NOW,
      updated_at: NOW,
      answered_at: null,
    };
    this.followups.push(followup);
    return followup;
  }

  addBriefing(fields: Partial<NewBriefing> & { title: string }): Briefing {
    const briefingId = this.nextId++;
    const briefing: Briefing = {
      id: briefingId,
      uid: fakeUid("briefing", briefingId),
      marking: fields.marking ?? "unclassified",
      lang: fields.lang ?? "en",
      addressee: fields.addressee ?? null,
      file_number: fields.file_number ?? null,
      date: fields.date ?? null,
      title: fields.title,
      title_fr: fields.title_fr ?? null,
      purpose: fields.purpose ?? "information",
      deadline: fields.deadline ?? null,
      sections: BRIEFING_SECTIONS.map((kind) => ({ kind, text: "", items: [] })),
      prepared_by: fields.prepared_by ?? { name: null, title: null, phone: null },
      approved_by: fields.approved_by ?? { name: null, title: null, phone: null },
      decision: fields.decision ?? { maker: null, outcome: null, decided_on: null, comments: null },
      created_at: NOW,
      updated_at: NOW,
    };
    this.briefings.push(briefing);
    return briefing;
  }

  /** Appends an excerpt to a section, as the store does (refusing one already there). */
  addBriefingItem(briefing: Briefing, kind: SectionKind, excerptId: number, group: string | null = null): BriefingItem {
    const section = briefing.sections.find((s) => s.kind === kind) ?? fail("invalid", `no section ${kind}`);
    if (section.items.some((i) => i.excerpt_id === excerptId)) {
      fail("invalid", `excerpt ${excerptId} is already in ${kind.replace("_", " ")}; nothing was changed`);
    }
    const excerpt = this.excerpts.find((e) => e.id === excerptId) ?? fail("not_found", `no excerpt with id ${excerptId}`);
    const source = this.sources.find((s) => s.id === excerpt.source_id);
    const itemId = this.nextId++;
    const item: BriefingItem = {
      id: itemId,
      uid: fakeUid("briefing_item", itemId),
      excerpt_id: excerptId,
      source_id: excerpt.source_id,
      group,
      quote: excerpt.quote,
      note: excerpt.note,
      citation: {
        outlet: source?.outlet ?? null,
        title: source?.title ?? "",
        authors: source?.authors ?? [],
        published: source?.published ?? null,
        url: source?.url ?? null,
        page: null,
      },
      status: "live",
      marking: excerpt.marking,
    };
    section.items.push(item);
    return item;
  }

  private briefing(id: unknown): Briefing {
    return this.briefings.find((b) => b.id === id) ?? fail("not_found", `no briefing with id ${String(id)}`);
  }

  private editBriefing(b: Briefing, patch: BriefingPatch): Briefing {
    const checkDate = (value: string | null) => {
      if (value !== null && value !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        fail("invalid", `"${value}" is not a date; write it as YYYY-MM-DD`);
      }
    };
    checkDate(patch.date);
    checkDate(patch.deadline);
    if (patch.title !== null && patch.title.trim() === "") {
      fail("invalid", "a briefing needs a title");
    }
    const opt = (value: string | null, old: string | null) => (value === null ? old : value === "" ? null : value);
    b.title = patch.title ?? b.title;
    b.title_fr = opt(patch.title_fr, b.title_fr);
    b.marking = patch.marking ?? b.marking;
    b.lang = patch.lang ?? b.lang;
    b.addressee = opt(patch.addressee, b.addressee);
    b.file_number = opt(patch.file_number, b.file_number);
    b.date = opt(patch.date, b.date);
    b.purpose = patch.purpose ?? b.purpose;
    b.deadline = opt(patch.deadline, b.deadline);
    for (const who of ["prepared_by", "approved_by"] as const) {
      const c = patch[who];
      b[who] = { name: opt(c.name, b[who].name), title: opt(c.title, b[who].title), phone: opt(c.phone, b[who].phone) };
    }
    b.decision = {
      maker: opt(patch.decision.maker, b.decision.maker),
      outcome: opt(patch.decision.outcome, b.decision.outcome) as Briefing["decision"]["outcome"],
      decided_on: opt(patch.decision.decided_on, b.decision.decided_on),
      comments: opt(patch.decision.comments, b.decision.comments),
    };
    for (const sp of patch.sections) {
      const section = b.sections.find((s) => s.kind === sp.section) ?? fail("invalid", "no such section");
      if (sp.text !== null) {
        section.text = sp.text;
      }
      section.items = section.items.filter((i) => !sp.remove_items.includes(i.id) && !sp.remove_excerpts.includes(i.excerpt_id ?? -1));
      const added = sp.add_excerpts.map((id) => this.addBriefingItem(b, sp.section, id, sp.group));
      if (sp.insert_at !== null && added.length > 0) {
        // Past the end means last, as in the store.
        const rest = section.items.filter((i) => !added.includes(i));
        const at = Math.min(sp.insert_at, rest.length);
        section.items = [...rest.slice(0, at), ...added, ...rest.slice(at)];
      }
      if (sp.order_items) {
        const first = sp.order_items.map((id) => section.items.find((i) => i.id === id)).filter((i): i is BriefingItem => i !== undefined);
        section.items = [...first, ...section.items.filter((i) => !first.includes(i))];
      }
    }
    return b;
  }

  /** The store's undo of a delete: same range (and id, when free), tags and question links. */
  private restoreExcerpt(deleted: DeletedExcerpt): Excerpt {
    const e = deleted.excerpt;
    const source = this.sources.find((s) => s.id === e.source_id) ?? fail("not_found", `no source with id ${e.source_id}`);
    if (Array.from(source.text).slice(e.start, e.end).join("") !== e.quote) {
      fail(
        "invalid",
        `excerpt ${e.id} cannot be restored: the text of source ${e.source_id} has changed, and characters ${e.start}–${e.end} no longer hold its quote; nothing was changed`,
      );
    }
    const excerpt: Excerpt = { ...structuredClone(e), updated_at: NOW };
    if (this.excerpts.some((x) => x.id === e.id)) {
      excerpt.id = this.nextId++;
    }
    excerpt.tags = e.tags.map((t) => this.ensureTag(t));
    this.excerpts.push(excerpt);
    source.excerpt_count++;
    // A follow-up deleted since is skipped: the excerpt comes back without it.
    for (const f of this.followups) {
      if (deleted.followup_ids.includes(f.id) && !f.excerpt_ids.includes(excerpt.id)) {
        f.excerpt_ids = [...f.excerpt_ids, excerpt.id];
      }
      if (deleted.answer_followup_ids.includes(f.id) && !f.answer_excerpt_ids.includes(excerpt.id)) {
        f.answer_excerpt_ids = [...f.answer_excerpt_ids, excerpt.id];
      }
    }
    return excerpt;
  }

  private preview(b: Briefing): string {
    const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const sections = b.sections
      .map((s) => `<section>\n<h2>${s.kind}</h2>\n<p>${esc(s.text)}</p>\n${s.items.map((i) => `<blockquote><p>${esc(i.quote)}</p></blockquote>`).join("\n")}</section>`)
      .join("\n");
    return `<p class="marking">${b.marking}</p>\n<header>\n<h1 class="subject">${esc(b.title)}</h1>\n</header>\n<main>\n${sections}\n</main>\n<footer class="notes"></footer>\n`;
  }

  /** The tag `input` names (path, label, alias), created as a path when none does. */
  ensureTag(input: string): string {
    const fold = (s: string) =>
      s
        .normalize("NFD")
        .replace(/\p{Mn}/gu, "")
        .toLowerCase();
    const found = this.tags.find(
      (t) => t.path === input || fold(t.label) === fold(input) || t.aliases.some((a) => fold(a) === fold(input)),
    );
    if (found) {
      return found.path;
    }
    this.tags.push(tag(input));
    return input;
  }

  private counts(): { sources: number; excerpts: number; tags: number; questions: number; briefings: number } {
    return {
      sources: this.sources.length,
      excerpts: this.excerpts.length,
      tags: this.tags.length,
      questions: this.followups.length,
      briefings: this.briefings.length,
    };
  }

  private counted(): Tag[] {
    return this.tags
      .map((t) => {
        const excerpt_count = this.excerpts.filter((e) => e.tags.includes(t.path)).length;
        const source_count = this.sources.filter((s) => s.tags.includes(t.path)).length;
        const question_count = this.followups.filter((f) => f.tags.includes(t.path)).length;
        return { ...t, excerpt_count, source_count, question_count, count: excerpt_count + source_count + question_count };
      })
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  private tagByName(input: string): Tag {
    return this.tags.find((t) => t.path === input || t.label === input) ?? fail("not_found", `no tag matches "${input}"`);
  }

  private followup(id: unknown): FollowUp {
    return this.followups.find((f) => f.id === id) ?? fail("not_found", `no follow-up with id ${String(id)}`);
  }

  private handle(cmd: string, args: Record<string, unknown>): unknown {
    switch (cmd) {
      case "source_versions":
        return this.versions.get(args["id"] as number) ?? [];
      case "original_page":
        return this.page ?? fail("invalid", "this version is not a web page");
      case "open_original": {
        const [id, version] = [String(args["id"]), String(args["version"])];
        const path = `/home/analyst/.cache/ca.dossier.desktop/originals/source-${id}-v${version}.pdf`;
        return { source_id: args["id"], version: args["version"], format: "pdf", extension: "pdf", sha256: "", path, bytes: 2048 };
      }
      case "compare_versions":
        return this.comparison ?? fail("invalid", "there is nothing to compare this version with");
      case "workspace_info":
        return { path: WORKSPACE, is_sample: this.isSample };
      case "open_sample_workspace":
        this.isSample = true;
        return { path: WORKSPACE.replace("workspace.sqlite", "sample.sqlite"), is_sample: true };
      case "list_sources":
        return this.sources.map((s) => ({
          id: s.id,
          title: s.title,
          outlet: s.outlet,
          authors: s.authors,
          published: s.published,
          url: s.url,
          lang: s.lang,
          captured_at: s.captured_at,
          excerpt_count: s.excerpt_count,
          tags: s.tags,
          story: s.story,
        }));
      case "get_source":
        return this.sources.find((s) => s.id === args["id"]) ?? fail("not_found", `no source with id ${String(args["id"])}`);
      case "add_source": {
        const fields = args["source"] as NewSource;
        const existing = this.sources.find((s) => s.text === fields.body);
        if (existing) {
          fail("duplicate_source", `this text is already in the workspace as source ${existing.id} ("${existing.title}"); nothing was added`, {
            existing_id: existing.id,
          });
        }
        return this.addSource(fields);
      }
      case "edit_source": {
        const source = this.sources.find((s) => s.id === args["id"]) ?? fail("not_found", "no source");
        const patch = args["patch"] as SourcePatch;
        if (patch.title !== null) {
          source.title = patch.title;
        }
        if (patch.outlet !== null) {
          source.outlet = patch.outlet === "" ? null : patch.outlet;
        }
        if (patch.authors !== null) {
          source.authors = patch.authors;
        }
        source.tags = [...source.tags.filter((t) => !patch.remove_tags.includes(t)), ...patch.add_tags.map((t) => this.ensureTag(t))];
        return source;
      }
      case "split_source": {
        const id = args["id"] as number;
        const source = this.sources.find((s) => s.id === id) ?? fail("not_found", `no source with id ${id}`);
        const story = source.story;
        source.story = null;
        source.copies = [];
        for (const other of this.sources) {
          if (story !== null && other.story === story) {
            other.copies = other.copies.filter((c) => c.id !== id);
          }
        }
        const left = this.sources.filter((s) => story !== null && s.story === story);
        if (left.length === 1 && left[0]) {
          left[0].story = null;
        }
        return { id, story };
      }
      case "delete_source": {
        const id = args["id"] as number;
        const source = this.sources.find((s) => s.id === id) ?? fail("not_found", `no source with id ${id}`);
        const count = this.excerpts.filter((e) => e.source_id === id).length;
        this.sources = this.sources.filter((s) => s.id !== id);
        this.excerpts = this.excerpts.filter((e) => e.source_id !== id);
        return { id, uid: source.uid, title: source.title, excerpts: count };
      }
      case "list_excerpts": {
        const query = args["query"] as ExcerptQuery;
        return this.excerpts.filter(
          (e) =>
            (query.source_id === null || e.source_id === query.source_id) &&
            (query.tag === null || e.tags.some((t) => t === query.tag || t.startsWith(`${query.tag ?? ""}/`))),
        );
      }
      case "get_excerpt":
        return this.excerpts.find((e) => e.id === args["id"]) ?? fail("not_found", `no excerpt with id ${String(args["id"])}`);
      case "add_excerpt": {
        // One transaction in the store: a refused excerpt leaves no question behind.
        const excerpt = this.addExcerpt(args["source_id"] as number, args["target"] as ExcerptTarget, args["note"] as string, args["tags"] as string[]);
        const question = ((args["question"] as string | null | undefined) ?? "").trim();
        if (question !== "") {
          this.addFollowup({ text: question, excerpt_ids: [excerpt.id] });
        }
        return excerpt;
      }
      case "edit_excerpt": {
        const excerpt = this.excerpts.find((e) => e.id === args["id"]) ?? fail("not_found", "no excerpt");
        const patch = args["patch"] as ExcerptPatch;
        if (patch.note !== null) {
          excerpt.note = patch.note.trim();
        }
        excerpt.tags = excerpt.tags.filter((t) => !patch.remove_tags.includes(t));
        for (const t of patch.add_tags) {
          const path = this.ensureTag(t);
          if (!excerpt.tags.includes(path)) {
            excerpt.tags.push(path);
          }
        }
        return { ...excerpt, tags: [...excerpt.tags] };
      }
      case "delete_excerpt": {
        const excerpt = this.excerpts.find((e) => e.id === args["id"]) ?? fail("not_found", "no excerpt");
        this.excerpts = this.excerpts.filter((e) => e !== excerpt);
        const source = this.sources.find((s) => s.id === excerpt.source_id);
        if (source) {
          source.excerpt_count--;
        }
        const deleted: DeletedExcerpt = {
          excerpt: structuredClone(excerpt),
          followup_ids: this.followups.filter((f) => f.excerpt_ids.includes(excerpt.id)).map((f) => f.id),
          answer_followup_ids: this.followups.filter((f) => f.answer_excerpt_ids.includes(excerpt.id)).map((f) => f.id),
        };
        for (const f of this.followups) {
          f.excerpt_ids = f.excerpt_ids.filter((id) => id !== excerpt.id);
          f.answer_excerpt_ids = f.answer_excerpt_ids.filter((id) => id !== excerpt.id);
        }
        return deleted;
      }
      case "restore_excerpt":
        return this.restoreExcerpt(args["deleted"] as DeletedExcerpt);
      case "list_tags":
        return this.counted();
      case "add_tag": {
        const path = args["path"] as string;
        if (this.tags.some((t) => t.path === path)) {
          fail("conflict", `the tag ${path} already exists`);
        }
        const spec = args["spec"] as TagSpec;
        this.tags.push(tag(path, spec.label ? { label: spec.label } : {}));
        return this.counted().find((t) => t.path === path);
      }
      case "edit_tag": {
        const t = this.tagByName(args["tag"] as string);
        const spec = args["spec"] as TagSpec;
        if (spec.label) {
          t.label = spec.label;
        }
        if (spec.label_fr !== null) {
          t.label_fr = spec.label_fr === "" ? null : spec.label_fr;
        }
        if (spec.color !== null) {
          t.color = spec.color === "" ? null : spec.color;
        }
        t.aliases = [...t.aliases.filter((a) => !spec.remove_aliases.includes(a)), ...spec.add_aliases];
        return this.counted().find((x) => x.path === t.path);
      }
      case "rename_tag": {
        const from = this.tagByName(args["from"] as string).path;
        const to = args["to"] as string;
        if (this.tags.some((t) => t.path === to)) {
          fail("conflict", `the tag ${to} already exists; to fold one tag into the other use \`tag merge\`, which moves every attachment`);
        }
        const renamed: [string, string][] = [];
        const move = (p: string) => (p === from || p.startsWith(`${from}/`) ? to + p.slice(from.length) : p);
        for (const t of this.tags) {
          const next = move(t.path);
          if (next !== t.path) {
            renamed.push([t.path, next]);
            t.path = next;
          }
        }
        for (const e of this.excerpts) {
          e.tags = e.tags.map(move);
        }
        for (const s of this.sources) {
          s.tags = s.tags.map(move);
        }
        return { from, to, renamed };
      }
      case "merge_tag": {
        const from = this.tagByName(args["from"] as string).path;
        const into = this.tagByName(args["into"] as string).path;
        let moved = 0;
        for (const e of this.excerpts) {
          if (e.tags.includes(from)) {
            e.tags = [...new Set(e.tags.map((t) => (t === from ? into : t)))];
            moved++;
          }
        }
        this.tags = this.tags.filter((t) => t.path !== from);
        return { from, into, moved, removed: [from] };
      }
      case "delete_tag": {
        const path = this.tagByName(args["tag"] as string).path;
        const gone = this.tags.filter((t) => t.path === path || t.path.startsWith(`${path}/`)).map((t) => t.path);
        this.tags = this.tags.filter((t) => !gone.includes(t.path));
        for (const e of this.excerpts) {
          e.tags = e.tags.filter((t) => !gone.includes(t));
        }
        return gone;
      }
      case "list_followups": {
        const order = { open: 0, answered: 1, dropped: 2 };
        return [...this.followups]
          .filter((f) => args["status"] == null || f.status === args["status"])
          .sort((a, b) => order[a.status] - order[b.status] || (a.due ?? "9999").localeCompare(b.due ?? "9999") || a.id - b.id);
      }
      case "add_followup":
        return this.addFollowup(args["followup"] as NewFollowUp);
      case "edit_followup": {
        const f = this.followup(args["id"]);
        const patch = args["patch"] as FollowUpPatch;
        if (patch.text !== null) {
          f.text = patch.text;
        }
        if (patch.due !== null) {
          f.due = patch.due === "" ? null : patch.due;
        }
        if (patch.owner !== null) {
          f.owner = patch.owner === "" ? null : patch.owner;
        }
        f.excerpt_ids = [...new Set([...f.excerpt_ids, ...patch.add_excerpt_ids])];
        return f;
      }
      case "answer_followup": {
        const f = this.followup(args["id"]);
        f.status = "answered";
        f.answer = args["answer"] as string;
        f.answer_excerpt_ids = args["excerpt_ids"] as number[];
        f.answered_at = NOW;
        return f;
      }
      case "set_followup_status": {
        const f = this.followup(args["id"]);
        f.status = args["status"] as FollowUpStatus;
        return f;
      }
      case "delete_followup":
        this.followups = this.followups.filter((f) => f.id !== args["id"]);
        return null;
      case "search":
        return this.searchAnswer ? this.searchAnswer(args["query"] as string) : this.search(args["query"] as string);
      case "save_search": {
        const name = args["name"] as string;
        const savedId = this.nextId++;
        const saved: SavedSearch = {
          id: savedId,
          uid: fakeUid("saved_search", savedId),
          name,
          query: args["query"] as string,
          alert: false,
          created_at: NOW,
          updated_at: NOW,
        };
        this.saved = [...this.saved.filter((s) => s.name !== name), saved];
        return saved;
      }
      case "list_saved_searches":
        return this.saved;
      case "delete_saved_search": {
        const found = this.saved.find((s) => s.name === args["name"]) ?? fail("not_found", "no saved search");
        this.saved = this.saved.filter((s) => s !== found);
        return found;
      }
      case "workspace_version":
        return this.version;
      case "list_briefings":
        return this.briefings.map((b) => ({
          id: b.id,
          uid: b.uid,
          title: b.title,
          title_fr: b.title_fr,
          marking: b.marking,
          purpose: b.purpose,
          date: b.date,
          deadline: b.deadline,
          item_count: b.sections.reduce((n, s) => n + s.items.length, 0),
          updated_at: b.updated_at,
        }));
      case "get_briefing":
        return this.briefing(args["id"]);
      case "new_briefing": {
        const fields = args["fields"] as NewBriefing;
        if (fields.title.trim() === "") {
          fail("invalid", "a briefing needs a title");
        }
        return this.addBriefing(fields);
      }
      case "draft_briefing": {
        const query = (args["query"] as string).toLowerCase();
        const found = this.excerpts.filter((e) => e.quote.toLowerCase().includes(query));
        if (found.length === 0) {
          fail("invalid", "nothing to draft from: no excerpt or follow-up matched; no briefing was created");
        }
        const b = this.addBriefing(args["fields"] as NewBriefing);
        for (const e of found) {
          this.addBriefingItem(b, "current_status", e.id);
        }
        return b;
      }
      case "edit_briefing":
        return this.editBriefing(this.briefing(args["id"]), args["patch"] as BriefingPatch);
      case "move_briefing_item": {
        const b = this.briefing(args["id"]);
        const itemId = args["item_id"] as number;
        const from = b.sections.find((s) => s.items.some((i) => i.id === itemId)) ?? fail("not_found", `no item ${itemId}`);
        const item = from.items.find((i) => i.id === itemId) as BriefingItem;
        from.items = from.items.filter((i) => i !== item);
        const to = b.sections.find((s) => s.kind === args["to"]) ?? fail("invalid", "no such section");
        const at = Math.min(Math.max((args["position"] as number) - 1, 0), to.items.length);
        to.items.splice(at, 0, item);
        return b;
      }
      case "duplicate_briefing": {
        const b = this.briefing(args["id"]);
        const copy = structuredClone(b);
        copy.id = this.nextId++;
        copy.title = `${b.title} (copy)`;
        this.briefings.push(copy);
        return copy;
      }
      case "delete_briefing": {
        const b = this.briefing(args["id"]);
        this.briefings = this.briefings.filter((x) => x !== b);
        return { id: b.id, uid: b.uid, title: b.title };
      }
      case "preview_briefing":
        return this.preview(this.briefing(args["id"]));
      case "export_briefing":
        return this.exportTo === null ? null : { path: `${this.exportTo}.${String(args["format"])}`, bytes: 2048 };
      case "list_backups":
        return this.backups;
      case "backup_now": {
        const name = `workspace-manual-${this.backups.length + 1}.sqlite`;
        const path = `/home/analyst/.local/share/dossier/backups/${name}`;
        this.backups = [{ name, path, kind: "manual", taken_at: NOW, bytes: 40_960 }, ...this.backups];
        return { path, bytes: 40_960, counts: this.counts() };
      }
      case "restore_backup": {
        const name = args["name"] as string;
        const found = this.backups.find((b) => b.name === name) ?? fail("not_found", `no backup named ${name}`);
        return { restored_from: found.path, kept_aside: "/home/analyst/.local/share/dossier/backups/before-restore.sqlite", counts: this.counts() };
      }
      case "restore_from_file":
        return null;
      case "list_feeds":
        return this.feeds.map((f) => ({ ...f, new_entries: this.entries.filter((e) => e.feed_id === f.id && e.status === "new").length }));
      case "add_feed": {
        const added = args["new"] as NewFeed;
        if (!/^https?:\/\//i.test(added.url)) {
          fail("bad_url", `${added.url}: only http:// and https:// feeds can be followed`);
        }
        const feed: Feed = {
          id: this.nextId++,
          uid: `feed-${String(this.nextId)}`,
          url: added.url,
          title: added.title ?? "",
          tags: added.tags,
          every: added.every ?? 60,
          full_text: added.full_text,
          auto: added.auto,
          last_polled: null,
          last_error: null,
          next_poll: null,
          failures: 0,
          entries: 0,
          new_entries: 0,
        };
        this.feeds = [...this.feeds, feed];
        return feed;
      }
      case "edit_feed": {
        const feed = this.feeds.find((f) => f.id === args["id"]) ?? fail("not_found", "no feed");
        return feed;
      }
      case "remove_feed": {
        const feed = this.feeds.find((f) => f.id === args["id"]) ?? fail("not_found", "no feed");
        this.feeds = this.feeds.filter((f) => f !== feed);
        this.entries = this.entries.filter((e) => e.feed_id !== feed.id);
        return feed;
      }
      case "poll_feeds":
        return { report: { feeds: [], new: 0, auto_kept: 0 }, inbox: this.inboxCount(), alerts: 0 };
      case "list_inbox":
        return this.entries.filter(
          (e) => (args["feed"] == null || e.feed_id === args["feed"]) && (args["status"] == null || e.status === args["status"]),
        );
      case "keep_entries": {
        const ids = args["ids"] as number[];
        const kept = ids.map((id) => {
          const entry = this.entries.find((e) => e.id === id) ?? fail("not_found", `no entry ${String(id)}`);
          const source = this.addSource({ title: entry.title, body: `${entry.title}\n\n${entry.summary}`, url: entry.link });
          entry.status = "kept";
          entry.source_id = source.id;
          return { id, source: { ...source, excerpt_count: 0 }, error: null };
        });
        return { kept, failed: 0 };
      }
      case "dismiss_entries": {
        const ids = args["ids"] as number[];
        return ids.map((id) => {
          const entry = this.entries.find((e) => e.id === id) ?? fail("not_found", `no entry ${String(id)}`);
          entry.status = "dismissed";
          return entry;
        });
      }
      case "list_alerts":
        return this.alertStatuses();
      case "mark_search_seen": {
        const name = args["name"] as string;
        this.alertCounts.set(name, 0);
        return this.alertStatuses().find((a) => a.name === name) ?? fail("not_found", "no saved search");
      }
      case "sidebar_counts":
        return { inbox: this.inboxCount(), alerts: this.alertStatuses().filter((a) => a.new_count > 0).length };
      case "ui_language":
        return { lang: this.uiLang, system: "en", chosen: this.uiLang !== "en" };
      case "set_ui_language":
        this.uiLang = args["lang"] === "fr" ? "fr" : "en";
        return { lang: this.uiLang, system: "en", chosen: true };
      case "connector_status":
        return { port: 47810, workspace: WORKSPACE, error: null };
      case "connector_pending":
        return this.pairings;
      case "connector_answer": {
        const request = this.pairings.find((p) => p.id === args["id"]);
        if (!request) {
          return fail("not_found", `no pairing request ${String(args["id"])} is waiting`);
        }
        this.pairings = this.pairings.filter((p) => p !== request);
        if (args["allow"] === true) {
          const id = this.tokens.length + 1;
          this.tokens.push({ id, uid: `t${id}`, client: request.client, created_at: NOW, last_used_at: null, revoked_at: null });
        }
        return null;
      }
      case "connector_tokens":
        return this.tokens;
      case "connector_revoke": {
        const token = this.tokens.find((t) => t.id === args["id"]);
        if (!token) {
          return fail("not_found", `no connector token with id ${String(args["id"])}`);
        }
        token.revoked_at ??= NOW;
        return token;
      }
      case "team_status":
        return this.team;
      case "sync_now": {
        if (!this.team) {
          return fail("not_a_team", "this workspace does not belong to a team");
        }
        const answer: TeamSynced = this.syncError
          ? { status: { ...this.team, last_error: this.syncError.message }, report: null, error: this.syncError }
          : {
              status: { ...this.team, pending: 0, last_sync: NOW, last_error: null },
              report: { pushed: this.team.pending, pulled: this.syncPulled, conflicts: 0 },
              error: null,
            };
        this.team = answer.status;
        return answer;
      }
      case "list_conflicts":
        return this.conflicts.filter((c) => c.resolved === null);
      case "resolve_conflict": {
        const conflict = this.conflicts.find((c) => c.id === args["id"]);
        if (!conflict) {
          return fail("invalid_input", `no conflict with id ${String(args["id"])}`);
        }
        conflict.resolved = NOW;
        conflict.resolved_by = this.team?.role ?? "me";
        conflict.showing = args["keep"] as string;
        if (this.team) {
          this.team = { ...this.team, conflicts: Math.max(0, this.team.conflicts - 1), pending: this.team.pending + 1 };
        }
        return conflict;
      }
      case "excerpt_last_changed":
        return this.team ? (this.lastChanged.get(args["id"] as number) ?? null) : null;
      default:
        return fail("ipc", `unexpected command ${cmd}`);
    }
  }

  private inboxCount(): number {
    return this.entries.filter((e) => e.status === "new").length;
  }

  private alertStatuses(): SavedSearchStatus[] {
    return this.saved.filter((s) => s.alert).map((s) => ({ ...s, new_count: this.alertCounts.get(s.name) ?? 0 }));
  }

  /** Excerpts whose quote contains the query, as the real search would mark them. */
  private search(full: string): SearchResults {
    // A `type:excerpt` filter changes nothing here: only excerpts are searched.
    const query = full.replace(/\s*type:excerpt\b/g, "").trim();
    const results = this.excerpts
      .filter((e) => e.quote.toLowerCase().includes(query.toLowerCase()))
      .map((e) => {
        const at = e.quote.toLowerCase().indexOf(query.toLowerCase());
        return {
          kind: "excerpt" as const,
          id: e.id,
          uid: e.uid,
          source_id: e.source_id,
          title: this.sources.find((s) => s.id === e.source_id)?.title ?? "",
          snippet: "",
          snippet_parts: [
            { text: e.quote.slice(0, at), mark: false },
            { text: e.quote.slice(at, at + query.length), mark: true },
            { text: e.quote.slice(at + query.length), mark: false },
          ].filter((p) => p.text !== ""),
          score: 1,
          tags: e.tags,
          outlet: null,
          published: null,
          quote: e.quote,
          start: e.start,
          end: e.end,
          status: null,
          due: null,
          marking: e.marking,
          matched_via: [],
          copies: [],
        };
      });
    return {
      query: full,
      total: results.length,
      limit: 50,
      offset: 0,
      results,
      expansions: [],
      facets: { types: results.length ? [{ value: "excerpt", count: results.length }] : [], tags: [], outlets: [], langs: [], statuses: [] },
    };
  }
}

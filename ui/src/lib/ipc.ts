/**
 * The only door from the UI to the Rust backend: one typed function per Tauri command, named
 * after it, with the argument names the command declares (snake_case, like the types).
 *
 * Every rejection is normalised to a `CommandError` here, because `invoke` can reject with
 * our own `{ code, message }`, with a bare string from Tauri itself (unknown command, denied
 * permission), or with anything a mocked backend throws; components only ever see one shape.
 */
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AutoBackup,
  BackupEntry,
  BackupMade,
  Briefing,
  BriefingPatch,
  BriefingSummary,
  CommandError,
  ConnectorStatus,
  ConnectorToken,
  PairingRequest,
  DeletedBriefing,
  DeletedExcerpt,
  ExportFormat,
  ExportedFile,
  NewBriefing,
  RestoreDone,
  SectionKind,
  DeletedSource,
  Excerpt,
  ExcerptPatch,
  ExcerptQuery,
  ExcerptTarget,
  FollowUp,
  FollowUpPatch,
  FollowUpStatus,
  ImportProgress,
  ImportSummary,
  MergedTag,
  NewFollowUp,
  NewSource,
  OpenedFile,
  OriginalPage,
  SavedOriginal,
  SourceVersion,
  VersionComparison,
  RenamedTag,
  SavedSearch,
  SearchResults,
  Source,
  SourcePatch,
  SourceSummary,
  SplitSource,
  Tag,
  TagSpec,
  WorkspaceChanged,
  WorkspaceInfo,
  Lang,
  Marking,
  UiLanguage,
  EntryStatus,
  Feed,
  FeedEntry,
  FeedPatch,
  FeedsPolled,
  KeepReport,
  NewFeed,
  SavedSearchStatus,
  SidebarCounts,
  TeamStatus,
  TeamSynced,
  ListedConflict,
  LastChanged,
} from "./bindings";

export type * from "./bindings";

/** Thrown by every function in this module. */
export class IpcError extends Error implements CommandError {
  readonly code: string;
  readonly existing_id: number | null;
  readonly position: number | null;
  readonly length: number | null;
  readonly params: Record<string, string>;

  constructor(error: CommandError) {
    super(error.message);
    this.name = "IpcError";
    this.code = error.code;
    this.existing_id = error.existing_id ?? null;
    this.position = error.position ?? null;
    this.length = error.length ?? null;
    this.params = error.params ?? {};
  }
}

function field(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key];
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

/** The `params` of an error, keeping only string values (what the backend sends). */
function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string") {
        out[key] = item;
      }
    }
  }
  return out;
}

export function toCommandError(error: unknown): CommandError {
  const shape = (code: string, message: string): CommandError => ({
    code,
    message,
    existing_id: null,
    position: null,
    length: null,
    params: {},
  });
  if (typeof error === "object" && error !== null) {
    const code = field(error, "code");
    const message = field(error, "message");
    if (typeof code === "string" && typeof message === "string") {
      return {
        code,
        message,
        existing_id: numberOrNull(field(error, "existing_id")),
        position: numberOrNull(field(error, "position")),
        length: numberOrNull(field(error, "length")),
        params: stringMap(field(error, "params")),
      };
    }
  }
  if (typeof error === "string") {
    return shape("ipc", error);
  }
  if (error instanceof Error) {
    return shape("ipc", error.message);
  }
  return shape("unknown", "The app's backend returned an unexpected error.");
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    throw new IpcError(toCommandError(error));
  }
}

// Workspace

/** Where the open workspace lives on disk. */
export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call("workspace_info");
}

/** Opens (creating and filling it the first time) the sample workspace. */
export function openSampleWorkspace(): Promise<WorkspaceInfo> {
  return call("open_sample_workspace");
}

/** Goes back to the default workspace. */
export function openDefaultWorkspace(): Promise<WorkspaceInfo> {
  return call("open_default_workspace");
}

/** Asks for a workspace file and opens it; `null` when cancelled. */
export function openWorkspace(): Promise<WorkspaceInfo | null> {
  return call("open_workspace");
}

/** Asks where to create a workspace and opens it; `null` when cancelled. */
export function newWorkspace(): Promise<WorkspaceInfo | null> {
  return call("new_workspace");
}

/**
 * Changes when another program (the CLI) commits to the workspace; the window's own changes
 * leave it alone. Asked on focus, to reload only when something moved underneath.
 */
export function workspaceVersion(): Promise<number> {
  return call("workspace_version");
}

// Sources

/** Every source in the workspace (the store decides the order). */
export function listSources(): Promise<SourceSummary[]> {
  return call("list_sources");
}

export function getSource(id: number): Promise<Source> {
  return call("get_source", { id });
}

export function addSource(source: NewSource): Promise<Source> {
  return call("add_source", { source });
}

export function editSource(id: number, patch: SourcePatch): Promise<Source> {
  return call("edit_source", { id, patch });
}

export function deleteSource(id: number): Promise<DeletedSource> {
  return call("delete_source", { id });
}

/** Takes a source out of the story it shares with its copies ("not the same story"). */
export function splitSource(id: number): Promise<SplitSource> {
  return call("split_source", { id });
}

/** Asks for a .txt or .md file and returns its text; `null` when cancelled. */
export function openTextFile(): Promise<OpenedFile | null> {
  return call("open_text_file");
}

// Excerpts

export function listExcerpts(query: ExcerptQuery): Promise<Excerpt[]> {
  return call("list_excerpts", { query });
}

export function getExcerpt(id: number): Promise<Excerpt> {
  return call("get_excerpt", { id });
}

/**
 * `target` counts code points of the source's text (see `anchors.ts`). A `question` about the
 * passage is stored with the excerpt in the same transaction, as an open follow-up.
 */
export function addExcerpt(
  sourceId: number,
  target: ExcerptTarget,
  note: string,
  tags: string[],
  question: string | null = null,
  marking: Marking | null = null,
): Promise<Excerpt> {
  return call("add_excerpt", { source_id: sourceId, target, note, tags, question, marking });
}

export function editExcerpt(id: number, patch: ExcerptPatch): Promise<Excerpt> {
  return call("edit_excerpt", { id, patch });
}

/** Answers with what was deleted: keep it to undo with `restoreExcerpt`. */
export function deleteExcerpt(id: number): Promise<DeletedExcerpt> {
  return call("delete_excerpt", { id });
}

/** The excerpt again at the same range, with its tags and question links; refused when the text moved. */
export function restoreExcerpt(deleted: DeletedExcerpt): Promise<Excerpt> {
  return call("restore_excerpt", { deleted });
}

// Tags

export function listTags(): Promise<Tag[]> {
  return call("list_tags");
}

export function addTag(path: string, spec: TagSpec): Promise<Tag> {
  return call("add_tag", { path, spec });
}

export function editTag(tag: string, spec: TagSpec): Promise<Tag> {
  return call("edit_tag", { tag, spec });
}

export function renameTag(from: string, to: string): Promise<RenamedTag> {
  return call("rename_tag", { from, to });
}

export function mergeTag(from: string, into: string): Promise<MergedTag> {
  return call("merge_tag", { from, into });
}

export function deleteTag(tag: string): Promise<string[]> {
  return call("delete_tag", { tag });
}

// Follow-ups

export function listFollowups(status: FollowUpStatus | null = null): Promise<FollowUp[]> {
  return call("list_followups", { status });
}

export function addFollowup(followup: NewFollowUp): Promise<FollowUp> {
  return call("add_followup", { followup });
}

export function editFollowup(id: number, patch: FollowUpPatch): Promise<FollowUp> {
  return call("edit_followup", { id, patch });
}

export function answerFollowup(id: number, answer: string, excerptIds: number[]): Promise<FollowUp> {
  return call("answer_followup", { id, answer, excerpt_ids: excerptIds });
}

export function setFollowupStatus(id: number, status: FollowUpStatus): Promise<FollowUp> {
  return call("set_followup_status", { id, status });
}

export function deleteFollowup(id: number): Promise<null> {
  return call("delete_followup", { id });
}

// Search

export function search(
  query: string,
  options: { limit: number; offset: number; facets: boolean; expand?: boolean },
): Promise<SearchResults> {
  return call("search", {
    query,
    limit: options.limit,
    offset: options.offset,
    facets: options.facets,
    expand: options.expand ?? true,
  });
}

export function saveSearch(name: string, query: string): Promise<SavedSearch> {
  return call("save_search", { name, query });
}

export function listSavedSearches(): Promise<SavedSearch[]> {
  return call("list_saved_searches");
}

export function deleteSavedSearch(name: string): Promise<SavedSearch> {
  return call("delete_saved_search", { name });
}

// Feeds, the inbox and alerts

export function listFeeds(): Promise<Feed[]> {
  return call("list_feeds");
}

export function addFeed(feed: NewFeed): Promise<Feed> {
  return call("add_feed", { new: feed });
}

export function editFeed(id: number, patch: FeedPatch): Promise<Feed> {
  return call("edit_feed", { id, patch });
}

export function removeFeed(id: number): Promise<Feed> {
  return call("remove_feed", { id });
}

/** Polls the feeds named now, or every feed when none is. */
export function pollFeeds(ids: number[]): Promise<FeedsPolled> {
  return call("poll_feeds", { ids });
}

export function listInbox(feed: number | null, status: EntryStatus | null): Promise<FeedEntry[]> {
  return call("list_inbox", { feed, status });
}

/** Captures the entries' articles as sources (with their feed's tags). */
export function keepEntries(ids: number[]): Promise<KeepReport> {
  return call("keep_entries", { ids });
}

export function dismissEntries(ids: number[]): Promise<FeedEntry[]> {
  return call("dismiss_entries", { ids });
}

/** The saved searches that are alerts, with their counts of new matches. */
export function listAlerts(): Promise<SavedSearchStatus[]> {
  return call("list_alerts");
}

export function markSearchSeen(name: string): Promise<SavedSearchStatus> {
  return call("mark_search_seen", { name });
}

export function sidebarCounts(): Promise<SidebarCounts> {
  return call("sidebar_counts");
}

/** Calls `handler` after every feed poll, the app's timer's or the analyst's. */
export function onFeedsPolled(handler: (event: FeedsPolled) => void): Promise<() => void> {
  return listen<FeedsPolled>("feeds-polled", (event) => {
    handler(event.payload);
  });
}

// Import

/** Asks for files to import (several at once) and imports them; `null` when cancelled. */
export function importFiles(): Promise<ImportSummary | null> {
  return call("import_files");
}

/** Downloads and imports one web page, PDF or Word file. */
export function importUrl(url: string): Promise<ImportSummary> {
  return call("import_url", { url });
}

/** Stops the running import (between items, and between the pages of a scan read by OCR). */
export function cancelImport(): Promise<void> {
  return call("cancel_import");
}

/** Every orphaned excerpt (a re-import could not place it). */
export function listOrphans(): Promise<Excerpt[]> {
  return call("list_orphans");
}

/** Places an excerpt on `start..end`, in code points of its source's current text. */
export function reattachExcerpt(id: number, start: number, end: number): Promise<Excerpt> {
  return call("reattach_excerpt", { id, start, end });
}

// Briefing notes

export function listBriefings(): Promise<BriefingSummary[]> {
  return call("list_briefings");
}

export function getBriefing(id: number): Promise<Briefing> {
  return call("get_briefing", { id });
}

/** A new, empty briefing with these fields (a title is required). */
export function newBriefing(fields: NewBriefing): Promise<Briefing> {
  return call("new_briefing", { fields });
}

/** "New briefing from this search": Current Status and Next Steps filled from the matches. */
export function draftBriefing(query: string, fields: NewBriefing): Promise<Briefing> {
  return call("draft_briefing", { query, fields });
}

/** Fields, section text and items in one transaction; answers with the briefing as stored. */
export function editBriefing(id: number, patch: BriefingPatch): Promise<Briefing> {
  return call("edit_briefing", { id, patch });
}

/** Drag and drop: an item to `position` (1-based) of section `to`. */
export function moveBriefingItem(id: number, itemId: number, to: SectionKind, position: number): Promise<Briefing> {
  return call("move_briefing_item", { id, item_id: itemId, to, position });
}

export function duplicateBriefing(id: number): Promise<Briefing> {
  return call("duplicate_briefing", { id });
}

export function deleteBriefing(id: number): Promise<DeletedBriefing> {
  return call("delete_briefing", { id });
}

/** The note's body as the HTML export writes it (escaped there), for the live preview. */
export function previewBriefing(id: number): Promise<string> {
  return call("preview_briefing", { id });
}

/** Asks where to save and writes the file; `null` when cancelled. */
export function exportBriefing(
  id: number,
  format: ExportFormat,
  at: Marking | null = null,
): Promise<ExportedFile | null> {
  return call("export_briefing", { id, format, at });
}

// Links

/** Opens a web or mail link in the system's browser; the window itself never leaves the app. */
export function openLink(url: string): Promise<null> {
  return call("open_link", { url });
}

// The interface's language

/** The language the interface starts in: the analyst's choice, else the system's. */
export function uiLanguage(): Promise<UiLanguage> {
  return call("ui_language");
}

/** Remembers the analyst's language and rebuilds the native menu in it. */
export function setUiLanguage(lang: Lang): Promise<UiLanguage> {
  return call("set_ui_language", { lang });
}

// Versions and originals

/** Every version of a source, oldest first. */
export function sourceVersions(id: number): Promise<SourceVersion[]> {
  return call("source_versions", { id });
}

/** A web page's original, made inert, for a sandboxed frame. */
export function originalPage(id: number, version: number): Promise<OriginalPage> {
  return call("original_page", { id, version });
}

/** Writes a PDF, Word or image original to the app's cache and opens it in the system's viewer. */
export function openOriginal(id: number, version: number): Promise<SavedOriginal> {
  return call("open_original", { id, version });
}

/** Compares two versions' texts word by word; `null` picks the previous and the latest. */
export function compareVersions(id: number, from: number | null, to: number | null): Promise<VersionComparison> {
  return call("compare_versions", { id, from, to });
}

// Backups

/** A checked copy of the workspace in its backups folder, now. */
export function backupNow(): Promise<BackupMade> {
  return call("backup_now");
}

/** Every copy in the workspace's backups folder, newest first. */
export function listBackups(): Promise<BackupEntry[]> {
  return call("list_backups");
}

/** Restores the listed backup with this file name; the current state is kept aside first. */
export function restoreBackup(name: string): Promise<RestoreDone> {
  return call("restore_backup", { name });
}

/** Asks for a backup file anywhere and restores it; `null` when cancelled. */
export function restoreFromFile(): Promise<RestoreDone | null> {
  return call("restore_from_file");
}

// The browser connector

/** Where the connector listens (or why it does not), and the workspace it saves to. */
export function connectorStatus(): Promise<ConnectorStatus> {
  return call("connector_status");
}

/** Pairing requests from browser extensions waiting for Allow / Deny, newest first. */
export function connectorPending(): Promise<PairingRequest[]> {
  return call("connector_pending");
}

/** Allows (the extension collects its token) or denies a waiting pairing request. */
export function connectorAnswer(id: number, allow: boolean): Promise<null> {
  return call("connector_answer", { id, allow });
}

/** Every token the connector has handed out, revoked ones included. */
export function connectorTokens(): Promise<ConnectorToken[]> {
  return call("connector_tokens");
}

/** Revokes a token: the extension holding it is refused from now on. */
export function connectorRevoke(id: number): Promise<ConnectorToken> {
  return call("connector_revoke", { id });
}

// A team workspace

/** The team's state for the status bar; `null` when the workspace is not a team's. */
export function teamStatus(): Promise<TeamStatus | null> {
  return call("team_status");
}

/** Pushes and pulls once, now (a failed attempt comes back with its `error`, not thrown). */
export function syncNow(): Promise<TeamSynced> {
  return call("sync_now");
}

/** The open conflicts, each with the item it is about. */
export function listConflicts(): Promise<ListedConflict[]> {
  return call("list_conflicts");
}

/** Keeps one side of a conflict. */
export function resolveConflict(id: number, keep: "mine" | "theirs"): Promise<ListedConflict> {
  return call("resolve_conflict", { id, keep });
}

/** Who last changed an excerpt, in a team workspace. */
export function excerptLastChanged(id: number): Promise<LastChanged | null> {
  return call("excerpt_last_changed", { id });
}

// Events from the native side

/** Calls `handler` after each sync attempt, in the background or from Sync now. */
export function onTeamSynced(handler: (event: TeamSynced) => void): Promise<() => void> {
  return listen<TeamSynced>("team-synced", (event) => {
    handler(event.payload);
  });
}

/** Calls `handler` when a browser extension asks to pair. */
export function onConnectorPairing(handler: (request: PairingRequest) => void): Promise<() => void> {
  return listen<PairingRequest>("connector-pairing", (event) => {
    handler(event.payload);
  });
}


/** Calls `handler` when the running app wrote an automatic backup, or failed to. */
export function onAutoBackup(handler: (event: AutoBackup) => void): Promise<() => void> {
  return listen<AutoBackup>("auto-backup", (event) => {
    handler(event.payload);
  });
}

/** Calls `handler` as an import (from any start: dialog, URL, files dropped) moves on. */
export function onImportProgress(handler: (progress: ImportProgress) => void): Promise<() => void> {
  return listen<ImportProgress>("import-progress", (event) => {
    handler(event.payload);
  });
}

/** Calls `handler` with the summary when an import ends. */
export function onImportFinished(handler: (summary: ImportSummary) => void): Promise<() => void> {
  return listen<ImportSummary>("import-finished", (event) => {
    handler(event.payload);
  });
}

/** Calls `handler` when files dropped on the window could not be imported at all. */
export function onImportFailed(handler: (error: CommandError) => void): Promise<() => void> {
  return listen<CommandError>("import-failed", (event) => {
    handler(event.payload);
  });
}


/** Calls `handler` with the id of each native menu item the page should carry out. */
export function onMenu(handler: (id: string) => void): Promise<() => void> {
  return listen<string>("menu", (event) => {
    handler(event.payload);
  });
}

/** Calls `handler` when the File menu switched the workspace (or failed to). */
export function onWorkspaceChanged(
  handler: (change: WorkspaceChanged) => void,
): Promise<() => void> {
  return listen<WorkspaceChanged>("workspace-changed", (event) => {
    handler(event.payload);
  });
}

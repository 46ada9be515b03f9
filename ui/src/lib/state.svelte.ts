/**
 * The window's state: which view shows, what the workspace holds (as last loaded), dialogs,
 * and toasts. One instance per mounted App, handed to components through context, so each
 * component test starts from a clean slate.
 *
 * Lists are reloaded from the backend after every change rather than patched locally: the
 * store owns the rules (tag resolution, counts, ordering), and a reload of a few thousand rows
 * costs less than a UI that disagrees with the CLI.
 */
import { getContext, setContext } from "svelte";
import * as ipc from "./ipc";
import type { CommandError, FollowUp, SavedSearch, SavedSearchStatus, SourceSummary, Tag, TeamSynced, WorkspaceInfo } from "./ipc";
import { Team } from "./team/team.svelte";
import { load } from "./load";
import { failure, lang, m, setLang } from "./i18n";
import type { Lang } from "./i18n";
import type { Load } from "./load";

export type View =
  | { name: "library" }
  | { name: "reader"; sourceId: number; excerptId: number | null; flash: number }
  | { name: "tags"; path: string | null }
  | { name: "followups"; id: number | null }
  | { name: "briefings"; id: number | null }
  | { name: "search" }
  | { name: "inbox" }
  | { name: "conflicts" };

export interface Toast {
  id: number;
  message: string;
  kind: "info" | "error";
  undo: (() => Promise<void>) | null;
}

export interface SourceDraft {
  text: string;
  title: string;
  origin: string | null;
}

/** What the open reader lets the global shortcuts and the palette do. */
/** The workspace's lists the window keeps loaded; a write names the ones it may have changed. */
export type WorkspaceList = "sources" | "tags" | "followups" | "savedSearches" | "counts";

/** What the open inbox lets the global shortcuts do. */
export interface InboxHandlers {
  next: () => void;
  previous: () => void;
  read: () => void;
  openPage: () => void;
  keep: () => void;
  dismiss: () => void;
}

export interface ReaderHandlers {
  hasSelection: () => boolean;
  excerptFromSelection: () => void;
  hasExcerpt: () => boolean;
  next: () => void;
  previous: () => void;
  tag: () => void;
  ask: () => void;
  remove: () => void;
}

export class AppState {
  view = $state<View>({ name: "library" });
  private history: View[] = [];

  // Raw: each list is replaced whole on reload and never changed in place, so the thousands of
  // records need no per-object proxies (measured: less memory and a faster first paint).
  workspace = $state.raw<Load<WorkspaceInfo>>({ status: "loading" });
  sources = $state.raw<Load<SourceSummary[]>>({ status: "loading" });
  tags = $state.raw<Load<Tag[]>>({ status: "loading" });
  followups = $state.raw<Load<FollowUp[]>>({ status: "loading" });
  savedSearches = $state.raw<SavedSearch[]>([]);
  /** New entries waiting in the inbox, for the sidebar. */
  inboxCount = $state(0);
  /** The saved searches that are alerts, with their counts of new matches. */
  alerts = $state.raw<SavedSearchStatus[]>([]);
  /** Set by the inbox while it is open. */
  inbox: InboxHandlers | null = null;

  /** The library's tag filter (a path; its descendants count too). */
  libraryTag = $state<string | null>(null);
  searchQuery = $state("");
  /** Bumped to ask the search box to take focus. */
  searchFocus = $state(0);

  addSourceDraft = $state<SourceDraft | null>(null);
  paletteOpen = $state(false);
  shortcutsOpen = $state(false);
  toasts = $state.raw<Toast[]>([]);
  /** Set by the reader while it is open. */
  reader: ReaderHandlers | null = null;
  /** The briefing opened last: where "Add to briefing" puts an excerpt. */
  currentBriefingId = $state<number | null>(null);
  backupsOpen = $state(false);
  /** The browser connector's settings (tokens, Revoke). */
  connectorOpen = $state(false);
  briefingDialog = $state(false);
  /** Set by the composer while it is open: exports the note (Ctrl+Shift+E). */
  exportBriefing: (() => void) | null = null;
  /** Bumped when what the views hold must be loaded again (F5, a change made outside). */
  reloadTick = $state(0);
  /** Set by the composer while it is open: true while typing has not been saved yet. */
  unsavedEdits: (() => boolean) | null = null;
  private toastSeq = 0;
  /** The team workspace's state (the status bar, the conflicts view, Sync now). */
  team = new Team((event) => this.afterSync?.(event));
  /** Set by the window: what a sync attempt does to the views (reload when it pulled). */
  afterSync: ((event: TeamSynced) => void) | null = null;

  /** Tags by path, for colours and labels. */
  // Rebuilt from the tag list, never changed in place.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  tagMap = $derived(new Map((this.tags.status === "ready" ? this.tags.value : []).map((t) => [t.path, t])));
  tagList = $derived(this.tags.status === "ready" ? this.tags.value : []);
  openFollowups = $derived(
    this.followups.status === "ready" ? this.followups.value.filter((f) => f.status === "open").length : 0,
  );

  navigate(view: View): void {
    if (JSON.stringify(view) !== JSON.stringify(this.view)) {
      this.history.push(this.view);
      if (this.history.length > 50) {
        this.history.shift();
      }
    }
    this.view = view;
  }

  /** Back to the previous view; the library when there is none. */
  back(): void {
    this.view = this.history.pop() ?? { name: "library" };
  }

  openSource(sourceId: number, excerptId: number | null = null): void {
    this.navigate({ name: "reader", sourceId, excerptId, flash: excerptId === null ? 0 : Date.now() });
  }

  async refreshAll(): Promise<void> {
    await Promise.all([
      this.refreshWorkspace(),
      this.team.refresh(),
      this.changed("sources", "tags", "followups", "savedSearches", "counts"),
    ]);
  }

  /**
   * After a write: loads again each list it may have changed, side by side. Every view that
   * writes says what it touched here, so which lists follow which writes is read in one place.
   */
  async changed(...lists: WorkspaceList[]): Promise<void> {
    const loaders: Record<WorkspaceList, () => Promise<void>> = {
      sources: () => this.refreshSources(),
      tags: () => this.refreshTags(),
      followups: () => this.refreshFollowups(),
      savedSearches: () => this.refreshSavedSearches(),
      counts: () => this.refreshCounts(),
    };
    await Promise.all(lists.filter((list, at) => lists.indexOf(list) === at).map((list) => loaders[list]()));
  }

  /** Everything loaded again, the open view's own data included. */
  async reload(): Promise<void> {
    this.reloadTick++;
    await this.refreshAll();
  }

  async refreshWorkspace(): Promise<void> {
    this.workspace = await load(ipc.workspaceInfo);
  }

  private async refreshSources(): Promise<void> {
    this.sources = await load(ipc.listSources);
  }

  private async refreshTags(): Promise<void> {
    this.tags = await load(ipc.listTags);
  }

  private async refreshFollowups(): Promise<void> {
    this.followups = await load(() => ipc.listFollowups());
  }

  private async refreshSavedSearches(): Promise<void> {
    const result = await load(ipc.listSavedSearches);
    this.savedSearches = result.status === "ready" ? result.value : [];
  }

  /** The inbox's count and the alerts' counts, for the sidebar. */
  async refreshCounts(): Promise<void> {
    try {
      const [counts, alerts] = await Promise.all([ipc.sidebarCounts(), ipc.listAlerts()]);
      this.inboxCount = counts.inbox;
      this.alerts = alerts;
    } catch {
      // No workspace (said elsewhere), or outside Tauri: no counts to show.
      this.inboxCount = 0;
      this.alerts = [];
    }
  }

  /** Everything shown changes with the workspace: start over on the library. */
  async workspaceSwitched(): Promise<void> {
    this.history = [];
    this.view = { name: "library" };
    this.libraryTag = null;
    this.searchQuery = "";
    this.currentBriefingId = null;
    this.sources = { status: "loading" };
    await this.refreshAll();
  }

  toast(message: string, options: { kind?: Toast["kind"]; undo?: () => Promise<void> } = {}): void {
    const id = ++this.toastSeq;
    this.toasts = [...this.toasts, { id, message, kind: options.kind ?? "info", undo: options.undo ?? null }].slice(-4);
    setTimeout(
      () => {
        this.dismiss(id);
      },
      options.undo ? 8000 : 5000,
    );
  }

  fail(what: string, error: unknown): void {
    this.toast(failure(what, error), { kind: "error" });
  }

  /**
   * Switches the page's language at once (every view re-renders in place, see
   * i18n/locale.svelte.ts), then asks the backend to remember it and rebuild the native menu.
   */
  async chooseLanguage(next: Lang): Promise<void> {
    if (next === lang()) {
      return;
    }
    setLang(next);
    try {
      await ipc.setUiLanguage(next);
    } catch (error: unknown) {
      // Outside Tauri there is no backend to tell; inside it, the analyst should know the
      // choice will not survive a restart.
      if (ipc.toCommandError(error).code !== "ipc") {
        this.fail(m.app_language_save_failed(), error);
      }
    }
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /** Runs the newest toast's undo, if it offers one. */
  async undoLast(): Promise<boolean> {
    const toast = [...this.toasts].reverse().find((t) => t.undo);
    if (!toast?.undo) {
      return false;
    }
    this.dismiss(toast.id);
    try {
      await toast.undo();
    } catch (error: unknown) {
      this.fail(m.app_undo_failed(), error);
    }
    return true;
  }

  /** The open workspace's path for messages, or a placeholder. */
  get workspacePath(): string {
    return this.workspace.status === "ready" ? this.workspace.value.path : "";
  }

  problem(): CommandError | null {
    return this.workspace.status === "failed" ? this.workspace.error : null;
  }
}

const KEY = Symbol("dossier-app-state");

export function provideApp(state: AppState): AppState {
  setContext(KEY, state);
  return state;
}

export function useApp(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) {
    throw new Error("useApp() outside <App>: render the component with an AppState in context");
  }
  return state;
}

export const APP_CONTEXT = KEY;

/**
 * The team workspace as the window sees it: the state the status bar shows, Sync now, and
 * what a sync attempt (in the background or from Sync now) changes on the page. The backend
 * syncs on its own; this only listens, asks, and words the state.
 *
 * The decision a reader may question: the words come from the state in a fixed order —
 * conflicts first, then offline, then waiting changes — because an analyst with a conflict
 * must hear of it even while offline, and "offline" matters more than a count of waiting edits.
 */
import * as ipc from "../ipc";
import type { CommandError, TeamStatus, TeamSynced } from "../ipc";
import { m } from "../i18n";

export type TeamTone = "ok" | "busy" | "waiting" | "offline" | "conflict";

/** The status bar's words and colour for a team's state. */
export function teamLabel(status: TeamStatus, syncing: boolean): { text: string; tone: TeamTone } {
  if (status.conflicts > 0) {
    return { text: m.team_conflicts({ count: status.conflicts }), tone: "conflict" };
  }
  if (syncing) {
    return { text: m.team_syncing(), tone: "busy" };
  }
  if (status.last_error !== null) {
    return { text: m.team_offline(), tone: "offline" };
  }
  if (status.pending > 0) {
    return { text: m.team_waiting({ count: status.pending }), tone: "waiting" };
  }
  return { text: m.team_synced(), tone: "ok" };
}

export class Team {
  /** `null` while unknown or when the workspace is not a team's. */
  status = $state.raw<TeamStatus | null>(null);
  syncing = $state(false);
  /** Why the last Sync now failed, for the conflicts view. */
  lastError = $state.raw<CommandError | null>(null);
  /** Bumped after each attempt, so open views (the conflicts list) load again. */
  tick = $state(0);

  constructor(
    /** Called after every attempt; the window reloads its views when `report.pulled > 0`. */
    private readonly after: (event: TeamSynced) => void = () => undefined,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.status = await ipc.teamStatus();
    } catch {
      // No workspace (said elsewhere), or outside Tauri.
      this.status = null;
    }
  }

  /** What every attempt does to the page, whoever started it. */
  synced(event: TeamSynced): void {
    if (event.status) {
      this.status = event.status;
    }
    this.lastError = event.error;
    this.tick++;
    this.after(event);
  }

  /** Pushes and pulls now; answers the outcome (an unreachable server is an outcome). */
  async syncNow(): Promise<TeamSynced> {
    this.syncing = true;
    try {
      const outcome = await ipc.syncNow();
      this.synced(outcome);
      return outcome;
    } finally {
      this.syncing = false;
    }
  }
}

/**
 * The import in progress and the last one's summary, shared by the menu actions, the URL
 * dialog and the panel that shows them. Progress arrives as events whatever started the
 * import (a dialog, a URL, files dropped on the window), so the panel follows the events.
 */
import * as ipc from "../ipc";
import type { CommandError, ImportProgress, ImportSummary } from "../ipc";

export class Imports {
  running = $state(false);
  progress = $state<ImportProgress | null>(null);
  summary = $state<ImportSummary | null>(null);
  error = $state<CommandError | null>(null);
  urlOpen = $state(false);
  orphansOpen = $state(false);
  /** Called after an import ends, to refresh what shows sources. */
  private readonly onfinished: () => void | Promise<void>;

  constructor(onfinished: () => void | Promise<void> = () => undefined) {
    this.onfinished = onfinished;
  }

  /** Listens to the native side's import events; returns a function that stops listening. */
  listen(): () => void {
    // Outside Tauri (tests, a plain browser) there is no event bus: listening fails quietly.
    const quiet = (p: Promise<() => void>): Promise<() => void> => p.catch(() => () => undefined);
    const stops: Promise<() => void>[] = [
      ipc.onImportProgress((p) => {
        this.started();
        this.progress = p;
      }),
      ipc.onImportFinished((s) => {
        void this.finished(s);
      }),
      ipc.onImportFailed((e) => {
        this.failed(e);
      }),
    ].map(quiet);
    return () => {
      for (const stop of stops) {
        stop.then((f) => Promise.resolve().then(f)).catch(() => undefined);
      }
    };
  }

  private started(): void {
    if (!this.running) {
      this.running = true;
      this.summary = null;
      this.error = null;
    }
  }

  async finished(summary: ImportSummary): Promise<void> {
    this.running = false;
    this.progress = null;
    this.summary = summary;
    await this.onfinished();
  }

  failed(error: unknown): void {
    this.running = false;
    this.progress = null;
    this.error = ipc.toCommandError(error);
  }

  /** File → Import…: pick files and import them. */
  async importFiles(): Promise<void> {
    this.started();
    try {
      const summary = await ipc.importFiles();
      if (summary) {
        await this.finished(summary);
      } else {
        this.running = false;
      }
    } catch (e: unknown) {
      this.failed(e);
    }
  }

  /** Import from URL. */
  async importUrl(url: string): Promise<void> {
    this.started();
    try {
      await this.finished(await ipc.importUrl(url));
    } catch (e: unknown) {
      this.failed(e);
    }
  }

  /** Stops the running import: the scan being read stops at its next page; what was written stays. */
  async cancel(): Promise<void> {
    try {
      await ipc.cancelImport();
    } catch (e: unknown) {
      this.failed(e);
    }
  }

  dismiss(): void {
    this.summary = null;
    this.error = null;
  }
}

/**
 * The only door from the UI to the Rust backend: one typed function per Tauri command.
 *
 * Every rejection is normalised to a `CommandError` here, because `invoke` can reject with
 * our own `{ code, message }`, with a bare string from Tauri itself (unknown command, denied
 * permission), or with anything a mocked backend throws; components only ever see one shape.
 */
import { invoke } from "@tauri-apps/api/core";
import type { CommandError, SourceSummary, WorkspaceInfo } from "./bindings";

export type { CommandError, SourceSummary, WorkspaceInfo };

/** Thrown by every function in this module. */
export class IpcError extends Error implements CommandError {
  readonly code: string;

  constructor(error: CommandError) {
    super(error.message);
    this.name = "IpcError";
    this.code = error.code;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)["code"] === "string" &&
    typeof (value as Record<string, unknown>)["message"] === "string"
  );
}

export function toCommandError(error: unknown): CommandError {
  if (isCommandError(error)) {
    return { code: error.code, message: error.message };
  }
  if (typeof error === "string") {
    return { code: "ipc", message: error };
  }
  if (error instanceof Error) {
    return { code: "ipc", message: error.message };
  }
  return { code: "unknown", message: "The app's backend returned an unexpected error." };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    throw new IpcError(toCommandError(error));
  }
}

/** Where the open workspace lives on disk. */
export function workspaceInfo(): Promise<WorkspaceInfo> {
  return call<WorkspaceInfo>("workspace_info");
}

/** Every source in the workspace, newest capture first (the store decides the order). */
export function listSources(): Promise<SourceSummary[]> {
  return call<SourceSummary[]>("list_sources");
}

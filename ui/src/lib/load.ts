/** The three states of anything the UI fetches from the backend. */
import type { CommandError } from "./ipc";
import { toCommandError } from "./ipc";

export type Load<T> =
  | { status: "loading" }
  | { status: "ready"; value: T }
  | { status: "failed"; error: CommandError };

/** Runs `fetch` and reports the outcome as a `Load`; never throws. */
export async function load<T>(fetch: () => Promise<T>): Promise<Load<T>> {
  try {
    return { status: "ready", value: await fetch() };
  } catch (error: unknown) {
    return { status: "failed", error: toCommandError(error) };
  }
}

import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { IpcError, addExcerpt, answerFollowup, listSources, restoreExcerpt, toCommandError } from "./ipc";
import type { DeletedExcerpt } from "./ipc";

afterEach(() => {
  clearMocks();
});

const none = { existing_id: null, position: null, length: null, params: {} };

describe("toCommandError", () => {
  it.each([
    [
      "our own { code, message }",
      { code: "not_found", message: "no source with id 4", extra: 1 },
      { code: "not_found", message: "no source with id 4", ...none },
    ],
    [
      "a duplicate with the source that holds the text",
      { code: "duplicate_source", message: "already there", existing_id: 3 },
      { code: "duplicate_source", message: "already there", ...none, existing_id: 3 },
    ],
    [
      "a query error with where it is",
      { code: "query", message: "In the query: no closing quote", position: 6, length: 1 },
      { code: "query", message: "In the query: no closing quote", existing_id: null, position: 6, length: 1, params: {} },
    ],
    [
      "the parameters the French wording needs, strings only",
      { code: "not_found", message: "no source with id 4", params: { what: "source", id: "4", bad: 5 } },
      { code: "not_found", message: "no source with id 4", ...none, params: { what: "source", id: "4" } },
    ],
    [
      "a bare string from Tauri",
      "Command list_sourcez not found",
      { code: "ipc", message: "Command list_sourcez not found", ...none },
    ],
    ["an Error", new Error("boom"), { code: "ipc", message: "boom", ...none }],
    [
      "anything else",
      42,
      { code: "unknown", message: "The app's backend returned an unexpected error.", ...none },
    ],
  ])("normalises %s", (_name, input, expected) => {
    expect(toCommandError(input)).toEqual(expected);
  });
});

describe("commands", () => {
  it("call the backend command of the same name", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      return [];
    });
    await expect(listSources()).resolves.toEqual([]);
    expect(calls).toEqual(["list_sources"]);
  });

  it("send arguments with the snake_case names the commands declare", async () => {
    const seen: unknown[] = [];
    mockIPC((_cmd, payload) => {
      seen.push(payload);
      return null;
    });
    await addExcerpt(3, { by: "range", start: 1, end: 4 }, "why", ["sector/steel"]);
    await addExcerpt(3, { by: "range", start: 1, end: 4 }, "", [], "Who said it?");
    await answerFollowup(5, "Yes", [7]);
    const deleted = { excerpt: { id: 9 }, followup_ids: [5], answer_followup_ids: [] } as unknown as DeletedExcerpt;
    await restoreExcerpt(deleted);
    expect(seen).toEqual([
      { source_id: 3, target: { by: "range", start: 1, end: 4 }, note: "why", tags: ["sector/steel"], question: null, marking: null },
      { source_id: 3, target: { by: "range", start: 1, end: 4 }, note: "", tags: [], question: "Who said it?", marking: null },
      { id: 5, answer: "Yes", excerpt_ids: [7] },
      { deleted: { excerpt: { id: 9 }, followup_ids: [5], answer_followup_ids: [] } },
    ]);
  });

  it("reject with an IpcError carrying the backend's code", async () => {
    mockIPC(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { code: "busy", message: "the workspace is busy" };
    });
    const error: unknown = await listSources().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: "busy", message: "the workspace is busy" });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { IpcError, listSources, toCommandError } from "./ipc";

afterEach(() => {
  clearMocks();
});

describe("toCommandError", () => {
  it.each([
    [
      "our own { code, message }",
      { code: "not_found", message: "no source with id 4", extra: 1 },
      { code: "not_found", message: "no source with id 4" },
    ],
    [
      "a bare string from Tauri",
      "Command list_sourcez not found",
      { code: "ipc", message: "Command list_sourcez not found" },
    ],
    ["an Error", new Error("boom"), { code: "ipc", message: "boom" }],
    [
      "anything else",
      42,
      { code: "unknown", message: "The app's backend returned an unexpected error." },
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

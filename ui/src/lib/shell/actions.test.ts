import { describe, expect, it, vi } from "vitest";
import { dispatchKey, filterActions, keyLabel, matches } from "./actions";
import type { Action } from "./actions";

function key(init: KeyboardEventInit, target?: EventTarget): KeyboardEvent {
  const event = new KeyboardEvent("keydown", { ...init, cancelable: true, bubbles: true });
  if (target) {
    Object.defineProperty(event, "target", { value: target });
  }
  return event;
}

describe("shortcuts", () => {
  it("labels keys as the analyst reads them", () => {
    expect(keyLabel({ key: "k", ctrl: true })).toBe("Ctrl+K");
    expect(keyLabel({ key: "l", ctrl: true, shift: true })).toBe("Ctrl+Shift+L");
    expect(keyLabel({ key: "ArrowLeft", alt: true })).toBe("Alt+←");
    expect(keyLabel({ key: "/" })).toBe("/");
  });

  it("matches modifiers exactly, and punctuation by its character", () => {
    expect(matches(key({ key: "k", ctrlKey: true }), { key: "k", ctrl: true })).toBe(true);
    expect(matches(key({ key: "K", ctrlKey: true, shiftKey: true }), { key: "k", ctrl: true })).toBe(false);
    expect(matches(key({ key: "?", shiftKey: true }), { key: "?" })).toBe(true);
    expect(matches(key({ key: "e" }), { key: "e", ctrl: true })).toBe(false);
  });

  it("keeps bare letters for typing in fields, but Ctrl shortcuts work everywhere", () => {
    const run = vi.fn();
    const actions: Action[] = [
      { id: "a", label: "Ask", group: "Reader", keys: [{ key: "a" }], run },
      { id: "k", label: "Palette", group: "App", keys: [{ key: "k", ctrl: true }], run },
    ];
    const input = document.createElement("input");
    expect(dispatchKey(key({ key: "a" }, input), actions)).toBe(false);
    expect(dispatchKey(key({ key: "k", ctrlKey: true }, input), actions)).toBe(true);
    expect(dispatchKey(key({ key: "a" }, document.body), actions)).toBe(true);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it("skips actions that are not available now", () => {
    const run = vi.fn();
    const actions: Action[] = [{ id: "e", label: "Excerpt", group: "Reader", keys: [{ key: "e" }], run, available: () => false }];
    expect(dispatchKey(key({ key: "e" }, document.body), actions)).toBe(false);
    expect(filterActions(actions, "")).toEqual([]);
  });

  it("filters the palette by every word, in any order", () => {
    const actions: Action[] = [
      { id: "n", label: "New source (paste text)", group: "Sources", keys: [], run: vi.fn() },
      { id: "t", label: "Tags", group: "Go to", keys: [], run: vi.fn() },
    ];
    expect(filterActions(actions, "paste new").map((a) => a.id)).toEqual(["n"]);
    expect(filterActions(actions, "go").map((a) => a.id)).toEqual(["t"]);
  });
});

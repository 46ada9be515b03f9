/**
 * Every action the analyst can take from the keyboard, in one list: the global key handler
 * runs them, the command palette lists them with their shortcuts, and the shortcuts sheet
 * prints them. An action that needs the reader (excerpt from selection, next excerpt …) is
 * available only while a reader has registered its handlers.
 */

import { m } from "../i18n";

export interface Key {
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
}

/** Where an action is listed; an id, worded by `groupLabel` in the page's language. */
export type ActionGroup = "Go to" | "Sources" | "Reader" | "Inbox" | "Search" | "Briefings" | "Workspace" | "App";

/** The group's heading in the page's language. */
export function groupLabel(group: ActionGroup): string {
  const labels: Record<ActionGroup, () => string> = {
    "Go to": m.group_go_to,
    Sources: m.group_sources,
    Reader: m.group_reader,
    Inbox: m.group_inbox,
    Search: m.group_search,
    Briefings: m.group_briefings,
    Workspace: m.group_workspace,
    App: m.group_app,
  };
  return labels[group]();
}

export interface Action {
  id: string;
  /** In the page's language: the list is rebuilt when the language changes. */
  label: string;
  group: ActionGroup;
  keys: Key[];
  run: () => void;
  available?: () => boolean;
}

const isMac = typeof navigator !== "undefined" && navigator.userAgent.includes("Mac OS");

/** "Ctrl+K", "/" — as the shortcut is shown to the analyst. */
export function keyLabel(key: Key): string {
  const parts: string[] = [];
  if (key.ctrl) {
    parts.push(isMac ? "⌘" : "Ctrl");
  }
  if (key.alt) {
    parts.push("Alt");
  }
  if (key.shift) {
    parts.push(m.key_shift());
  }
  const names: Record<string, string> = {
    ArrowLeft: "←",
    ArrowRight: "→",
    ArrowUp: "↑",
    ArrowDown: "↓",
    Escape: m.key_escape(),
    Delete: m.key_delete(),
  };
  parts.push(names[key.key] ?? (key.key.length === 1 ? key.key.toUpperCase() : key.key));
  return parts.join("+");
}

export function matches(event: KeyboardEvent, key: Key): boolean {
  const ctrl = event.ctrlKey || event.metaKey;
  if (ctrl !== Boolean(key.ctrl) || event.altKey !== Boolean(key.alt)) {
    return false;
  }
  if (key.key.length === 1 && !/[a-z0-9]/i.test(key.key)) {
    // Punctuation ("/", "?") depends on the layout's Shift: compare the character only.
    return event.key === key.key;
  }
  if (event.shiftKey !== Boolean(key.shift)) {
    return false;
  }
  return event.key.toLowerCase() === key.key.toLowerCase();
}

/** True while the analyst is typing, when bare-letter shortcuts must stay letters. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  if (target.isContentEditable) {
    return true;
  }
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "color", "range"].includes(target.type);
  }
  return false;
}

/** A key without Ctrl or Alt: it must not fire while typing. */
function isBare(key: Key): boolean {
  return !key.ctrl && !key.alt && (key.key.length === 1 || key.key === "Delete");
}

/** Runs the first available action bound to the key; true when one ran. */
export function dispatchKey(event: KeyboardEvent, actions: readonly Action[]): boolean {
  const typing = isTyping(event.target);
  for (const action of actions) {
    for (const key of action.keys) {
      if (!matches(event, key) || (typing && isBare(key))) {
        continue;
      }
      if (action.available && !action.available()) {
        continue;
      }
      event.preventDefault();
      action.run();
      return true;
    }
  }
  return false;
}

/** The palette's filter: every word of the query in the label or group, in any order. */
export function filterActions(actions: readonly Action[], query: string): Action[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return actions.filter((a) => {
    if (a.available && !a.available()) {
      return false;
    }
    const hay = `${a.label} ${groupLabel(a.group)}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * Light and dark: the system decides unless the analyst chose (View → Toggle light / dark),
 * and the choice is remembered on this machine. The choice is a `data-theme` attribute on
 * `<html>`, which the colour tokens in app.css honour; absent means "follow the system".
 */

export type ThemeChoice = "system" | "light" | "dark";

const KEY = "dossier.theme";

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === "system") {
    delete root.dataset["theme"];
  } else {
    root.dataset["theme"] = choice;
  }
  try {
    if (choice === "system") {
      localStorage.removeItem(KEY);
    } else {
      localStorage.setItem(KEY, choice);
    }
  } catch {
    // Storage can be unavailable; the choice then lasts for this session only.
  }
}

/** The theme actually showing now. */
export function effectiveTheme(choice: ThemeChoice = storedTheme()): "light" | "dark" {
  if (choice !== "system") {
    return choice;
  }
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Switches to the opposite of what shows now; a choice equal to the system's goes back to following it. */
export function toggleTheme(): ThemeChoice {
  const next = effectiveTheme() === "dark" ? "light" : "dark";
  const system = effectiveTheme("system");
  const choice: ThemeChoice = next === system ? "system" : next;
  applyTheme(choice);
  return choice;
}

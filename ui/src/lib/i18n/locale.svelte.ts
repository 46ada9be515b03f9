/**
 * The page's language, and the Intl formats that follow it.
 *
 * The decision a reader would question: the locale is one `$state` that paraglide's
 * `getLocale` reads (`overwriteGetLocale`), rather than a `{#key}` around the view tree. Every
 * `m.*()` call in a template therefore depends on it, so a switch re-renders each string in
 * place: no component remounts, and the open source, the reader's selection, the composer's
 * unsaved text and the current view all survive. Text computed once in a script (a toast
 * already shown) keeps the language it was made in, which is what a reader expects of a
 * message that was already said.
 */
import { overwriteGetLocale } from "../paraglide/runtime.js";
import type { Lang } from "../bindings";
import { uiLanguage } from "../ipc";

export type { Lang };

export const LANGS: readonly Lang[] = ["en", "fr"];

const current = $state<{ lang: Lang }>({ lang: "en" });

overwriteGetLocale(() => current.lang);

/** The page's language, reactive. */
export function lang(): Lang {
  return current.lang;
}

/** The BCP 47 tag for Intl and `<html lang>`: Canadian English or Canadian French. */
export function intlLocale(which: Lang = current.lang): string {
  return which === "fr" ? "fr-CA" : "en-CA";
}

/** `en` or `fr` from any language tag (`fr_CA.UTF-8`, `fr-FR`, `en-US`); English otherwise. */
export function toLang(tag: string | null | undefined): Lang {
  return tag?.trim().toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** Switches every string on the page at once, and `<html lang>` with it. */
export function setLang(next: Lang): void {
  current.lang = next;
  if (typeof document !== "undefined") {
    document.documentElement.lang = intlLocale(next);
  }
}

/** The other language: what the switch offers. */
export function otherLang(): Lang {
  return current.lang === "fr" ? "en" : "fr";
}

// Formatters are cached per locale: building an Intl object costs more than formatting. Plain
// maps: a cache is not state any view reads.
/* eslint-disable svelte/prefer-svelte-reactivity */
const collators = new Map<string, Intl.Collator>();
const numbers = new Map<string, Intl.NumberFormat>();
/* eslint-enable svelte/prefer-svelte-reactivity */

/** Sorts strings as the analyst reads them (é beside e, case ignored, 2 before 10). */
export function collator(): Intl.Collator {
  const tag = intlLocale();
  let found = collators.get(tag);
  if (!found) {
    found = new Intl.Collator(tag, { sensitivity: "base", numeric: true });
    collators.set(tag, found);
  }
  return found;
}

/** Compares two strings in the page's language, for `.sort()`. */
export function compareText(a: string, b: string): number {
  return collator().compare(a, b);
}

/** "1,234.5" in English, "1 234,5" in French. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  if (options) {
    return new Intl.NumberFormat(intlLocale(), options).format(value);
  }
  const tag = intlLocale();
  let found = numbers.get(tag);
  if (!found) {
    found = new Intl.NumberFormat(tag);
    numbers.set(tag, found);
  }
  return found.format(value);
}

/**
 * The language the page starts in: the backend's answer (the analyst's saved choice, else
 * DOSSIER_UI_LANG / LC_ALL / LC_MESSAGES / LANG), else the browser's when there is no backend
 * (a plain browser, tests).
 */
export async function startLanguage(ask: () => Promise<{ lang: Lang }> = uiLanguage): Promise<Lang> {
  let start: Lang;
  try {
    start = toLang((await ask()).lang);
  } catch {
    start = toLang(typeof navigator === "undefined" ? null : navigator.language);
  }
  setLang(start);
  return start;
}

/**
 * The page's language: plurals and placeholders from the catalogs in both languages, the Intl
 * formats that follow the locale, the French wording of backend errors, and the start-up
 * language (backend first, browser second).
 */
import { afterEach, describe, expect, it } from "vitest";
import { errorMessage, failure, m, setLang, startLanguage, compareText, formatNumber, lang, toLang } from ".";
import { formatBytes, formatDue, formatExcerptCount, formatPublished, formatSourceCount } from "../format";
import { headline, itemLine } from "../import/summary";
import type { CommandError, ImportSummary, ItemResult } from "../ipc";

const NBSP = "\u00a0";

afterEach(() => {
  setLang("en");
});

function err(code: string, message: string, params: Record<string, string> = {}): CommandError {
  return { code, message, existing_id: null, position: null, length: null, params };
}

describe("plurals and placeholders", () => {
  it.each([
    ["en", 0, "No excerpts"],
    ["en", 1, "1 excerpt"],
    ["en", 2, "2 excerpts"],
    ["en", 1234, "1,234 excerpts"],
    ["fr", 0, "Aucun extrait"],
    ["fr", 1, "1 extrait"],
    ["fr", 2, "2 extraits"],
    ["fr", 1234, `1${NBSP}234 extraits`],
  ] as const)("%s: %i excerpts", (which, count, expected) => {
    setLang(which);
    expect(formatExcerptCount(count).replace(/\u202f/g, NBSP)).toBe(expected);
  });

  it("uses the French singular for 1 and the plural from 2", () => {
    setLang("fr");
    expect(formatSourceCount(1)).toBe("1 source");
    expect(m.count_followups({ count: 1 })).toBe("1 suivi");
    expect(m.count_followups({ count: 3 })).toBe("3 suivis");
    expect(m.due_overdue({ count: 1 })).toBe("En retard de 1 jour");
    expect(m.due_overdue({ count: 4 })).toBe("En retard de 4 jours");
  });

  it("fills placeholders in each language, with French quotes", () => {
    expect(m.briefing_delete_confirm({ title: "Acier" })).toBe("Delete “Acier”?");
    setLang("fr");
    expect(m.briefing_delete_confirm({ title: "Acier" })).toBe(`Supprimer «${NBSP}Acier${NBSP}»${NBSP}?`);
    expect(m.palette_none({ query: "xyz" })).toBe(`Aucune commande ne correspond à «${NBSP}xyz${NBSP}».`);
  });

  it("words the import summary in French", () => {
    const summary: ImportSummary = {
      imported: 2,
      updated: 0,
      already_present: 1,
      skipped: 0,
      failed: 1,
      items: [],
    };
    expect(headline(summary)).toBe("2 imported, 1 already present, 1 failed.");
    setLang("fr");
    expect(headline(summary)).toBe("2 importés, 1 déjà présent, 1 en échec.");
    const failed = {
      input: "/x/photo.gif",
      status: "failed",
      id: null,
      title: null,
      format: null,
      reason: "a GIF image is not a document",
      code: "unsupported_format",
      reanchored: null,
    } as ItemResult;
    expect(itemLine(failed)).toContain(`photo.gif${NBSP}: non importé — photo.gif n’est pas dans un format`);
    expect(itemLine(failed)).not.toContain("GIF image");
  });
});

describe("locale formats", () => {
  it("formats dates, due days, numbers and sizes in the page's locale", () => {
    expect(formatPublished("2026-12-02")).toBe("Dec 2, 2026");
    expect(formatNumber(1234.5)).toBe("1,234.5");
    expect(formatBytes(1536)).toBe("1.5 KB");
    setLang("fr");
    expect(formatPublished("2026-12-02")).toBe("2 déc. 2026");
    expect(formatNumber(1234.5).replace(/\u202f/g, NBSP)).toBe(`1${NBSP}234,5`);
    expect(formatBytes(1536)).toBe("1,5 Ko");
    expect(formatDue("2026-11-26", "2026-11-26")).toBe("Échéance aujourd’hui");
    expect(formatDue("2026-12-02", "2026-11-26")).toBe("Échéance le 2 déc. 2026");
  });

  it("sorts as a French reader expects, accents beside their letters", () => {
    setLang("fr");
    expect(["zinc", "énergie", "Acier", "emploi"].sort(compareText)).toEqual(["Acier", "emploi", "énergie", "zinc"]);
  });

  it("sets <html lang> with the language", () => {
    setLang("fr");
    expect(document.documentElement.lang).toBe("fr-CA");
    setLang("en");
    expect(document.documentElement.lang).toBe("en-CA");
  });
});

describe("errorMessage", () => {
  it("keeps the backend's English in English", () => {
    expect(errorMessage(err("not_found", "no source with id 4", { what: "source", id: "4" }))).toBe("no source with id 4");
  });

  it.each([
    [err("not_found", "no source with id 4", { what: "source", id: "4" }), "Aucune source ne porte l’identifiant 4."],
    [err("not_found", "no tag matches \"x\"", { what: "tag", input: "acir" }), `Aucune étiquette ne correspond à «${NBSP}acir${NBSP}».`],
    [
      err("duplicate_source", "already there", { id: "3", title: "Tarifs" }),
      `Ce texte est déjà dans l’espace de travail${NBSP}: source 3 («${NBSP}Tarifs${NBSP}»)${NBSP}; rien n’a été ajouté.`,
    ],
    [err("too_large", "big", { name: "rapport.pdf", limit_mb: "50" }), `rapport.pdf dépasse la limite d’importation de 50 Mo${NBSP}; rien n’a été importé.`],
    [err("conflict", "the tag x already exists", { tag: "secteur/acier" }), "L’étiquette secteur/acier existe déjà."],
    [err("invalid", "a date must be YYYY-MM-DD"), `Une valeur n’est pas valide${NBSP}; vérifiez ce que vous avez saisi.`],
    [err("storage", "the workspace could not be read or written: disk I/O error"), "L’espace de travail n’a pas pu être lu ou écrit."],
    [err("bad_url", "nope", { url: "ftp://x" }), "ftp://x n’est pas une adresse Web que Dossier peut récupérer."],
    [err("something_new", "an English sentence"), "Le moteur de l’application a renvoyé une erreur inattendue."],
    [
      err("marking_too_low", "briefing 3 is marked UNCLASSIFIED …", {
        marking: "unclassified",
        content: "protected_b",
        excerpts: "12, 14",
        items: "Current Status: excerpt 12 (PROTECTED B)",
      }),
      `Cette note d’information porte la cote NON CLASSIFIÉ, mais cite des éléments PROTÉGÉ B (extraits 12, 14)${NBSP}; rien n’a été exporté. Relevez sa cote, ou retirez ces éléments.`,
    ],
  ])("words %o in French", (error, expected) => {
    setLang("fr");
    expect(errorMessage(error)).toBe(expected);
    expect(errorMessage(error)).not.toContain(error.message);
  });

  it("joins what failed and why with French typography", () => {
    setLang("fr");
    expect(failure("L’extrait n’a pas pu être enregistré", err("busy", "busy"))).toBe(
      `L’extrait n’a pas pu être enregistré${NBSP}: L’espace de travail est occupé${NBSP}: un autre programme l’a retenu trop longtemps${NBSP}; réessayez.`,
    );
  });
});

describe("the starting language", () => {
  it("takes the backend's answer", async () => {
    expect(await startLanguage(() => Promise.resolve({ lang: "fr" }))).toBe("fr");
    expect(lang()).toBe("fr");
  });

  it("falls back to the browser's language without a backend", async () => {
    const expected = toLang(navigator.language);
    setLang(expected === "fr" ? "en" : "fr");
    expect(await startLanguage(() => Promise.reject(new Error("no backend")))).toBe(expected);
    expect(lang()).toBe(expected);
  });

  it.each([
    ["fr_CA.UTF-8", "fr"],
    ["fr-FR", "fr"],
    ["en-US", "en"],
    ["de", "en"],
    [null, "en"],
  ] as const)("reads %s as %s", (tag, expected) => {
    expect(toLang(tag)).toBe(expected);
  });
});

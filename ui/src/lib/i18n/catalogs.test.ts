/**
 * The catalogs themselves: both languages hold the same keys with the same placeholders (a
 * message missing in French would otherwise fall back to nothing), and the French follows
 * Canadian typography (« » with non-breaking spaces, a non-breaking space before : ; ! ?,
 * the typographic apostrophe).
 */
import { describe, expect, it } from "vitest";
import en from "../../../messages/en.json";
import fr from "../../../messages/fr.json";

type Catalog = Record<string, unknown>;

interface Variant {
  declarations?: string[];
  match?: Record<string, string>;
}

/** Every text a message can show: the plain string, or each variant's. */
function texts(message: unknown): string[] {
  if (typeof message === "string") {
    return [message];
  }
  if (Array.isArray(message)) {
    return (message as Variant[]).flatMap((v) => Object.values(v.match ?? {}));
  }
  return [];
}

/** The names a message takes: `{name}` in its texts, and the inputs its variants declare. */
function placeholders(message: unknown): string[] {
  const names = new Set<string>();
  for (const text of texts(message)) {
    for (const found of text.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)) {
      if (found[1]) {
        names.add(found[1]);
      }
    }
  }
  if (Array.isArray(message)) {
    for (const v of message as Variant[]) {
      for (const d of v.declarations ?? []) {
        const input = /^input (\w+)$/.exec(d);
        if (input?.[1]) {
          names.add(input[1]);
        }
        // `local n = count: number` makes {n} from the input, not a parameter of its own.
        const local = /^local (\w+) = /.exec(d);
        if (local?.[1]) {
          names.delete(local[1]);
        }
      }
    }
  }
  return [...names].sort();
}

const keys = (c: Catalog) => Object.keys(c).filter((k) => k !== "$schema").sort();

describe("the catalogs", () => {
  it("hold the same keys in English and French", () => {
    const english = keys(en);
    const french = keys(fr);
    expect(english.filter((k) => !french.includes(k)), "keys missing in fr.json").toEqual([]);
    expect(french.filter((k) => !english.includes(k)), "keys missing in en.json").toEqual([]);
    expect(english.length).toBeGreaterThan(300);
  });

  it("give each key the same placeholders in both languages", () => {
    const differ = keys(en as Catalog)
      .filter((k) => JSON.stringify(placeholders((en as Catalog)[k])) !== JSON.stringify(placeholders((fr as Catalog)[k])))
      .map((k) => `${k}: ${placeholders((en as Catalog)[k]).join(",")} ≠ ${placeholders((fr as Catalog)[k]).join(",")}`);
    expect(differ).toEqual([]);
  });

  it("keep keys snake_case and texts non-empty", () => {
    for (const catalog of [en, fr] as Catalog[]) {
      for (const key of keys(catalog)) {
        expect(key, key).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
        for (const text of texts(catalog[key])) {
          expect(text.trim(), key).not.toBe("");
        }
      }
    }
  });
});

/** What is wrong with a French text's typography, or nothing. */
function typographyProblems(text: string): string[] {
  const problems: string[] = [];
  // Placeholders are filled at run time; their braces are not typography.
  const t = text.replace(/\{[a-zA-Z_][a-zA-Z0-9_]*\}/g, "x");
  if (/ [:;!?»]/.test(t)) {
    problems.push("a plain space before : ; ! ? or » (needs U+00A0)");
  }
  if (/[^\u00a0\u202f][;!?]/.test(t)) {
    problems.push("; ! or ? without a non-breaking space before it");
  }
  if (/«(?!\u00a0)/.test(t)) {
    problems.push("« without a non-breaking space after it");
  }
  if (/(?<!\u00a0)»/.test(t)) {
    problems.push("» without a non-breaking space before it");
  }
  if (t.includes('"')) {
    problems.push('ASCII " quotes (use « »)');
  }
  if (t.includes("'")) {
    problems.push("a straight apostrophe (use ’)");
  }
  if (/[“”]/.test(t)) {
    problems.push("English quotes “ ” (use « »)");
  }
  return problems;
}

describe("French typography", () => {
  it("finds the mistakes it looks for", () => {
    expect(typographyProblems("Supprimer ?")).not.toEqual([]);
    expect(typographyProblems("Supprimer?")).not.toEqual([]);
    expect(typographyProblems("« x»")).not.toEqual([]);
    expect(typographyProblems('le "titre"')).not.toEqual([]);
    expect(typographyProblems("l'extrait")).not.toEqual([]);
    expect(typographyProblems("Supprimer\u00a0«\u00a0{title}\u00a0»\u00a0? l’extrait : non")).toHaveLength(1);
    expect(typographyProblems("Supprimer\u00a0«\u00a0{title}\u00a0»\u00a0? l’extrait\u00a0: non")).toEqual([]);
  });

  it("holds in every French message", () => {
    const problems = keys(fr as Catalog).flatMap((key) =>
      texts((fr as Catalog)[key]).flatMap((text) => typographyProblems(text).map((p) => `${key}: ${p} — ${text}`)),
    );
    expect(problems).toEqual([]);
  });
});

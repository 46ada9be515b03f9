import { afterEach, describe, expect, it } from "vitest";
import type { Tag } from "./ipc";
import { setLang } from "./i18n";
import { tagLabel } from "./tagPaths";

const tag = (path: string, label: string, label_fr: string | null): Tag =>
  ({ path, label, label_fr, aliases: [], color: null }) as unknown as Tag;

describe("tag names follow the page's language", () => {
  afterEach(() => {
    setLang("en");
  });

  it("reads a tag by its French label on a French page, and by its label otherwise", () => {
    const tags = new Map([
      ["sector/steel", tag("sector/steel", "Steel", "Acier")],
      ["actor/canada", tag("actor/canada", "Canada", null)],
    ]);
    expect(tagLabel(tags, "sector/steel")).toBe("Steel");
    setLang("fr");
    expect(tagLabel(tags, "sector/steel")).toBe("Acier");
    expect(tagLabel(tags, "actor/canada")).toBe("Canada");
    expect(tagLabel(tags, "theme/unknown-tag")).toBe("unknown-tag");
  });
});

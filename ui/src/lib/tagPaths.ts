/**
 * Tags on the UI side: matching what the analyst types against paths, labels, French labels
 * and aliases (case- and accent-insensitive, as the store matches them), the tree the library
 * shows, and the colours highlights take.
 */
import type { Tag } from "./ipc";
import { compareText, lang } from "./i18n";

/** Lowercase, accents removed, ligatures spelled out: `Œuvre` → `oeuvre`, `Énergie` → `energie`. */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/ß/g, "ss")
    .replace(/[’‘]/g, "'");
}

export interface TagMatch {
  tag: Tag;
  /** The name that matched, when it is not the label (an alias, the French label, the path). */
  via: string | null;
  score: number;
}

/** Tags whose path, labels or aliases contain `input`, best first (prefix before infix). */
export function matchTags(tags: readonly Tag[], input: string, limit = 8): TagMatch[] {
  const needle = fold(input.trim());
  if (needle === "") {
    return [];
  }
  const out: TagMatch[] = [];
  for (const tag of tags) {
    const names: [string, string | null][] = [
      [tag.label, null],
      [tag.path, tag.path],
      [lastSegment(tag.path), null],
    ];
    if (tag.label_fr) {
      names.push([tag.label_fr, tag.label_fr]);
    }
    for (const alias of tag.aliases) {
      names.push([alias, alias]);
    }
    let best: TagMatch | null = null;
    for (const [name, via] of names) {
      const folded = fold(name);
      const at = folded.indexOf(needle);
      if (at < 0) {
        continue;
      }
      const exact = folded === needle;
      const wordStart = at === 0 || /[\s/\-_.(]/.test(folded.charAt(at - 1));
      const score = (exact ? 100 : 0) + (at === 0 ? 40 : wordStart ? 20 : 0) - folded.length / 100 + (via === null ? 1 : 0);
      if (!best || score > best.score) {
        best = { tag, via: via === tag.label ? null : via, score };
      }
    }
    if (best) {
      out.push(best);
    }
  }
  out.sort((a, b) => b.score - a.score || compareText(a.tag.path, b.tag.path));
  return out.slice(0, limit);
}

export function lastSegment(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? path : path.slice(at + 1);
}

export function parentPath(path: string): string | null {
  const at = path.lastIndexOf("/");
  return at < 0 ? null : path.slice(0, at);
}

/** A path segment made from what the analyst typed: `Semi-conducteurs` → `semi-conducteurs`. */
export function slug(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9/_.-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/(^|\/)-+|-+($|\/)/g, "$1$2")
    .replace(/\/+/g, "/")
    .replace(/^\/|\/$/g, "");
}

/** Where a tag typed inline is created: as typed when it is a path, else under `theme/`. */
export function newTagPath(input: string): string | null {
  const path = slug(input);
  if (path === "") {
    return null;
  }
  return path.includes("/") ? path : `theme/${path}`;
}

export interface TagNode {
  tag: Tag;
  depth: number;
  /** Attachments of this tag and every tag under it. */
  total: number;
  children: TagNode[];
}

/** The tags as a tree, by path; a child whose parent is missing hangs at the root. */
export function tagTree(tags: readonly Tag[]): TagNode[] {
  // In the page's language: accented siblings sit beside their plain spellings. A parent's path
  // is a prefix of its children's, so it still sorts first.
  const sorted = [...tags].sort((a, b) => compareText(a.path, b.path));
  const byPath = new Map<string, TagNode>();
  const roots: TagNode[] = [];
  for (const tag of sorted) {
    const node: TagNode = { tag, depth: 0, total: tag.count, children: [] };
    byPath.set(tag.path, node);
    let parent: TagNode | undefined;
    for (let p = parentPath(tag.path); p !== null && !parent; p = parentPath(p)) {
      parent = byPath.get(p);
    }
    if (parent) {
      node.depth = parent.depth + 1;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const sum = (node: TagNode): number => {
    node.total = node.tag.count + node.children.reduce((n, child) => n + sum(child), 0);
    return node.total;
  };
  roots.forEach(sum);
  return roots;
}

/** Depth-first, parents before children. */
export function flattenTree(nodes: readonly TagNode[]): TagNode[] {
  const out: TagNode[] = [];
  const walk = (list: readonly TagNode[]) => {
    for (const node of list) {
      out.push(node);
      walk(node.children);
    }
  };
  walk(nodes);
  return out;
}

/** True when `path` is `ancestor` or under it. */
export function isUnder(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

const FALLBACK_COLOR = "#8a6d1f";

/** The colour of a tag, inherited from the nearest coloured ancestor; `null` if none has one. */
export function ownColor(tags: ReadonlyMap<string, Tag>, path: string | undefined): string | null {
  for (let p: string | null = path ?? null; p !== null; p = parentPath(p)) {
    const color = tags.get(p)?.color;
    if (color) {
      return color;
    }
  }
  return null;
}

/** The colour a tag paints with (its highlight, its swatch): inherited, else a neutral amber. */
export function tagColor(tags: ReadonlyMap<string, Tag>, path: string | undefined): string {
  return ownColor(tags, path) ?? FALLBACK_COLOR;
}

/** A tag's name in the page's language: its French label on a French page when it has one. */
export function displayLabel(tag: Tag): string {
  return lang() === "fr" && tag.label_fr ? tag.label_fr : tag.label;
}

/** How a tag reads in a chip: its name in the page's language, or its last path segment. */
export function tagLabel(tags: ReadonlyMap<string, Tag>, path: string): string {
  const tag = tags.get(path);
  return tag ? displayLabel(tag) : lastSegment(path);
}

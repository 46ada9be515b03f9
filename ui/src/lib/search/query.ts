/**
 * The search query as the search view edits it: filters appended from facets, and the span a
 * query error points at.
 */

/** The query with a filter appended, unless it is there already. */
export function narrow(query: string, filter: string): string {
  const trimmed = query.trim();
  if (` ${trimmed} `.includes(` ${filter} `)) {
    return trimmed;
  }
  return trimmed === "" ? filter : `${trimmed} ${filter}`;
}

/** How a facet value is written as a filter in the query language. */
export function facetFilter(facet: "types" | "tags" | "outlets" | "langs" | "statuses", value: string): string {
  switch (facet) {
    case "types":
      return `type:${value}`;
    case "tags":
      return `tag:${value}`;
    case "outlets":
      return /[\s"]/.test(value) ? `outlet:"${value.replace(/"/g, "")}"` : `outlet:${value}`;
    case "langs":
      return `lang:${value}`;
    case "statuses":
      return `is:${value}`;
  }
}

/** Splits `query` around the problem a query error points at (code points → string). */
export function markQuery(query: string, position: number, length: number): [string, string, string] {
  const chars = Array.from(query);
  const start = Math.min(position, chars.length);
  const end = Math.min(start + Math.max(length, 1), chars.length);
  return [chars.slice(0, start).join(""), chars.slice(start, end).join(""), chars.slice(end).join("")];
}

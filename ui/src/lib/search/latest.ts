/**
 * Results as you type: requests are debounced, and each carries a sequence number so that a
 * slow, older request that answers late never overwrites the answer to a newer one.
 */

export interface Latest<A> {
  /** Schedules a request after the debounce delay; earlier pending ones are dropped. */
  request: (arg: A) => void;
  /** Runs now, without waiting for the delay. */
  now: (arg: A) => void;
  cancel: () => void;
}

export function latest<A, R>(
  fetch: (arg: A) => Promise<R>,
  apply: (result: { ok: true; value: R; arg: A } | { ok: false; error: unknown; arg: A }) => void,
  delay = 150,
): Latest<A> {
  let issued = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = (arg: A) => {
    const mine = ++issued;
    fetch(arg).then(
      (value) => {
        if (mine === issued) {
          apply({ ok: true, value, arg });
        }
      },
      (error: unknown) => {
        if (mine === issued) {
          apply({ ok: false, error, arg });
        }
      },
    );
  };

  return {
    request(arg) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        run(arg);
      }, delay);
    },
    now(arg) {
      clearTimeout(timer);
      run(arg);
    },
    cancel() {
      clearTimeout(timer);
      issued++;
    },
  };
}

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

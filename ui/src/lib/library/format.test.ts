import { describe, expect, it } from "vitest";
import { formatExcerptCount, formatPublished, formatSourceCount } from "./format";

describe("formatPublished", () => {
  it.each([
    ["a calendar day", "2025-03-12", "Mar 12, 2025"],
    ["the first of January, which local time would turn into December", "2025-01-01", "Jan 1, 2025"],
    ["a day that does not exist, kept as typed", "2025-02-30", "2025-02-30"],
    ["a partial date, kept as typed", "2025-03", "2025-03"],
  ])("%s", (_name, input, expected) => {
    expect(formatPublished(input, "en-US")).toBe(expected);
  });
});

describe("counts", () => {
  it.each([
    [0, "No excerpts"],
    [1, "1 excerpt"],
    [12, "12 excerpts"],
  ])("%i excerpts", (count, expected) => {
    expect(formatExcerptCount(count)).toBe(expected);
  });

  it("pluralises sources", () => {
    expect(formatSourceCount(1)).toBe("1 source");
    expect(formatSourceCount(2)).toBe("2 sources");
  });
});

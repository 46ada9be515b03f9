import { describe, expect, it } from "vitest";
import { formatExcerptCount, formatPublished, formatSourceCount, formatDue, isOverdue, today } from "./format";

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

describe("due dates", () => {
  it.each([
    ["2026-11-26", "Due today"],
    ["2026-11-27", "Due tomorrow"],
    ["2026-11-25", "1 day overdue"],
    ["2026-11-20", "6 days overdue"],
  ])("reads %s as %s on 2026-11-26", (due, expected) => {
    expect(formatDue(due, "2026-11-26", "en-CA")).toBe(expected);
  });

  it("marks only open follow-ups whose day has passed as overdue", () => {
    expect(isOverdue("2026-11-25", "open", "2026-11-26")).toBe(true);
    expect(isOverdue("2026-11-26", "open", "2026-11-26")).toBe(false);
    expect(isOverdue("2026-11-25", "answered", "2026-11-26")).toBe(false);
    expect(isOverdue(null, "open", "2026-11-26")).toBe(false);
  });

  it("takes today in the analyst's own calendar", () => {
    expect(today(new Date(2026, 0, 5, 23, 30))).toBe("2026-01-05");
  });
});

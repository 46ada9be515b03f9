/**
 * How source metadata reads in the library. Dates are stored as calendar days (`YYYY-MM-DD`)
 * with no time zone, so they are formatted in UTC: formatting in local time would show the
 * previous day west of Greenwich.
 */

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatPublished(published: string, locale?: string): string {
  const match = CALENDAR_DAY.exec(published);
  if (!match) {
    return published;
  }
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) {
    return published;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function formatExcerptCount(count: number): string {
  if (count === 0) {
    return "No excerpts";
  }
  return count === 1 ? "1 excerpt" : `${count} excerpts`;
}

export function formatSourceCount(count: number): string {
  return count === 1 ? "1 source" : `${count} sources`;
}

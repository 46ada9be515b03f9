/**
 * How dates, counts and sizes read across the views. Dates are stored as calendar days (`YYYY-MM-DD`)
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

/** Today's calendar day where the analyst is, `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** True when an open follow-up's due day has passed. */
export function isOverdue(due: string | null, status: string, day: string = today()): boolean {
  return status === "open" && due !== null && due < day;
}

/** "Due 12 Mar 2025", "Due today", "3 days overdue". */
export function formatDue(due: string, day: string = today(), locale?: string): string {
  const toUtc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  const diff = Math.round((toUtc(due) - toUtc(day)) / 86_400_000);
  if (diff === 0) {
    return "Due today";
  }
  if (diff === 1) {
    return "Due tomorrow";
  }
  if (diff < 0) {
    return diff === -1 ? "1 day overdue" : `${-diff} days overdue`;
  }
  return `Due ${formatPublished(due, locale)}`;
}

/** "12 Mar 2025, 14:05" for an RFC 3339 time, in the analyst's time zone. */
export function formatTime(rfc3339: string, locale?: string): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) {
    return rfc3339;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "12.3 MB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit] ?? "GB"}`;
}

/**
 * How dates, counts and sizes read across the views, in the page's language. Dates are stored
 * as calendar days (`YYYY-MM-DD`) with no time zone, so they are formatted in UTC: formatting
 * in local time would show the previous day west of Greenwich. The locale defaults to the
 * page's (`en-CA` / `fr-CA`); the words come from the catalogs, plurals included.
 */
import { formatNumber, intlLocale, m } from "./i18n";

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatPublished(published: string, locale: string = intlLocale()): string {
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
  return count === 0 ? m.count_excerpts_none() : m.count_excerpts({ count });
}

export function formatSourceCount(count: number): string {
  return m.count_sources({ count });
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
export function formatDue(due: string, day: string = today(), locale: string = intlLocale()): string {
  const toUtc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  const diff = Math.round((toUtc(due) - toUtc(day)) / 86_400_000);
  if (diff === 0) {
    return m.due_today();
  }
  if (diff === 1) {
    return m.due_tomorrow();
  }
  if (diff < 0) {
    return m.due_overdue({ count: -diff });
  }
  return m.due_on({ date: formatPublished(due, locale) });
}

/** "12 Mar 2025, 14:05" for an RFC 3339 time, in the analyst's time zone. */
export function formatTime(rfc3339: string, locale: string = intlLocale()): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) {
    return rfc3339;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "12.3 MB", "12,3 Mo" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return m.bytes_b({ size: formatNumber(bytes) });
  }
  const units = [m.bytes_kb, m.bytes_mb, m.bytes_gb] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const size = formatNumber(value, { maximumFractionDigits: value >= 10 ? 0 : 1, minimumFractionDigits: value >= 10 ? 0 : 1 });
  return (units[unit] ?? m.bytes_gb)({ size });
}

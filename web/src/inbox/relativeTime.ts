/** Formatters by locale and options: making one costs far more than formatting with it (every row, every render). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''} ${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/**
 * When a conversation was last active, as an inbox shows it: "now", "5 min",
 * "3 h", then the weekday for the last week, then the date (with the year
 * when it is not this one's).
 */
export function relativeTime(iso: string, now: number, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 45) return 'now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 24 * 3600) return `${Math.floor(seconds / 3600)} h`;
  const date = new Date(at);
  if (seconds < 6 * 24 * 3600) return formatter(locale, { weekday: 'short' }).format(date);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return formatter(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) }).format(date);
}

/** The full date and time, for a tooltip. */
export function fullTime(iso: string, locale?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}

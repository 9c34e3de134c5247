import { dayFormat } from './timeFormats';

/** The transcript's day separator: "Today", "Yesterday" or e.g. "Wednesday, November 25". */
export function dayLabel(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.valueOf())) return '';
  const today = new Date();
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return dayFormat().format(date);
}

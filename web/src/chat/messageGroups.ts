// Which bubbles of the transcript form a group: consecutive messages by the same sender in the same minute (so the
// same day) with the same delivery status. A group shows its time and status once, under its last bubble.

export interface Groupable {
  senderId: string;
  /** RFC 3339; an unparsable time never groups. */
  createdAt: string;
  /** The delivery status shown (the viewer's messages), or null. A change of status starts a new group. */
  status?: string | null;
}

export interface GroupPlace {
  /** First bubble of its group (spaced from the previous one). */
  startsGroup: boolean;
  /** Last bubble of its group: shows the group's time and status. */
  endsGroup: boolean;
}

const MINUTE = 60_000;

/** Parsed minutes by time string: a transcript is regrouped on every change, and parsing thousands of dates each
 *  time would be most of the cost of showing a sent message in a long conversation. */
const minutes = new Map<string, number>();
const MINUTES_KEPT = 50_000;

/** The minute a time falls in, as shown ("14:05"); NaN when it cannot be read. */
function minuteOf(iso: string): number {
  let minute = minutes.get(iso);
  if (minute === undefined) {
    if (minutes.size >= MINUTES_KEPT) minutes.clear();
    minute = Math.floor(Date.parse(iso) / MINUTE);
    minutes.set(iso, minute);
  }
  return minute;
}

/** Whether `b`, right after `a`, belongs to `a`'s group. */
export function sameGroup(a: Groupable, b: Groupable): boolean {
  const minute = minuteOf(a.createdAt);
  return (
    a.senderId === b.senderId &&
    (a.status ?? null) === (b.status ?? null) &&
    !Number.isNaN(minute) &&
    minute === minuteOf(b.createdAt)
  );
}

/** For each item, in order, where it stands in its group. */
export function groupPlaces(items: readonly Groupable[]): GroupPlace[] {
  return items.map((item, i) => ({
    startsGroup: i === 0 || !sameGroup(items[i - 1]!, item),
    endsGroup: i === items.length - 1 || !sameGroup(item, items[i + 1]!),
  }));
}

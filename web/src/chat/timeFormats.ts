import { once } from '../shared/once';

// The transcript's date and time formats, in the viewer's locale. Made on first use, not when the chat's code loads:
// a page's first Intl object loads the browser's ICU data (tens of milliseconds), which should not hold up the
// conversation's first requests (issue #24). `prepareTimeFormats` makes them while the conversation waits for its
// messages.

/** A message's time: "14:05". */
export const timeFormat = once(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }));
/** Its full date and time (a bubble's tooltip, when it was edited). */
export const fullTimeFormat = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }));
/** A day separator's date: "Wednesday, November 25". */
export const dayFormat = once(
  () => new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' }),
);

/**
 * Makes the formats the first page shows, each in a task of its own, while that page is on its way: the first Intl
 * object loads the browser's locale data, which would otherwise lengthen the page's first render (as an idle callback
 * it often came too late for that). Returns a function that cancels.
 */
export function prepareTimeFormats(): () => void {
  const timers = [timeFormat, dayFormat, fullTimeFormat].map((make) => setTimeout(make, 0));
  return () => timers.forEach((timer) => clearTimeout(timer));
}

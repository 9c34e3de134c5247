// The transcript's hidden "New messages" log: the peer's messages that arrived while it is shown, each announced
// once (not the history, not older pages, not the viewer's own).
import { useState } from 'react';
import { timeFormat } from './timeFormats';

/** The last few announcements are kept (the log is visually hidden; older lines were read already). */
const KEEP_ANNOUNCED = 5;

interface Announcement {
  id: string;
  text: string;
}

/**
 * The peer's messages that arrived after the list was first shown, appended
 * after the newest one seen before: what the "New messages" log announces.
 */
function useIncomingAnnouncements(
  messages: ReadonlyArray<{ id: string; content: string; createdAt: string; sender: { id: string } }>,
  viewerId: string,
  peerName: string,
) {
  const newestId = messages.at(-1)?.id;
  // React's "adjust state when a prop changes" pattern: compared during render, no effect needed.
  const [seen, setSeen] = useState<{ newestId: string | undefined; announced: Announcement[] }>({
    newestId,
    announced: [],
  });
  if (newestId !== seen.newestId) {
    const from = seen.newestId ? messages.findIndex((m) => m.id === seen.newestId) + 1 : messages.length;
    const arrived = from > 0 ? messages.slice(from) : [];
    const incoming = arrived
      .filter((m) => m.sender.id !== viewerId)
      .map((m) => {
        const time = new Date(m.createdAt);
        const when = Number.isNaN(time.valueOf()) ? '' : `, ${timeFormat().format(time)}`;
        return { id: m.id, text: `${peerName}${when}: ${m.content}` };
      });
    setSeen({ newestId, announced: [...seen.announced, ...incoming].slice(-KEEP_ANNOUNCED) });
  }
  return seen.announced;
}

type LoggedMessage = { id: string; content: string; createdAt: string; sender: { id: string } };

export function NewMessagesLog(props: { messages: ReadonlyArray<LoggedMessage>; viewerId: string; peerName: string }) {
  const announcements = useIncomingAnnouncements(props.messages, props.viewerId, props.peerName);
  // The log holds a list (a role="log" element cannot be the list itself: its items would have no list).
  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-label="New messages">
      {announcements.length > 0 && (
        <ol>
          {announcements.map((a) => (
            <li key={a.id}>{a.text}</li>
          ))}
        </ol>
      )}
    </div>
  );
}

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { describeError } from '../shared/errors';
import { useNow } from '../shared/useNow';
import { fullTime, relativeTime } from './relativeTime';
import { SearchSnippet } from './SearchSnippet';
import { useMessageSearch } from './useMessageSearch';

/** Typing in a field: `/` is text there, not the shortcut. */
const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/**
 * The search field above the inbox (`/` or Ctrl+K focuses it) and its results as you type: the combobox pattern,
 * arrows move through the hits, Enter opens one (its conversation at that message), Esc clears.
 */
export function SearchMessages(props: {
  viewerId: string;
  onOpenMessage(peerId: string, at: { id: string; cursor: string }): void;
}) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const { term, hits, loading, error } = useMessageSearch(text);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const now = useNow();

  useEffect(() => {
    const focusSearch = (event: globalThis.KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      if (!ctrlK && !(event.key === '/' && !typingIn(event.target))) return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', focusSearch);
    return () => document.removeEventListener('keydown', focusSearch);
  }, []);
  const results = hits ?? [];
  // A new search starts at its first hit (reset as the text changes; kept in range as results arrive).
  const current = Math.min(active, Math.max(results.length - 1, 0));
  const open = (index: number) => {
    const hit = results[index];
    if (!hit) return;
    const { node } = hit;
    const peer = node.sender.id === props.viewerId ? node.recipient : node.sender;
    props.onOpenMessage(peer.id, { id: node.id, cursor: node.cursor });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && text) setText('');
    else if (event.key === 'ArrowDown' && results.length) setActive((current + 1) % results.length);
    else if (event.key === 'ArrowUp' && results.length) setActive((current - 1 + results.length) % results.length);
    else if (event.key === 'Enter' && results.length) open(current);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const shown = term !== '';
  let status = '';
  if (shown && error) status = `Could not search. ${describeError(error)}`;
  else if (shown && hits && hits.length === 0) status = `No messages match “${term}”.`;
  else if (shown && hits) status = `${hits.length} ${hits.length === 1 ? 'message' : 'messages'} found.`;
  else if (shown && loading) status = 'Searching…';

  return (
    <div className="search people__search" role="search">
      <input
        ref={input}
        type="search"
        placeholder="Search messages… ( / )"
        aria-label="Search messages"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={`${ids}-results`}
        aria-autocomplete="list"
        aria-activedescendant={results.length ? `${ids}-hit-${current}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        autoComplete="off"
      />
      <p className="search__status muted" role="status" hidden={!status}>
        {status}
      </p>
      <ul
        className="search__results"
        id={`${ids}-results`}
        role="listbox"
        aria-label="Messages found"
        hidden={!results.length}
      >
        {results.map((hit, index) => {
          const { node } = hit;
          const peer = node.sender.id === props.viewerId ? node.recipient : node.sender;
          return (
            // The field keeps the focus (aria-activedescendant); a click opens the hit.
            <li
              key={node.id}
              id={`${ids}-hit-${index}`}
              role="option"
              aria-selected={index === current}
              className={`search-hit${index === current ? ' search-hit--active' : ''}`}
              onClick={() => open(index)}
              onMouseMove={() => setActive(index)}
              data-testid="search-hit"
            >
              <span className="search-hit__head">
                <span className="search-hit__peer" dir="auto">
                  {peer.displayName}
                </span>
                <time className="muted" dateTime={node.createdAt} title={fullTime(node.createdAt)}>
                  {relativeTime(node.createdAt, now)}
                </time>
              </span>
              <SearchSnippet text={hit.snippet} highlights={hit.highlights} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

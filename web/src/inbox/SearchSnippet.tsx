/** A search hit's snippet with its matches marked (`highlights`: UTF-16 ranges, in order, as the server gives). */
export function SearchSnippet(props: { text: string; highlights: ReadonlyArray<{ start: number; length: number }> }) {
  const parts = [];
  let at = 0;
  for (const { start, length } of props.highlights) {
    if (start < at || length <= 0) continue; // out of order or empty: ignored, never duplicated text
    parts.push(props.text.slice(at, start), <mark key={start}>{props.text.slice(start, start + length)}</mark>);
    at = start + length;
  }
  parts.push(props.text.slice(at));
  return (
    <span className="search-hit__snippet" dir="auto">
      {parts}
    </span>
  );
}

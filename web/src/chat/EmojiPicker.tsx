import { Picker } from 'emoji-picker-element';
import type { EmojiClickEvent } from 'emoji-picker-element/shared';
// The emoji data is served by the app itself (no CDN): an asset fetched only when the picker opens.
import dataSource from 'emoji-picker-element-data/en/emojibase/data.json?url';
import { useEffect, useRef } from 'react';

/**
 * The full emoji picker (emoji-picker-element: search, categories, skin tones, keyboard navigation, labelled for
 * screen readers). A lazy chunk: MessageActions imports it with React.lazy.
 */
export default function EmojiPicker(props: { onPick(emoji: string): void }) {
  const host = useRef<HTMLDivElement>(null);
  const onPick = useRef(props.onPick);
  useEffect(() => {
    onPick.current = props.onPick;
  });
  useEffect(() => {
    const picker = new Picker({ dataSource });
    const listener = (event: EmojiClickEvent) => {
      if (event.detail.unicode) onPick.current(event.detail.unicode);
    };
    picker.addEventListener('emoji-click', listener);
    host.current?.appendChild(picker);
    return () => {
      picker.removeEventListener('emoji-click', listener);
      picker.remove();
    };
  }, []);
  return <div className="emoji-picker" ref={host} />;
}

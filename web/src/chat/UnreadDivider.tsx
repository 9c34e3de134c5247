import { memo } from 'react';
import { sameRowedProps, type RowProps } from './transcriptRows';

/** "New messages": above the viewer's first unread message when the conversation opened (issue #24). */
export const UnreadDivider = memo(function UnreadDivider({ row }: { row?: RowProps }) {
  return (
    <li className="unread-divider" {...row}>
      <span>New messages</span>
    </li>
  );
}, sameRowedProps);

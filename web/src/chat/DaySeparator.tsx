import { memo } from 'react';
import { sameRowedProps, type RowProps } from './transcriptRows';

/** A day's heading in the transcript ("Today", "Yesterday", "Wednesday, November 25"). */
export const DaySeparator = memo(function DaySeparator({ day, row }: { day: string; row?: RowProps }) {
  return (
    <li className="day-separator" {...row}>
      <span>{day}</span>
    </li>
  );
}, sameRowedProps);

/** A day's heading in the transcript ("Today", "Yesterday", "Wednesday, November 25"). */
export function DaySeparator({ day }: { day: string }) {
  return (
    <li className="day-separator">
      <span>{day}</span>
    </li>
  );
}

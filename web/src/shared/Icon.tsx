import type { ReactNode } from 'react';

/**
 * The shell of every inline icon: decorative (hidden from screen readers: the button or label around it names
 * it), drawn in the text's colour, outlined with round ends unless `filled`. The paths are the children.
 */
export function Icon(props: {
  size: number;
  viewBox?: string;
  /** Painted, not outlined. */
  filled?: boolean;
  strokeWidth?: number;
  className?: string;
  children: ReactNode;
}) {
  const { size, filled = false } = props;
  return (
    <svg
      className={props.className}
      width={size}
      height={size}
      viewBox={props.viewBox ?? '0 0 24 24'}
      aria-hidden="true"
      fill={filled ? 'currentColor' : 'none'}
      {...(filled
        ? {}
        : {
            stroke: 'currentColor',
            strokeWidth: props.strokeWidth ?? 2,
            strokeLinecap: 'round',
            strokeLinejoin: 'round',
          })}
    >
      {props.children}
    </svg>
  );
}

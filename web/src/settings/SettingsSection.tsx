import { useId, type ReactNode } from 'react';

/** One part of the settings page: a titled region (a landmark for screen readers, reachable by its heading). */
export function SettingsSection(props: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  danger?: boolean;
}) {
  const id = useId();
  return (
    <section className={`settings-section${props.danger ? ' settings-section--danger' : ''}`} aria-labelledby={id}>
      <h3 id={id} className="settings-section__title" tabIndex={-1}>
        {props.title}
      </h3>
      {props.description && <p className="muted settings-section__description">{props.description}</p>}
      {props.children}
    </section>
  );
}

import { useId, type InputHTMLAttributes, type Ref } from 'react';

/**
 * One labelled input of a settings form, with its problem (if any) under it: `aria-invalid` and `aria-describedby`
 * point at it, as on the login page.
 */
export function Field(
  props: {
    label: string;
    problem?: string | null;
    hint?: string;
    inputRef?: Ref<HTMLInputElement>;
  } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>,
) {
  const { label, problem, hint, inputRef, ...input } = props;
  const id = useId();
  const described = [problem ? `${id}-problem` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="settings-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {hint && (
        <p className="muted settings-field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p className="error field-error" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}

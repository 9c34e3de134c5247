import { useEffect, useRef, useState } from 'react';
import { downloadExport } from './downloadExport';
import { SettingsSection } from './SettingsSection';

type State =
  { status: 'idle' } | { status: 'busy' } | { status: 'done'; name: string } | { status: 'failed'; message: string };

/** "Download my data": a JSON file of the profile, sessions, blocks, conversations and every message. */
export function ExportSection() {
  const [state, setState] = useState<State>({ status: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function download() {
    abort.current?.abort();
    const controller = (abort.current = new AbortController());
    setState({ status: 'busy' });
    try {
      const name = await downloadExport(controller.signal);
      if (!controller.signal.aborted) setState({ status: 'done', name });
    } catch (error) {
      if (!controller.signal.aborted)
        setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  const busy = state.status === 'busy';
  return (
    <SettingsSection
      title="Your data"
      description="A JSON file with your profile, sessions, blocks, conversations and every message, both ways."
    >
      <div className="settings-form__actions">
        <button
          type="button"
          className="button"
          onClick={() => void download()}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {busy && <span className="spinner spinner--small" aria-hidden="true" />}
          {busy ? 'Preparing your data…' : 'Download my data'}
        </button>
        <span className="settings-form__status" role="status">
          {state.status === 'done' ? `Downloaded ${state.name}.` : ''}
        </span>
      </div>
      {state.status === 'failed' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
    </SettingsSection>
  );
}

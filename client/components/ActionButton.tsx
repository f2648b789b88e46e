'use client';
import { useState } from 'react';
import { errorItemsOf } from '@/lib/api/browser';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  label: string;
  /** Shown while the action runs. */
  busyLabel: string;
  secondary?: boolean;
  /** The API call(s); a rejection's error items are shown above the button. */
  action: () => Promise<void>;
  /** After a failure, once its messages show (e.g. re-read what changed meanwhile). */
  onFailure?: () => void;
  /** The action navigates away on success: keep the button disabled so it is not sent twice. */
  staysBusyOnSuccess?: boolean;
}

/** A button that runs one API action, disabled while it runs, with its errors above it. */
export function ActionButton({ label, busyLabel, secondary, action, onFailure, staysBusyOnSuccess }: Props) {
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  // Catches the action's failure and shows it, so the click handler can `void` it.
  async function run() {
    setBusy(true);
    setErrors([]);
    try {
      await action();
      if (!staysBusyOnSuccess) setBusy(false);
    } catch (err) {
      setErrors(errorItemsOf(err).map((e) => e.message));
      setBusy(false);
      onFailure?.();
    }
  }

  return (
    <div className="actions">
      <ErrorAlert messages={errors} />
      <button type="button" className={secondary ? 'button button-secondary' : 'button'} onClick={() => void run()} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}

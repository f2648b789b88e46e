'use client';
import { useEffect, useRef, useState } from 'react';
import { apiRequest, errorItemsOf } from '@/lib/api/browser';
import { rememberSignedIn } from '@/lib/api/session-renewal';
import { ErrorAlert } from './ErrorAlert';

/** Ends the session as soon as the page opens, then reloads the home page signed out. */
export function SignOut() {
  const [errors, setErrors] = useState<string[]>([]);
  const [attempt, setAttempt] = useState(0);
  const started = useRef(-1);

  useEffect(() => {
    // Once per attempt, even when React runs effects twice in development.
    if (started.current === attempt) return;
    started.current = attempt;
    apiRequest<unknown>('POST', '/api/users/signout', {})
      .then(() => {
        rememberSignedIn(false);
        window.location.replace('/');
      })
      .catch((err: unknown) => setErrors(errorItemsOf(err).map((e) => e.message)));
  }, [attempt]);

  return (
    <>
      <p aria-live="polite">{errors.length === 0 ? 'Signing you out…' : 'Signing out failed.'}</p>
      <ErrorAlert messages={errors} />
      {errors.length > 0 && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setErrors([]);
            setAttempt((a) => a + 1);
          }}
        >
          Try again
        </button>
      )}
    </>
  );
}

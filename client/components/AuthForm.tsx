'use client';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { CurrentUser } from '@/lib/api/types';
import { safeNextPath } from '@/lib/safe-next';
import { ErrorAlert } from './ErrorAlert';
import { TextField } from './TextField';
import { useApiForm } from './useApiForm';

const FIELDS = ['email', 'password'] as const;

/**
 * Sign-up or sign-in form; on success loads `next` (a path of this site the page already
 * checked with safeNextPath, or `/`) so every server-rendered part sees the session.
 */
export function AuthForm({ mode, next = '/' }: { mode: 'signup' | 'signin'; next?: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { formRef, pending, submit, byField, general } = useApiForm(FIELDS);

  const action = mode === 'signup' ? 'Sign up' : 'Sign in';
  // The other form keeps the way back.
  const carry = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;

  // void: submit() catches the send's failure and shows it in the form; nothing is left to reject.
  const onSubmit = (event: FormEvent<HTMLFormElement>) =>
    void submit(event, async () => {
      await apiRequest<CurrentUser>('POST', `/api/users/${mode}`, { email, password });
      // A full load, not a client-side navigation: the header is rendered on the server.
      window.location.assign(safeNextPath(next));
    });

  return (
    // noValidate: the API's messages are the ones shown, the same in every browser.
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        value={email}
        onChange={setEmail}
        error={byField.email}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
        required
        hint={mode === 'signup' ? 'At least 8 characters.' : undefined}
        value={password}
        onChange={setPassword}
        error={byField.password}
      />
      <ErrorAlert messages={general} hasFieldErrors={Object.keys(byField).length > 0} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? `${action}…` : action}
      </button>
      <p className="form-footer">
        {mode === 'signup' ? (
          <>
            Already have an account? <Link href={`/auth/signin${carry}`}>Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href={`/auth/signup${carry}`}>Create an account</Link>
          </>
        )}
      </p>
    </form>
  );
}

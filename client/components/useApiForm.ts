'use client';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorItemsOf } from '@/lib/api/browser';
import type { ApiErrorItem } from '@/lib/api/types';
import { splitErrors } from '@/lib/form-errors';

/**
 * What every form that sends to the API shares: the API's errors split into the form's fields
 * and the rest, keyboard focus on the first invalid field after a refusal, and a busy flag.
 * `submit(event, send)` runs one submission: a form that leaves the page on success stays
 * busy until it has gone ('leave'); one that stays is ready again ('stay').
 */
export function useApiForm(fields: readonly string[]) {
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  async function submit(event: FormEvent<HTMLFormElement>, send: () => Promise<void>, onSuccess: 'leave' | 'stay' = 'leave') {
    event.preventDefault();
    setPending(true);
    setErrors([]);
    try {
      await send();
      if (onSuccess === 'stay') setPending(false);
    } catch (err) {
      setErrors(errorItemsOf(err));
      setPending(false);
    }
  }

  return { formRef, pending, submit, ...splitErrors(errors, fields) };
}

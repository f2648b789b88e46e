'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { apiRequest, errorItemsOf } from '@/lib/api/browser';
import type { ApiErrorItem, Ticket } from '@/lib/api/types';
import { splitErrors } from '@/lib/form-errors';
import { priceValue } from '@/lib/price-input';
import { ErrorAlert } from './ErrorAlert';
import { TextField } from './TextField';
import { useFocusFirstInvalid } from './useFocusFirstInvalid';

const FIELDS = ['title', 'price'] as const;

/** Lists a ticket for sale and opens its page. */
export function NewTicketForm() {
  const router = useRouter();
  const [title, setTitle] = useState('');
  const [price, setPrice] = useState('');
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, errors);
  const { byField, general } = splitErrors(errors, FIELDS);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setErrors([]);
    try {
      // The API stores a title exactly as sent and refuses outer spaces: drop the ones typed by accident.
      const ticket = await apiRequest<Ticket>('POST', '/api/tickets', { title: title.trim(), price: priceValue(price) });
      router.push(`/tickets/${ticket.id}`);
    } catch (err) {
      setErrors(errorItemsOf(err));
      setPending(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
      <TextField name="title" label="Title" autoComplete="off" required value={title} onChange={setTitle} error={byField.title} />
      <TextField
        name="price"
        label="Price (USD)"
        inputMode="decimal"
        autoComplete="off"
        required
        hint="From 0.50 to 999,999.99, for example 25 or 19.99."
        value={price}
        onChange={setPrice}
        error={byField.price}
      />
      <ErrorAlert messages={general} hasFieldErrors={Object.keys(byField).length > 0} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Listing…' : 'List ticket'}
      </button>
    </form>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { Ticket } from '@/lib/api/types';
import { priceValue } from '@/lib/price-input';
import { ErrorAlert } from './ErrorAlert';
import { TextField } from './TextField';
import { useApiForm } from './useApiForm';

const FIELDS = ['title', 'price'] as const;

/** Lists a ticket for sale and opens its page. */
export function NewTicketForm() {
  const router = useRouter();
  const [title, setTitle] = useState('');
  const [price, setPrice] = useState('');
  const { formRef, pending, submit, byField, general } = useApiForm(FIELDS);

  // void: submit() catches the send's failure and shows it in the form; nothing is left to reject.
  const onSubmit = (event: FormEvent<HTMLFormElement>) =>
    void submit(event, async () => {
      // The API stores a title exactly as sent and refuses outer spaces: drop the ones typed by accident.
      const ticket = await apiRequest<Ticket>('POST', '/api/tickets', { title: title.trim(), price: priceValue(price) });
      router.push(`/tickets/${ticket.id}`);
    });

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

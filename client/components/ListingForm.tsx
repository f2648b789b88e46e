'use client';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { Ticket } from '@/lib/api/types';
import { priceValue } from '@/lib/price-input';
import { ErrorAlert } from './ErrorAlert';
import { TextField } from './TextField';
import { useApiForm } from './useApiForm';

const FIELDS = ['title', 'price'] as const;

interface Props {
  ticket: Pick<Ticket, 'id' | 'title' | 'price'>;
  /** Only the organizer may retitle; a holder reselling keeps the title. */
  titleEditable: boolean;
  submitLabel: string;
  busyLabel: string;
  priceHint?: string;
  /** After the API accepted the change (e.g. re-render the page). */
  onSaved: (ticket: Ticket) => void;
}

/**
 * PUT /api/tickets/:id: the seller edits a listing, relists a withdrawn ticket, or the holder
 * of a delivered ticket lists it again (resale). The API decides which, and says what is wrong.
 */
export function ListingForm({ ticket, titleEditable, submitLabel, busyLabel, priceHint, onSaved }: Props) {
  const [title, setTitle] = useState(ticket.title);
  const [price, setPrice] = useState(String(ticket.price));
  const { formRef, pending, submit, byField, general } = useApiForm(FIELDS);

  // void: submit() catches the send's failure and shows it in the form; nothing is left to reject.
  const onSubmit = (event: FormEvent<HTMLFormElement>) =>
    void submit(
      event,
      async () => {
        const body = { title: titleEditable ? title.trim() : ticket.title, price: priceValue(price) };
        onSaved(await apiRequest<Ticket>('PUT', `/api/tickets/${encodeURIComponent(ticket.id)}`, body));
      },
      'stay',
    );

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
      {titleEditable && <TextField name="title" label="Title" autoComplete="off" required value={title} onChange={setTitle} error={byField.title} />}
      <TextField
        name="price"
        label="Price (USD)"
        inputMode="decimal"
        autoComplete="off"
        required
        hint={priceHint}
        value={price}
        onChange={setPrice}
        error={byField.price}
      />
      <ErrorAlert messages={titleEditable ? general : [...general, ...(byField.title ? [byField.title] : [])]} hasFieldErrors={!!byField.price || (titleEditable && !!byField.title)} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? busyLabel : submitLabel}
      </button>
    </form>
  );
}

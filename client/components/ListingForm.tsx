'use client';
import { useRef, useState, type FormEvent } from 'react';
import { apiRequest, errorItemsOf } from '@/lib/api/browser';
import type { ApiErrorItem, Ticket } from '@/lib/api/types';
import { splitErrors } from '@/lib/form-errors';
import { priceValue } from '@/lib/price-input';
import { ErrorAlert } from './ErrorAlert';
import { TextField } from './TextField';
import { useFocusFirstInvalid } from './useFocusFirstInvalid';

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
      const body = { title: titleEditable ? title.trim() : ticket.title, price: priceValue(price) };
      const saved = await apiRequest<Ticket>('PUT', `/api/tickets/${encodeURIComponent(ticket.id)}`, body);
      setPending(false);
      onSaved(saved);
    } catch (err) {
      setErrors(errorItemsOf(err));
      setPending(false);
    }
  }

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

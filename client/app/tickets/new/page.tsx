import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { NewTicketForm } from '@/components/NewTicketForm';
import { getCurrentUser } from '@/lib/api/server';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function NewTicketPage() {
  const current = await getCurrentUser();
  if (current.ok && !current.data) redirect(signInHref('/tickets/new'));
  return (
    <section className="narrow">
      <h1>Sell a ticket</h1>
      {current.ok ? <NewTicketForm /> : <ApiProblem error={current.error} />}
    </section>
  );
}

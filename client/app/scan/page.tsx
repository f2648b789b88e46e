import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { Scanner } from '@/components/Scanner';
import { getCurrentUser } from '@/lib/api/server';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Scan tickets' };

/** The event side's door scanner: admits each delivered ticket once. */
export default async function ScanPage() {
  const current = await getCurrentUser();
  if (current.ok && !current.data) redirect(signInHref('/scan'));
  return (
    <section className="narrow">
      <h1>Scan tickets</h1>
      <p>Check in the tickets of events you organise: each code admits once.</p>
      {current.ok ? <Scanner /> : <ApiProblem error={current.error} />}
    </section>
  );
}

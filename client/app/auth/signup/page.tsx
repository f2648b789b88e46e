import type { Metadata } from 'next';
import { AuthForm } from '@/components/AuthForm';
import { safeNextPath } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Sign up' };

/** `?next=` brings the visitor back to where they were, when it is a path of this site. */
export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return (
    <section className="narrow">
      <h1>Sign up</h1>
      <AuthForm mode="signup" next={safeNextPath(next)} />
    </section>
  );
}

import type { Metadata } from 'next';
import { AuthForm } from '@/components/AuthForm';
import { safeNextPath } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'Sign in' };

/** `?next=` brings the visitor back to where they were, when it is a path of this site. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <AuthForm mode="signin" next={safeNextPath(next)} />
    </section>
  );
}

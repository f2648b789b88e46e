import type { Metadata } from 'next';
import { SignOut } from '@/components/SignOut';

export const metadata: Metadata = { title: 'Sign out' };

export default function SignOutPage() {
  return (
    <section className="narrow">
      <h1>Sign out</h1>
      <SignOut />
    </section>
  );
}

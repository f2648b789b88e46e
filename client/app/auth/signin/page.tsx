import type { Metadata } from 'next';
import { AuthForm } from '@/components/AuthForm';

export const metadata: Metadata = { title: 'Sign in' };

export default function SignInPage() {
  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <AuthForm mode="signin" />
    </section>
  );
}

import type { Metadata } from 'next';
import { AuthForm } from '@/components/AuthForm';

export const metadata: Metadata = { title: 'Sign up' };

export default function SignUpPage() {
  return (
    <section className="narrow">
      <h1>Sign up</h1>
      <AuthForm mode="signup" />
    </section>
  );
}

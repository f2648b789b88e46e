import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/Header';
import { LiveProvider } from '@/components/live/LiveProvider';
import { SessionKeeper } from '@/components/SessionKeeper';
import { getCurrentUser } from '@/lib/api/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ticketing', template: '%s · Ticketing' },
  description: 'Buy and sell event tickets.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // When the API is down the header shows the signed-out links; pages say what is wrong.
  const current = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {/* One live-updates stream per page; a new one when the signed-in user changes. */}
        <LiveProvider key={(current.ok && current.data?.id) || 'anonymous'}>
          <Header currentUser={current.ok ? current.data : null} />
          {/* An outage is not "signed out": only a real answer decides whether to renew. */}
          {current.ok && <SessionKeeper currentUser={current.data} />}
          <main id="main" className="container" tabIndex={-1}>
            {children}
          </main>
        </LiveProvider>
      </body>
    </html>
  );
}

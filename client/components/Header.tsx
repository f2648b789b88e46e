import Link from 'next/link';
import type { CurrentUser } from '@/lib/api/types';

/** Site header: who is signed in and the links that make sense for them. */
export function Header({ currentUser }: { currentUser: CurrentUser | null }) {
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link href="/" className="brand">
          Ticketing
        </Link>
        <nav aria-label="Main">
          <ul className="nav-links">
            {currentUser ? (
              <>
                <li className="signed-in-as">
                  Signed in as <strong>{currentUser.email}</strong>
                </li>
                <li>
                  <Link href="/tickets/new">Sell tickets</Link>
                </li>
                <li>
                  <Link href="/orders">My orders</Link>
                </li>
                <li>
                  <Link href="/tickets/mine">My tickets</Link>
                </li>
                <li>
                  <Link href="/tickets/listings">My listings</Link>
                </li>
                <li>
                  <Link href="/scan">Scan</Link>
                </li>
                <li>
                  <Link href="/auth/signout" prefetch={false}>
                    Sign out
                  </Link>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link href="/auth/signup">Sign up</Link>
                </li>
                <li>
                  <Link href="/auth/signin">Sign in</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** Demo data for a newcomer: two sellers with a few tickets, and a buyer. Idempotent enough: skips users that exist. */
const USERS = [
  { email: 'alice@example.com', password: 'password123', tickets: [['Coldplay — Wembley, row 12', 89.5], ['Jazz night at the Blue Note', 35]] },
  { email: 'bob@example.com', password: 'password123', tickets: [['Champions League final (standing)', 420], ['Hamilton — matinee', 149.99]] },
  { email: 'carol@example.com', password: 'password123', tickets: [] },
] as const;

async function signIn(base: string, email: string, password: string): Promise<string> {
  for (const path of ['/api/users/signup', '/api/users/signin']) {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.ok) return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
  throw new Error(`could not sign up or sign in ${email}`);
}

export async function seed(base: string, log: (line: string) => void): Promise<void> {
  const existing = (await (await fetch(`${base}/api/tickets`)).json()) as { title: string }[];
  for (const user of USERS) {
    const cookie = await signIn(base, user.email, user.password);
    for (const [title, price] of user.tickets) {
      if (existing.some((t) => t.title === title)) continue;
      const res = await fetch(`${base}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ title, price }),
      });
      if (!res.ok) throw new Error(`seeding "${title}" failed: ${res.status} ${await res.text()}`);
    }
  }
  log(`seeded demo users (${USERS.map((u) => u.email).join(', ')}; password "password123") and their tickets`);
}

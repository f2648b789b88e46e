// `next build` with `output: 'standalone'` leaves the static assets out of the standalone
// server's folder (a CDN usually serves them). Copy them in, so `.next/standalone` runs as
// is — locally (npm start) exactly as in the image.
import { cpSync, existsSync } from 'node:fs';

cpSync('.next/static', '.next/standalone/client/.next/static', { recursive: true });
if (existsSync('public')) cpSync('public', '.next/standalone/client/public', { recursive: true });

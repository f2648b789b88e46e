import path from 'node:path';
import type { NextConfig } from 'next';

// The monorepo root: dependencies are hoisted there, so file tracing (standalone output)
// and Turbopack must both look from it.
const monorepoRoot = path.join(__dirname, '..');

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone) for a small container image.
  output: 'standalone',
  outputFileTracingRoot: monorepoRoot,
  turbopack: { root: monorepoRoot },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The monorepo root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Back-end services: each a workspace with src/config.ts and src/index.ts (runService). */
export const SERVICES = ['auth', 'tickets', 'orders', 'payments', 'expiration', 'live'] as const;
export type Service = (typeof SERVICES)[number];

/** Everything that becomes an image: the services and the Next.js client. */
export const IMAGES = [...SERVICES, 'client'] as const;
export type ImageName = (typeof IMAGES)[number];

/** The image name the manifests and Skaffold use for a workspace. */
export const imageOf = (name: ImageName) => `ticketing/${name}`;

/** Third-party images the manifests may use (pinned by tag). */
export const THIRD_PARTY_IMAGES = ['mongo:7', 'nats:2.14-alpine', 'redis:7.4-alpine', 'otel/opentelemetry-collector-contrib:0.165.0', 'traefik:v3.7.13'];

export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const overlayDir = (overlay: Overlay) => path.join(ROOT, 'infra', 'k8s', 'overlays', overlay);

export const repoPath = (...parts: string[]) => path.join(ROOT, ...parts);
export const readRepoFile = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8');

export { readEnvFile } from '@ticketing/local/src/repo-files';
export const repoFileExists = (...parts: string[]) => existsSync(repoPath(...parts));

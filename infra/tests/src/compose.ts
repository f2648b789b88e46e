// compose.yaml as data: its services (YAML merge keys applied, as compose applies them) and the
// default each `${VARIABLE:-default}` image falls back to.
import { parse } from 'yaml';
import { readRepoFile } from './repo';

export interface ComposeService {
  image?: string;
  user?: string;
  read_only?: boolean;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
}

export function composeServices(): Record<string, ComposeService> {
  return (parse(readRepoFile('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> }).services;
}

/** `${NAME:-default}` → { variable: NAME, fallback: default } (undefined for a literal). */
export function defaulted(value: string): { variable: string; fallback: string } | undefined {
  const m = /^\$\{([A-Z_]+):-([^}]+)\}$/.exec(value);
  return m ? { variable: m[1], fallback: m[2] } : undefined;
}

/** The image a service runs when no variable overrides it. */
export function composeDefaultImage(service: string): string {
  const image = composeServices()[service]?.image;
  if (!image) throw new Error(`compose.yaml: no service ${service} with an image`);
  return defaulted(image)?.fallback ?? image;
}

import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** A server binary the tests (or the local stack) need is not installed. */
export class MissingBinaryError extends Error {
  constructor(name: string, howToInstall: string) {
    super(`${name} not found. Install it: ${howToInstall}`);
    this.name = 'MissingBinaryError';
  }
}

/** Where infra/scripts/prepare.sh puts the servers it builds (nats-server of the manifests' minor). */
export const PROJECT_TOOLS_BIN = path.resolve(__dirname, '..', '..', '.tools', 'bin');

export const INSTALL_HINTS = {
  'nats-server': 'infra/scripts/install-nats-server.sh (or set NATS_URL to a running JetStream server)',
  'redis-server': 'apt-get install redis-server (or set REDIS_URL to a running Redis)',
  ferretdb: 'infra/scripts/install-ferretdb.sh (or set MONGO_URL to a running MongoDB-wire server)',
  'stripe-mock': 'go install github.com/stripe/stripe-mock@latest',
  jaeger: 'infra/scripts/install-jaeger.sh (infra/scripts/prepare.sh does; or set JAEGER_BIN to a Jaeger v2 binary)',
  promtool: 'run infra/scripts/prepare.sh test (it builds the promtool version it pins with go install)',
  java: 'apt-get install default-jre-headless',
} as const;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds `name`: the variable `<NAME>_BIN` (e.g. NATS_SERVER_BIN), then the project's own
 * build (.tools/bin: the version the manifests pin, ahead of an older one on the machine),
 * then PATH, then the places installers put it (/usr/sbin, Go's bin folder).
 */
export function findBinary(name: string): string {
  const override = process.env[`${name.replace(/-/g, '_').toUpperCase()}_BIN`];
  if (override) return override;
  const dirs = [
    PROJECT_TOOLS_BIN,
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    path.join(process.env.GOPATH ?? path.join(homedir(), 'go'), 'bin'),
  ];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (dir && isExecutable(file)) return file;
  }
  throw new MissingBinaryError(name, (INSTALL_HINTS as Record<string, string>)[name] ?? `install ${name}`);
}

// `npm run k8s:dev-keys`: the dev overlay's session key pair (files kustomize's generators read).
// Generated once, kept (git-ignored); delete the folder to get a new pair.
import path from 'node:path';
import { ensureSessionKeys } from './session-keys';

export const DEV_OVERLAY_SESSION_KEYS = path.join('infra', 'k8s', 'overlays', 'dev', 'secrets', 'session-keys');

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const dir = path.resolve(root, process.argv[2] ?? DEV_OVERLAY_SESSION_KEYS);
  const keys = ensureSessionKeys(dir);
  process.stdout.write(`${keys.generated ? 'generated' : 'kept'} session key pair ${keys.kid} in ${path.relative(root, dir)}\n`);
}

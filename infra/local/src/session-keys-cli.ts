// `npm run k8s:dev-keys`: the dev overlay's session key pair and e-ticket code key pair (files
// kustomize's generators read). Generated once, kept (git-ignored); delete a folder to get a new pair.
import path from 'node:path';
import { ensureSessionKeys, ensureTicketCodeKey, TICKET_CODE_KEY_DIR } from './session-keys';

export const DEV_OVERLAY_SESSION_KEYS = path.join('infra', 'k8s', 'overlays', 'dev', 'secrets', 'session-keys');
export const DEV_OVERLAY_TICKET_CODE_KEY = path.join('infra', 'k8s', 'overlays', 'dev', 'secrets', TICKET_CODE_KEY_DIR);

if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const dir = path.resolve(root, process.argv[2] ?? DEV_OVERLAY_SESSION_KEYS);
  const keys = ensureSessionKeys(dir);
  process.stdout.write(`${keys.generated ? 'generated' : 'kept'} session key pair ${keys.kid} in ${path.relative(root, dir)}\n`);
  // The code key only for the default (dev overlay) run: an explicit folder is for session keys.
  if (process.argv[2] === undefined) {
    const codeDir = path.resolve(root, DEV_OVERLAY_TICKET_CODE_KEY);
    const code = ensureTicketCodeKey(codeDir);
    process.stdout.write(`${code.generated ? 'generated' : 'kept'} e-ticket code key pair ${code.kid} in ${path.relative(root, codeDir)}\n`);
  }
}

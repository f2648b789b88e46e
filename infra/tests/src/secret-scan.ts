import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseYamlDocuments } from './yaml';
import { repoPath, ROOT } from './repo';

/** A value in a tracked file that looks like a secret. */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  value: string;
}

/** `${VAR}`, `$(VAR)`, `${{ secrets.X }}`, `<placeholder>`, `…`: references, not values. */
const PLACEHOLDER = /^(\$\{\{.*\}\}|\$\{[^}]*\}|\$\([^)]*\)|<[^>]*>|…|\.\.\.)$/;

/** Patterns of values a deployment could use, matched in every tracked text file. */
const TEXT_RULES: { rule: string; pattern: RegExp; valueGroup?: number }[] = [
  // Stripe secret and restricted keys (publishable pk_ keys are public).
  { rule: 'stripe-secret-key', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}/g },
  { rule: 'stripe-webhook-secret', pattern: /\bwhsec_[A-Za-z0-9_+/=-]{8,}/g },
  // A PEM header followed by key material (a header alone, as in docs and assertions, is not a key).
  { rule: 'private-key', pattern: /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----)(?:\r?\n|\\n)[A-Za-z0-9+/=]{8,}/g, valueGroup: 1 },
  // scheme://user:password@host with a literal password.
  { rule: 'credentials-in-url', pattern: /\b(?:mongodb(?:\+srv)?|rediss?|nats|tls|amqps?|postgres(?:ql)?|mysql|https?):\/\/[^\s:@/'"`]+:([^\s@/'"`]+)@/g, valueGroup: 1 },
];

/** Keys of YAML mappings whose string value must be a reference, never a literal. */
const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)s?$/i;
/** Environment variable names that carry secrets. */
const SECRET_ENV_NAME = /(PASSWORD|SECRET|TOKEN|_KEY|CREDENTIALS?)$/;

/** The repository's tracked files (a clone, not an export: fails without git). */
export function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
}

export function isIgnoredByGit(file: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', file], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function readText(file: string): string | undefined {
  const buf = readFileSync(repoPath(file));
  if (buf.includes(0)) return undefined; // binary
  return buf.toString('utf8');
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Secret-looking values in one file's text. */
export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const { rule, pattern, valueGroup } of TEXT_RULES) {
    for (const m of text.matchAll(pattern)) {
      const value = valueGroup ? m[valueGroup] : m[0];
      if (PLACEHOLDER.test(value)) continue;
      findings.push({ file, line: lineOf(text, m.index ?? 0), rule, value });
    }
  }
  if (/\.ya?ml$/.test(file) && (file.startsWith('infra/') || file.startsWith('.github/'))) findings.push(...scanYaml(file, text));
  return findings;
}

/**
 * In manifests and workflows: a literal under a secret-sounding key (`password: hunter2`), an
 * env entry `{name: *_PASSWORD, value: …}`, a kustomize secretGenerator's `literals`.
 */
function scanYaml(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, value: string) => {
    const index = text.indexOf(value);
    findings.push({ file, line: index >= 0 ? lineOf(text, index) : 0, rule, value });
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.name === 'string' && SECRET_ENV_NAME.test(obj.name) && typeof obj.value === 'string' && obj.value !== '' && !PLACEHOLDER.test(obj.value)) {
      add('secret-env-literal', obj.value);
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'secrets' && value === 'inherit') continue; // a GitHub workflow keyword
      if (typeof value === 'string' && value !== '' && SECRET_KEY.test(key) && !PLACEHOLDER.test(value.trim())) add('secret-key-literal', value);
      if (key === 'secretGenerator' && Array.isArray(value)) {
        for (const gen of value as { literals?: string[] }[]) for (const literal of gen.literals ?? []) add('secret-generator-literal', literal);
      }
      walk(value);
    }
  };
  walk(parseYamlDocuments(text, file));
  return findings;
}

/** Every finding in the repository's tracked files. */
export function scanRepository(): Finding[] {
  return trackedFiles().flatMap((file) => {
    const text = readText(file);
    return text === undefined ? [] : scanText(file, text);
  });
}

/** Files whose fixtures may be fake secrets: test files and folders, nothing shipped. */
export const isTestFile = (file: string) => /(^|\/)test\//.test(file) || /\.test\.[cm]?[jt]sx?$/.test(file);

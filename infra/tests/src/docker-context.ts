import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp } from './glob';
import { ROOT } from './repo';

/**
 * `.dockerignore` semantics (Docker's patternmatcher): patterns are relative to the context
 * root, `*` and `?` stay within one path segment, `**` spans any number, a pattern that
 * matches a directory excludes everything below it, `!` re-includes, the last match wins.
 */
export function dockerignoreMatcher(text: string): (file: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, '')).replace(/\/+$/, '');
      return { negate, re: globToRegExp(pattern) };
    });
  return (file: string) => {
    const parts = file.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

/**
 * The files of the repository as a fresh clone would have them, plus files not yet
 * committed (but not those git ignores): `git ls-files --cached --others --exclude-standard`.
 */
export function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => existsSync(path.join(ROOT, f)) && lstatSync(path.join(ROOT, f)).isFile());
}

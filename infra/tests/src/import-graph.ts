import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from './repo';

/** One module of a service's own code (its sources and common's), with what it imports. */
export interface GraphModule {
  file: string;
  source: string;
  /** Import specifiers that are packages (`jsonwebtoken`, `node:crypto`), not files of ours. */
  packages: string[];
}

/** `@ticketing/common/<sub>` → its source file, through common's `exports` (`./dist/x.js` is built from `src/x.ts`). */
function commonSubpathSource(sub: string): string {
  const exports = (JSON.parse(readFileSync(repoPath('common', 'package.json'), 'utf8')) as { exports: Record<string, { default?: string } | string> }).exports;
  const target = exports[`./${sub}`];
  const built = typeof target === 'string' ? target : target?.default;
  if (!built?.startsWith('./dist/')) throw new Error(`@ticketing/common/${sub} is not exported from common's dist`);
  return repoPath('common', 'src', built.slice('./dist/'.length).replace(/\.js$/, '.ts'));
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** Where a specifier leads inside the repository, or undefined for an outside package. */
function resolveLocal(specifier: string, fromFile: string): string | undefined {
  if (specifier === '@ticketing/common') return repoPath('common', 'src', 'index.ts');
  if (specifier.startsWith('@ticketing/common/')) return commonSubpathSource(specifier.slice('@ticketing/common/'.length));
  // The test harness: a module reaching it is caught by the checks that walk the graph.
  if (specifier === '@ticketing/dev-servers') return repoPath('dev-servers', 'src', 'index.ts');
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  throw new Error(`${fromFile}: cannot resolve ${specifier}`);
}

/**
 * Every module reachable by imports from `entry` (relative imports, @ticketing/common and
 * @ticketing/dev-servers, which resolve to their sources): what a running service can call.
 */
export function importGraph(entry: string): GraphModule[] {
  const seen = new Map<string, GraphModule>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const module: GraphModule = { file, source, packages: [] };
    seen.set(file, module);
    for (const match of source.matchAll(SPECIFIER)) {
      const local = resolveLocal(match[1], file);
      if (local) queue.push(local);
      else module.packages.push(match[1]);
    }
  }
  return [...seen.values()];
}

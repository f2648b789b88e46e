// Reads renovate.json and finds, independently of it, every version the repository pins, so that
// test/renovate.test.ts can check each pin is read by a Renovate manager: a pin no manager reads
// is never updated, silently.
import { globToRegExp } from './glob';
import { readRepoFile } from './repo';
import { trackedFiles } from './secret-scan';

export interface CustomManager {
  customType: 'regex';
  description?: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate?: string;
  depNameTemplate?: string;
}

export interface PackageRule {
  description?: string;
  matchManagers?: string[];
  matchPackageNames?: string[];
  matchDatasources?: string[];
  matchDepTypes?: string[];
  matchUpdateTypes?: string[];
  groupName?: string;
  automerge?: boolean;
  enabled?: boolean;
}

export interface RenovateConfig {
  extends?: string[];
  ignorePresets?: string[];
  ignorePaths?: string[];
  enabledManagers?: string[];
  schedule?: string[];
  customManagers?: CustomManager[];
  packageRules?: PackageRule[];
  [manager: string]: unknown;
}

export const loadRenovateConfig = () => JSON.parse(readRepoFile('renovate.json')) as RenovateConfig;

/**
 * The file patterns of Renovate's built-in managers this repository relies on (their
 * documented defaults; `kubernetes` has none and must be configured).
 */
export const DEFAULT_FILE_PATTERNS: Record<string, string[]> = {
  npm: ['/(^|/)package\\.json$/'],
  nodenv: ['/(^|/)\\.node-version$/'],
  dockerfile: ['/(^|/|\\.)([Dd]ocker|[Cc]ontainer)file$/', '/(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$/'],
  'github-actions': ['/(^|/)(workflow-templates|\\.(?:github|gitea|forgejo)/(?:workflows|actions))/.+\\.ya?ml$/', '/(^|/)action\\.ya?ml$/'],
  maven: ['/(^|/|\\.)pom\\.xml$/', '/^(((\\.mvn)|(\\.m2))/)?settings\\.xml$/'],
  kubernetes: [],
};

/** `:ignoreModulesAndTests`, part of `config:recommended`: it would skip infra/tests/package.json. */
const IGNORE_MODULES_AND_TESTS = ['**/node_modules/**', '**/bower_components/**', '**/vendor/**', '**/examples/**', '**/__tests__/**', '**/test/**', '**/tests/**', '**/__fixtures__/**'];

/** Renovate's file patterns: `/regex/`, else a glob. */
function patternMatches(pattern: string, file: string): boolean {
  const regex = /^\/(.+)\/$/.exec(pattern);
  return regex ? new RegExp(regex[1]).test(file) : globToRegExp(pattern).test(file);
}

/** Whether a built-in manager reads `file`: enabled, its patterns (defaults plus the config's) match, no ignorePaths does. */
export function builtInManagerReads(config: RenovateConfig, manager: string, file: string): boolean {
  if (config.enabledManagers && !config.enabledManagers.includes(manager)) return false;
  const own = config[manager] as { enabled?: boolean; managerFilePatterns?: string[] } | undefined;
  if (own?.enabled === false) return false;
  const patterns = [...(DEFAULT_FILE_PATTERNS[manager] ?? []), ...(own?.managerFilePatterns ?? [])];
  return patterns.some((p) => patternMatches(p, file)) && !ignoredPath(config, file);
}

export function ignoredPath(config: RenovateConfig, file: string): boolean {
  const presetIgnores = config.ignorePresets?.includes(':ignoreModulesAndTests') ? [] : IGNORE_MODULES_AND_TESTS;
  return [...presetIgnores, ...(config.ignorePaths ?? [])].some((glob) => patternMatches(glob, file));
}

/** A version a custom regex manager extracts, with its line (1-based). */
export interface Extracted {
  file: string;
  line: number;
  currentValue: string;
  datasource?: string;
  depName?: string;
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** What the custom regex managers extract from `file`, matching as Renovate does (each matchString, globally). */
export function customExtract(config: RenovateConfig, file: string, text: string): Extracted[] {
  return (config.customManagers ?? [])
    .filter((m) => m.customType === 'regex' && m.managerFilePatterns.some((p) => patternMatches(p, file)) && !ignoredPath(config, file))
    .flatMap((m) =>
      m.matchStrings.flatMap((source) =>
        [...text.matchAll(new RegExp(source, 'gd'))].map((match) => {
          const at = match.indices?.groups?.currentValue;
          if (!at || !match.groups) throw new Error(`matchString without a currentValue group: ${source}`);
          return {
            file,
            line: lineAt(text, at[0]),
            currentValue: match.groups.currentValue,
            datasource: match.groups.datasource ?? m.datasourceTemplate,
            depName: match.groups.depName ?? m.depNameTemplate,
          };
        }),
      ),
    );
}

/** Whether a package rule with `enabled: false` switches off a package (matched by exact name or `**`/`*` glob). */
export function disabledPackage(config: RenovateConfig, name: string): boolean {
  return (config.packageRules ?? []).some(
    (r) => r.enabled === false && !r.matchUpdateTypes && (r.matchPackageNames ?? []).some((p) => !p.startsWith('!') && globToRegExp(p).test(name)),
  );
}

/** A pinned version found in the repository, and which kind of manager must read it. */
export interface Pin {
  file: string;
  line: number;
  value: string;
  reader: 'custom' | 'dockerfile' | 'kubernetes' | 'github-actions' | 'nodenv' | 'npm' | 'maven';
}

const isDockerfile = (f: string) => /(^|\/)Dockerfile$|\.Dockerfile$/.test(f);
const isWorkflow = (f: string) => /^\.github\/workflows\/.+\.ya?ml$/.test(f);
const isScript = (f: string) => f.endsWith('.sh') || f === '.ci/run';

/**
 * Versions in scripts and workflow steps: dotted after `@` (go install) or `:-` (a default), and
 * any after `version=` (a variable) or `-version: ` (a setup action's input, e.g. a JDK major). Comment lines are skipped; a workflow's
 * `uses:` is the github-actions manager's.
 */
const SCRIPT_PIN = /(?:(?:@|:-)["']?(v?\d+(?:\.\d+)+)|(?:version=|-version:\s*)["']?(v?\d+(?:\.\d+)*))(?![\w.])/g;
/** In any other source file: a Go module version (`…@v1.2.3`), e.g. a hint naming what to install. */
const GO_PIN = /@(v\d+\.\d+\.\d+)(?![\w.])/g;

/** Not pins: versions that are not chosen here and never move. */
export const NOT_PINS: { file: string; value: string; why: string }[] = [
  { file: 'infra/scripts/go-toolchain.sh', value: 'v0.0.1', why: 'every Go toolchain module is golang.org/toolchain@v0.0.1-go<release>' },
];

function linePins(file: string, text: string, pattern: RegExp, reader: Pin['reader']): Pin[] {
  return text.split('\n').flatMap((content, i) => {
    const code = content.trimStart();
    if (code.startsWith('#') || code.startsWith('//') || code.startsWith('*') || /^-?\s*uses:/.test(code)) return [];
    return [...content.matchAll(pattern)].map((m) => ({ file, line: i + 1, value: m[1] ?? m[2], reader }));
  });
}

/** Every pinned version of the repository's tracked files (documentation and the lock file left out). */
export function findPins(files = trackedFiles()): Pin[] {
  const pins: Pin[] = [];
  for (const file of files) {
    if (/\.md$|(^|\/)package-lock\.json$|^infra\/tests\/(src|test)\/renovate/.test(file)) continue;
    if (file === '.node-version') pins.push({ file, line: 1, value: readRepoFile(file).trim(), reader: 'nodenv' });
    else if (/(^|\/)package\.json$/.test(file)) pins.push({ file, line: 1, value: '(dependencies)', reader: 'npm' });
    else if (/(^|\/)pom\.xml$/.test(file)) pins.push({ file, line: 1, value: '(dependencies)', reader: 'maven' });
    else if (isScript(file) || isWorkflow(file)) {
      const text = readRepoFile(file);
      pins.push(...linePins(file, text, SCRIPT_PIN, 'custom'));
      if (isWorkflow(file)) pins.push(...usesPins(file, text));
    } else if (isDockerfile(file)) pins.push(...fromPins(file, readRepoFile(file)));
    else if (/^infra\/k8s\/.+\.ya?ml$/.test(file)) pins.push(...imagePins(file, readRepoFile(file)));
    // Source files (tests' fixtures are not pins).
    else if (/\.(ts|tsx|js|mjs|cjs|json|ya?ml)$/.test(file) && !/(^|\/)test\/|\.test\.tsx?$/.test(file)) {
      pins.push(...linePins(file, readRepoFile(file), GO_PIN, 'custom'));
    }
  }
  return pins.filter((p) => !NOT_PINS.some((n) => n.file === p.file && n.value === p.value));
}

function usesPins(file: string, text: string): Pin[] {
  return text.split('\n').flatMap((content, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*([^.\s][^@\s]*)@(\S+)/.exec(content);
    return m ? [{ file, line: i + 1, value: `${m[1]}@${m[2]}`, reader: 'github-actions' as const }] : [];
  });
}

/** `FROM image[:tag]` lines, stages built on an earlier stage left out. */
function fromPins(file: string, text: string): Pin[] {
  const stages = new Set<string>();
  return text.split('\n').flatMap((content, i) => {
    const m = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(content.trim());
    if (!m) return [];
    if (m[2]) stages.add(m[2]);
    return stages.has(m[1]) && m[1] !== m[2] ? [] : [{ file, line: i + 1, value: m[1], reader: 'dockerfile' as const }];
  });
}

function imagePins(file: string, text: string): Pin[] {
  return text.split('\n').flatMap((content, i) => {
    const m = /^\s*(?:-\s+)?image:\s*["']?([^\s"']+)/.exec(content);
    return m ? [{ file, line: i + 1, value: m[1], reader: 'kubernetes' as const }] : [];
  });
}

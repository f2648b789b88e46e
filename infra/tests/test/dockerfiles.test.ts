// What every image is made of, read from the Dockerfiles: pinned base image, multi-stage
// build from the repository root, only the workspaces the image needs (common built first),
// production dependencies only in the final stage, non-root, one process on port 3000.
import { readFileSync } from 'node:fs';
import { dockerignoreMatcher, repositoryFiles } from '../src/docker-context';
import { execForm, finalStage, flagValue, imageRecipe, loadDockerfile, parseDockerfile, SERVICE_DOCKERFILE, stageNamed, stagesFor, type Dockerfile, type Instruction } from '../src/dockerfile';
import { IMAGES, readRepoFile, repoFileExists, repoPath, SERVICES, type ImageName } from '../src/repo';

const BASE_IMAGE = 'node:24-bookworm-slim';
const runs = (df: Dockerfile, stage: string) => stageNamed(df, stage).instructions.filter((i) => i.keyword === 'RUN');
const last = (df: Dockerfile, keyword: string): Instruction | undefined =>
  [...finalStage(df).instructions].reverse().find((i) => i.keyword === keyword);

/** The @ticketing/* workspaces a workspace depends on at run time, transitively, itself included. */
function workspaceClosure(name: string): string[] {
  const pkg = JSON.parse(readFileSync(repoPath(name, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
  const deps = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@ticketing/')).map((d) => d.replace('@ticketing/', ''));
  return [...new Set([...deps.flatMap(workspaceClosure), pkg.name.replace('@ticketing/', '')])];
}

const workspaceFlags = (ins: Instruction) => [...ins.args.matchAll(/--workspace[= ](@ticketing\/[\w-]+)/g)].map((m) => m[1]);

describe.each(IMAGES)('the Dockerfile of %s', (name: ImageName) => {
  const df = loadDockerfile(name);

  test(`builds in stages from ${BASE_IMAGE}, pinned by tag, matching this machine's Node.js major`, () => {
    expect(df.stages.map((s) => s.name)).toEqual(['build', 'dev', 'runtime']);
    for (const stage of df.stages) {
      if (df.stages.some((s) => s.name === stage.from)) continue;
      expect(stage.from).toBe(BASE_IMAGE);
    }
    expect(process.versions.node.split('.')[0]).toBe(BASE_IMAGE.match(/node:(\d+)/)![1]); // the sandbox's stand-in
    expect(stageNamed(df, 'dev').from).toBe('build');
    expect(stageNamed(df, 'runtime').from).toBe(BASE_IMAGE); // a fresh image: no build tools, no sources
  });

  test('takes its base image from the NODE_IMAGE build argument (the official image by default, a local stand-in when given)', () => {
    const { dockerfile, buildArgs } = imageRecipe(name);
    const standIn = 'ticketing-local/node:24-bookworm-slim-standin';
    const withStandIn = parseDockerfile(readRepoFile(...dockerfile.split('/')), dockerfile, { ...buildArgs, NODE_IMAGE: standIn });
    const bases = (d: Dockerfile) => d.stages.filter((s) => !d.stages.some((o) => o.name === s.from)).map((s) => s.from);
    expect(bases(withStandIn)).toEqual(['build', 'runtime'].map(() => standIn));
    expect(bases(df)).toEqual(['build', 'runtime'].map(() => BASE_IMAGE));
    // Nothing else names a base: every FROM is the argument or an earlier stage.
    expect(readRepoFile(...dockerfile.split('/')).match(/^FROM \S+/gm)).toEqual(['FROM ${NODE_IMAGE}', 'FROM build', 'FROM ${NODE_IMAGE}']);
  });

  test('has no `# syntax=` directive (BuildKit would pull that frontend image from a registry; the built-in one has RUN --mount)', () => {
    const { dockerfile } = imageRecipe(name);
    expect(readRepoFile(...dockerfile.split('/'))).not.toMatch(/^#\s*syntax\s*=/im);
  });

  test('runs as uid 1000 (the image’s node user) on port 3000 with one node process', () => {
    const runtime = finalStage(df);
    expect(runtime.name).toBe('runtime');
    expect(last(df, 'USER')?.args).toBe('1000:1000');
    expect(last(df, 'EXPOSE')?.args).toBe('3000');
    expect(last(df, 'WORKDIR')?.args).toBe(`/app/${name}`);
    expect(execForm(last(df, 'CMD')!)).toEqual(name === 'client' ? ['node', 'server.js'] : ['node', 'dist/index.js']);
    const userAt = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    // Nothing is installed or copied after dropping root (files stay root-owned, read-only).
    expect(runtime.instructions.slice(userAt).filter((i) => i.keyword === 'RUN' || i.keyword === 'COPY')).toEqual([]);
  });

  test('installs only the workspaces the image needs, builds common first, and keeps production dependencies only', () => {
    if (name === 'client') {
      // Next's standalone output carries its own traced production dependencies.
      const copies = finalStage(df).instructions.filter((i) => i.keyword === 'COPY').map((i) => `${flagValue(i, 'from')} ${i.args}`);
      expect(copies).toEqual(['build /app/client/.next/standalone ./', 'build /app/client/.next/static client/.next/static']);
      expect(runs(df, 'build').map((r) => r.args).join('\n')).toMatch(/npm ci .*--workspace @ticketing\/client/);
      return;
    }
    const needed = workspaceClosure(name).map((w) => `@ticketing/${w}`);
    expect(needed).toEqual(['@ticketing/common', `@ticketing/${name}`]);
    const [install, compile] = runs(df, 'build');
    expect(install.args).toMatch(/^npm ci /);
    expect(workspaceFlags(install)).toEqual(needed);
    expect(install.args).toContain('--include-workspace-root'); // typescript is a root devDependency
    const builds = [...compile.args.matchAll(/npm run build --workspace (@ticketing\/[\w-]+)/g)].map((m) => m[1]);
    expect(builds).toEqual(needed); // common first
    const [prodInstall, ...otherRuns] = runs(df, 'runtime');
    expect(otherRuns).toEqual([]);
    expect(prodInstall.args).toMatch(/^npm ci --omit=dev /);
    expect(workspaceFlags(prodInstall)).toEqual(needed);
    expect(prodInstall.args).not.toContain('--include-workspace-root');
    const fromBuild = finalStage(df).instructions.filter((i) => i.keyword === 'COPY' && flagValue(i, 'from') === 'build').map((i) => i.args);
    expect(fromBuild).toEqual(needed.map((w) => w.replace('@ticketing/', '')).map((w) => `/app/${w}/dist ${w}/dist`));
  });

  test('copies manifests before sources (cached dependency layer) and only paths the build context has', () => {
    const ignored = dockerignoreMatcher(readRepoFile('.dockerignore'));
    const contextFiles = repositoryFiles().filter((f) => !ignored(f));
    for (const stage of df.stages) {
      let sawSources = false;
      for (const ins of stage.instructions) {
        if (ins.keyword === 'RUN' && /npm ci/.test(ins.args)) expect(sawSources).toBe(false);
        if (ins.keyword !== 'COPY' || flagValue(ins, 'from')) continue;
        const sources = ins.args.split(/\s+/).slice(0, -1);
        for (const src of sources) {
          const clean = src.replace(/\/$/, '');
          expect({ [src]: contextFiles.some((f) => f === clean || f.startsWith(`${clean}/`)) }).toEqual({ [src]: true });
          if (src.endsWith('/')) sawSources = true;
        }
      }
    }
  });

  test('uses relative paths in RUN commands and npm’s cache only through a BuildKit cache mount', () => {
    for (const stage of stagesFor(df, 'runtime').concat(stageNamed(df, 'dev'))) {
      for (const ins of stage.instructions.filter((i) => i.keyword === 'RUN')) {
        expect({ [ins.args]: /(^|\s)\//.test(ins.args) }).toEqual({ [ins.args]: false });
        if (/\bnpm ci\b/.test(ins.args)) expect(ins.flags).toEqual(['--mount=type=cache,target=/root/.npm']);
        expect(ins.args).not.toMatch(/npm (install|i) /); // the lock file decides, always
      }
    }
  });
});

test('a global ARG’s default applies to FROM unless a build argument is given; a stage sees it once declared again', () => {
  const text = 'ARG BASE=debian:12\nARG TAG\nFROM ${BASE} AS one\nARG BASE\nRUN echo ${BASE} $TAG\nFROM $BASE\nRUN echo ${BASE}';
  const plain = parseDockerfile(text, 'x');
  expect(plain.stages.map((s) => s.from)).toEqual(['debian:12', 'debian:12']);
  expect(plain.stages.map((s) => s.instructions.at(-1)!.args)).toEqual(['echo debian:12 $TAG', 'echo ${BASE}']);
  const given = parseDockerfile(text, 'x', { BASE: 'local/debian:12-standin' });
  expect(given.stages.map((s) => s.from)).toEqual(['local/debian:12-standin', 'local/debian:12-standin']);
  expect(given.stages[0].instructions.at(-1)!.args).toBe('echo local/debian:12-standin $TAG');
});

describe('.dockerignore', () => {
  test('keeps host build output, dependencies, local state and git out of the context', () => {
    const ignored = dockerignoreMatcher(readRepoFile('.dockerignore'));
    for (const p of ['node_modules/x', 'auth/node_modules/x', 'common/dist/index.js', 'client/.next/BUILD_ID', '.git/HEAD', '.state/x', 'test-output/x', 'auth/test/a.test.ts', 'tickets/x.tsbuildinfo']) {
      expect({ [p]: ignored(p) }).toEqual({ [p]: true });
    }
    for (const p of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.base.json', 'common/src/index.ts', 'auth/src/index.ts', 'client/app/page.tsx', 'client/next.config.ts']) {
      expect({ [p]: ignored(p) }).toEqual({ [p]: false });
    }
  });

  test('matches like Docker: a directory pattern excludes everything below it, ** spans levels, ! re-includes', () => {
    const m = dockerignoreMatcher('**/dist\n*/test\ndocs\n!docs/keep.md\ndocs/*.md\n*.md');
    expect(m('a/b/dist/x.js')).toBe(true);
    expect(m('dist')).toBe(true);
    expect(m('auth/test/x.ts')).toBe(true);
    expect(m('a/b/test/x.ts')).toBe(false);
    expect(m('docs/keep.md')).toBe(true); // the later docs/*.md wins
    expect(m('docs/other.txt')).toBe(true);
    expect(m('README.md')).toBe(true);
    expect(m('auth/README.md')).toBe(false); // * stays within one level
    expect(dockerignoreMatcher('docs\n!docs/keep.md')('docs/keep.md')).toBe(false);
  });
});

test('the services share one Dockerfile, selected by SERVICE; the client has its own', () => {
  for (const name of [...SERVICES, 'client']) expect(() => loadDockerfile(name)).not.toThrow();
  for (const name of SERVICES) {
    expect(imageRecipe(name)).toEqual({ dockerfile: SERVICE_DOCKERFILE, buildArgs: { SERVICE: name } });
    expect(repoFileExists(name, 'Dockerfile')).toBe(false);
  }
  expect(imageRecipe('client').dockerfile).toBe('client/Dockerfile');
  // Without the argument nothing names a service: the build cannot pick one by accident.
  const unselected = parseDockerfile(readRepoFile(...SERVICE_DOCKERFILE.split('/')), SERVICE_DOCKERFILE);
  const copies = stageNamed(unselected, 'build').instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  expect(copies).toContain('${SERVICE}/ ${SERVICE}/');
});

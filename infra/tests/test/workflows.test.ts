// GitHub workflows: valid (actionlint), each service tested when it or common changes, and on
// main only the changed services' images built, pushed and rolled out (teams deploy
// independently); infrastructure changes applied by their own workflow.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { findBinary } from '@ticketing/dev-servers';
import { globToRegExp } from '../src/glob';
import { findObject, mainContainer, renderOverlay, type Workload } from '../src/k8s';
import { IMAGES, readRepoFile, repoFileExists, repoPath, ROOT, SERVICES } from '../src/repo';
import { parseYaml } from '../src/yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  needs?: string | string[];
  if?: string;
  environment?: string;
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: {
    push?: { branches?: string[]; paths?: string[] };
    pull_request?: { paths?: string[] } | null;
    workflow_call?: { inputs?: Record<string, unknown>; secrets?: Record<string, unknown> };
  };
  jobs: Record<string, Job>;
}

const WORKFLOWS = repoPath('.github', 'workflows');
const load = (file: string) => parseYaml(readRepoFile('.github', 'workflows', file), file) as Workflow;
const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const allRuns = (wf: Workflow) =>
  Object.values(wf.jobs)
    .flatMap((j) => j.steps ?? [])
    .map((s) => s.run ?? '')
    .join('\n');

/** GitHub's path filter globs: `**` crosses directories, `*` does not. */
const pathMatches = (pattern: string, file: string) => globToRegExp(pattern).test(file);

/** Workflows a push to main touching `file` starts. */
const triggeredOnMain = (file: string) =>
  workflowFiles.filter((f) => {
    const push = load(f).on.push;
    if (!push || !(push.branches ?? ['main']).includes('main')) return false;
    return !push.paths || push.paths.some((p) => pathMatches(p, file));
  });

test('every workflow passes actionlint', () => {
  let output: string;
  try {
    output = execFileSync(findBinary('actionlint'), ['-no-color'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    output = `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
  }
  expect(output).toBe('');
});

/** Every `uses:` line of every workflow, with its file (steps' actions and reusable-workflow calls). */
const usesLines = () =>
  workflowFiles.flatMap((file) =>
    readRepoFile('.github', 'workflows', file)
      .split('\n')
      .map((line) => /^\s*(?:-\s+)?uses:\s*(.+?)\s*$/.exec(line)?.[1])
      .filter((uses): uses is string => uses !== undefined)
      .map((uses) => ({ file, uses })),
  );

test('every third-party action is pinned by a full commit SHA, with the release it is in a trailing comment', () => {
  // A tag can be moved to other code; a commit cannot. The comment is what Renovate's
  // github-actions manager reads to propose (and name) the next release's SHA.
  const actions = usesLines().filter(({ uses }) => !uses.startsWith('./'));
  expect(actions.length).toBeGreaterThan(0);
  const unpinned = actions.filter(({ uses }) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(uses));
  expect(unpinned).toEqual([]);
});

test('ci.yml keeps the whole-repository lint and typecheck', () => {
  const runs = allRuns(load('ci.yml'));
  expect(runs).toContain('npm run lint');
  expect(runs).toContain('npm run typecheck');
});

/** Workspaces with a workflow of their own but nothing to deploy. */
const NOT_DEPLOYED = ['common', 'dev-servers'];

describe.each([...IMAGES, ...NOT_DEPLOYED])('%s workflow', (name) => {
  const wf = load(`${name}.yml`);
  const isService = (SERVICES as readonly string[]).includes(name);

  test('runs on pull requests and pushes to main that touch it (or common, or the test harness, Node.js or servers its tests run on)', () => {
    expect(wf.on.push?.branches).toEqual(['main']);
    for (const paths of [wf.on.push?.paths, wf.on.pull_request?.paths]) {
      expect(paths).toEqual(expect.arrayContaining([`${name}/**`, `.github/workflows/${name}.yml`, '.github/workflows/service.yml']));
      if (isService) expect(paths).toContain('common/**');
      if (repoFileExists(name, 'jest.config.js')) expect(paths).toContain('dev-servers/**'); // jest's global setup and servers
      // The Node.js and the servers the tests run on (.node-version, install-node.sh, install-nats-server.sh).
      if (repoFileExists(name, 'jest.config.js')) expect(paths).toEqual(expect.arrayContaining(['.node-version', 'infra/scripts/**']));
    }
  });

  test('calls the reusable service pipeline for this workspace', () => {
    const jobs = Object.values(wf.jobs);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].uses).toBe('./.github/workflows/service.yml');
    expect(jobs[0].with?.service).toBe(name);
    expect(jobs[0].with?.deploy ?? true).toBe(!NOT_DEPLOYED.includes(name));
    expect(jobs[0].with?.jest ?? true).toBe(repoFileExists(name, 'jest.config.js'));
  });
});

test('a change to one service starts only its own pipeline; a change to common starts every service’s; one to the harness every tested workspace’s', () => {
  expect(triggeredOnMain('tickets/src/routes/new.ts').sort()).toEqual(['ci.yml', 'tickets.yml']);
  expect(triggeredOnMain('payments/src/index.ts').sort()).toEqual(['ci.yml', 'payments.yml']);
  // The services' shared Dockerfile rebuilds every service's image (not the client's).
  expect(triggeredOnMain('infra/docker/service.Dockerfile').sort()).toEqual(['ci.yml', ...SERVICES.map((s) => `${s}.yml`)].sort());
  expect(triggeredOnMain('client/app/page.tsx').sort()).toEqual(['ci.yml', 'client.yml']);
  expect(triggeredOnMain('common/src/index.ts').sort()).toEqual(['ci.yml', 'common.yml', 'dev-servers.yml', ...SERVICES.map((s) => `${s}.yml`)].sort());
  expect(triggeredOnMain('infra/k8s/base/auth.yaml').sort()).toEqual(['ci.yml', 'infra.yml']);
  // The harness: every workflow whose tests run on it (not infra.yml's on main: it applies manifests).
  expect(triggeredOnMain('dev-servers/src/servers.ts').sort()).toEqual(['ci.yml', 'client.yml', 'common.yml', 'dev-servers.yml', ...SERVICES.map((s) => `${s}.yml`)].sort());
});

describe('service.yml (reusable)', () => {
  const wf = load('service.yml');
  const steps = (job: string) => wf.jobs[job].steps ?? [];
  const onMain = /github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/;

  test('tests the workspace with its jest project', () => {
    expect(Object.keys(wf.on.workflow_call?.inputs ?? {})).toEqual(expect.arrayContaining(['service', 'jest', 'deploy']));
    expect(steps('test').map((s) => s.run ?? '').join('\n')).toContain('npx jest --selectProjects "$SERVICE"');
  });

  test('builds the image from the repository root with the service’s Dockerfile and pushes it to ghcr.io only from main', () => {
    expect(wf.jobs.image.needs).toBe('test');
    const build = steps('image').find((s) => s.uses?.startsWith('docker/build-push-action@'))!;
    expect(build.with).toMatchObject({ context: '.', file: '${{ inputs.dockerfile }}', 'build-args': 'SERVICE=${{ inputs.service }}', target: 'runtime' });
    // The services' shared Dockerfile by default; the client passes its own.
    expect(wf.on.workflow_call?.inputs?.dockerfile).toMatchObject({ default: 'infra/docker/service.Dockerfile' });
    expect(Object.values(load('client.yml').jobs)[0].with?.dockerfile).toBe('client/Dockerfile');
    expect(String(build.with?.push)).toMatch(onMain);
    expect(String(build.with?.tags)).toContain('${{ github.sha }}');
    // The name the prod overlay uses: ghcr.io/<owner>/ticketing-<service>.
    expect(steps('image').map((s) => s.run ?? '').join('\n')).toContain('image=ghcr.io/${GITHUB_REPOSITORY_OWNER,,}/ticketing-${SERVICE}');
    const login = steps('image').find((s) => s.uses?.startsWith('docker/login-action@'))!;
    expect(login.with?.registry).toBe('ghcr.io');
  });

  test('rolls out only this service, on main, with the kubeconfig secret, and undoes a failed rollout', () => {
    const deploy = wf.jobs.deploy;
    expect(deploy.needs).toBe('image');
    expect(deploy.if).toMatch(onMain);
    expect(deploy.environment).toBe('production');
    const runs = (deploy.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('set image "deployment/$SERVICE" "$SERVICE=$IMAGE"');
    expect(runs).toContain('rollout status "deployment/$SERVICE"');
    expect(runs).toContain('rollout undo "deployment/$SERVICE"');
    expect((deploy.steps ?? []).some((s) => s.env?.KUBE_CONFIG === '${{ secrets.KUBE_CONFIG }}')).toBe(true);
    // `set image` names the container after the Deployment, in the prod namespace.
    const prod = renderOverlay('prod');
    for (const name of IMAGES) expect(mainContainer(findObject<Workload>(prod, 'Deployment', name)).name).toBe(name);
    expect(deploy.env?.NAMESPACE).toBe(findObject(prod, 'Deployment', 'auth').metadata.namespace);
  });
});

describe('infra.yml', () => {
  const wf = load('infra.yml');

  test('checks the deployment on pull requests, every image built first (prepare.sh test, images not turned off)', () => {
    const steps = wf.jobs.check.steps ?? [];
    const prepare = steps.findIndex((s) => s.run?.includes('infra/scripts/prepare.sh test'));
    const run = steps.findIndex((s) => s.run?.includes('npx jest --selectProjects infra-tests'));
    expect(prepare).toBeGreaterThanOrEqual(0);
    expect(steps[prepare].env?.IMAGES).toBeUndefined();
    expect(run).toBeGreaterThan(prepare);
    expect(wf.on.pull_request?.paths).toEqual(expect.arrayContaining(['infra/k8s/**', 'infra/tests/**', 'skaffold.yaml', '*/Dockerfile', 'infra/docker/**', '.github/workflows/**', 'renovate.json']));
  });

  test('applies the prod overlay on main when infra/k8s changes, keeping the images the services run', () => {
    expect(wf.on.push?.paths).toContain('infra/k8s/**');
    const apply = wf.jobs.apply;
    expect(apply.if).toMatch(/refs\/heads\/main/);
    expect(apply.environment).toBe('production');
    const runs = (apply.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('kubectl apply -k infra/k8s/overlays/prod');
    expect(runs.indexOf('kustomize edit set image')).toBeLessThan(runs.indexOf('kubectl apply -k'));
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { envPairs, execForm, flagValue, stagesFor, finalStage, type Dockerfile, type Instruction, type Stage } from './dockerfile';

/**
 * Runs a Dockerfile's build outside Docker (no daemon here), as faithfully as a test can:
 * every stage gets its own root directory standing for the image's file system; FROM, WORKDIR,
 * ENV, COPY (from the build context or `--from` a stage), RUN (`sh -c` in the WORKDIR, with
 * the stage's ENV), USER, EXPOSE and CMD are applied in order. The base image's content is the
 * host's Node.js (the tests check its major version matches the image tag). RUN commands use
 * relative paths only (checked by the static tests), so they act inside the stage's root.
 * A `--mount=type=cache,target=/root/.npm` is npm's cache on this machine, as BuildKit's
 * cache mount would be; npm prefers it to the network (npm_config_prefer_offline).
 *
 * Like Docker's layer cache, a stage whose instructions (and inputs) were already built in
 * this process is reused; with `snapshots`, so is the state after each RUN.
 */
export interface ImageState {
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
  expose: string[];
}

export interface BuiltImage extends ImageState {
  /** The directory standing for the image's root file system. */
  root: string;
  /** The image's WORKDIR on this machine. */
  workdirOnHost: string;
}

export class DockerBuildError extends Error {
  constructor(
    readonly dockerfile: string,
    readonly instruction: Instruction,
    readonly output: string,
  ) {
    super(`${dockerfile}:${instruction.line}: ${instruction.keyword} ${instruction.args} failed\n${output}`);
    this.name = 'DockerBuildError';
  }
}

export interface LayerCache {
  layers: Map<string, { dir: string; state: ImageState }>;
}
export const newLayerCache = (): LayerCache => ({ layers: new Map() });

export interface BuildOptions {
  /** The build context (the repository root after .dockerignore). */
  context: string;
  /** Scratch directory for the stages' roots. */
  workDir: string;
  /** npm's cache, for cache mounts at /root/.npm. */
  npmCache: string;
  target?: string;
  cache?: LayerCache;
  /** Keep a copy after each RUN that more instructions follow (for later partial reuse). */
  snapshots?: boolean;
  log?: (line: string) => void;
  /** Longest a RUN may take. */
  runTimeoutMs?: number;
}

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
let dirCounter = 0;

const copyTree = (from: string, to: string) => {
  mkdirSync(to, { recursive: true });
  execFileSync('cp', ['-a', `${from}/.`, `${to}/`]);
};

/** Inside a stage root: an absolute image path, or one relative to WORKDIR. */
const inRoot = (root: string, workdir: string, p: string) => path.join(root, path.posix.isAbsolute(p) ? p : path.posix.join(workdir, p));

interface StageResult {
  dir: string;
  state: ImageState;
}
type StageResults = Map<string, Promise<StageResult>>;

export async function buildImage(df: Dockerfile, opts: BuildOptions): Promise<BuiltImage> {
  const cache = opts.cache ?? newLayerCache();
  const target = opts.target ?? finalStage(df).name;
  const stages = stagesFor(df, target); // dependencies first

  // Layer keys, chained per instruction from the base image or parent stage; a COPY --from
  // layer also depends on the whole source stage.
  const keys = new Map<string, string[]>();
  const finalKeys = new Map<string, string>();
  for (const stage of stages) {
    let key = hash(opts.context, finalKeys.get(stage.from) ?? `image:${stage.from}`);
    const stageKeys: string[] = [];
    for (const ins of stage.instructions) {
      const from = ins.keyword === 'COPY' ? flagValue(ins, 'from') : undefined;
      key = hash(key, ins.keyword, ins.flags.join(' '), ins.args, from ? finalKeys.get(from)! : '');
      stageKeys.push(key);
    }
    keys.set(stage.name, stageKeys);
    finalKeys.set(stage.name, key);
  }

  // Like BuildKit, stages build concurrently; one waits for another only where it uses it
  // (FROM <stage>, COPY --from=<stage>).
  const results: StageResults = new Map();
  for (const stage of stages) {
    results.set(stage.name, buildStage(df, stage, keys.get(stage.name)!, finalKeys.get(stage.name)!, results, cache, opts));
  }
  const settled = await Promise.allSettled(results.values());
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  const image = await results.get(target)!;
  return { ...image.state, root: image.dir, workdirOnHost: path.join(image.dir, image.state.workdir) };
}

async function buildStage(
  df: Dockerfile,
  stage: Stage,
  keys: string[],
  finalKey: string,
  results: StageResults,
  cache: LayerCache,
  opts: BuildOptions,
): Promise<StageResult> {
  const whole = cache.layers.get(finalKey);
  if (whole) {
    opts.log?.(`[${df.path} ${stage.name}] cached`);
    return whole;
  }
  const parent = results.has(stage.from) ? await results.get(stage.from)! : undefined;

  // The longest cached prefix, else the parent stage or an empty root.
  let resumeAt = -1;
  for (let i = keys.length - 1; i >= 0 && resumeAt < 0; i--) if (cache.layers.has(keys[i])) resumeAt = i;
  const dir = path.join(opts.workDir, `stage-${++dirCounter}-${stage.name}`);
  let state: ImageState;
  if (resumeAt >= 0) {
    const layer = cache.layers.get(keys[resumeAt])!;
    copyTree(layer.dir, dir);
    state = structuredClone(layer.state);
    opts.log?.(`[${df.path} ${stage.name}] cached up to line ${stage.instructions[resumeAt].line}`);
  } else if (parent) {
    copyTree(parent.dir, dir);
    state = structuredClone(parent.state);
  } else {
    mkdirSync(dir, { recursive: true });
    state = { workdir: '/', env: {}, expose: [] };
  }

  for (let i = resumeAt + 1; i < stage.instructions.length; i++) {
    const ins = stage.instructions[i];
    opts.log?.(`[${df.path} ${stage.name}] ${ins.keyword} ${ins.args}`);
    await apply(df, ins, dir, state, results, opts);
    const more = i < stage.instructions.length - 1;
    if (opts.snapshots && ins.keyword === 'RUN' && more) {
      const snap = `${dir}.after-${ins.line}`;
      copyTree(dir, snap);
      cache.layers.set(keys[i], { dir: snap, state: structuredClone(state) });
    }
  }
  const result = { dir, state };
  cache.layers.set(finalKey, result);
  return result;
}

async function apply(
  df: Dockerfile,
  ins: Instruction,
  root: string,
  state: ImageState,
  results: StageResults,
  opts: BuildOptions,
): Promise<void> {
  switch (ins.keyword) {
    case 'WORKDIR':
      state.workdir = path.posix.resolve(state.workdir, ins.args);
      mkdirSync(path.join(root, state.workdir), { recursive: true });
      return;
    case 'ENV':
      Object.assign(state.env, envPairs(ins));
      return;
    case 'USER':
      state.user = ins.args;
      return;
    case 'EXPOSE':
      state.expose.push(...ins.args.split(/\s+/));
      return;
    case 'CMD':
      state.cmd = execForm(ins);
      return;
    case 'ARG':
      return; // its build argument is already in the instructions (parseDockerfile)
    case 'COPY':
      return copy(df, ins, root, state, results, opts.context);
    case 'RUN':
      return run(df, ins, root, state, opts);
    default:
      throw new DockerBuildError(df.path, ins, `instruction ${ins.keyword} is not supported by the test sandbox`);
  }
}

async function copy(
  df: Dockerfile,
  ins: Instruction,
  root: string,
  state: ImageState,
  results: StageResults,
  context: string,
): Promise<void> {
  const parts = ins.args.split(/\s+/);
  if (parts.length < 2 || ins.args.startsWith('[')) throw new DockerBuildError(df.path, ins, 'COPY needs <src>... <dest>');
  const dest = parts.pop()!;
  const from = flagValue(ins, 'from');
  const sourceRoot = from ? (await results.get(from)!).dir : undefined;
  const destPath = inRoot(root, state.workdir, dest);
  const intoDir = dest.endsWith('/') || parts.length > 1;
  for (const src of parts) {
    if (/[*?[]/.test(src)) throw new DockerBuildError(df.path, ins, 'wildcards are not supported by the test sandbox');
    const srcPath = path.join(sourceRoot ?? context, src);
    if (!existsSync(srcPath)) throw new DockerBuildError(df.path, ins, `COPY source ${src} not found${from ? ` in stage ${from}` : ' in the build context'}`);
    if (statSync(srcPath).isDirectory()) {
      copyTree(srcPath, destPath); // a directory's contents
    } else {
      const to = intoDir ? path.join(destPath, path.basename(src)) : destPath;
      mkdirSync(path.dirname(to), { recursive: true });
      execFileSync('cp', ['-a', srcPath, to]);
    }
  }
}

function run(df: Dockerfile, ins: Instruction, root: string, state: ImageState, opts: BuildOptions): Promise<void> {
  const mounts = ins.flags.filter((f) => f.startsWith('--mount='));
  let npmCache = path.join(root, 'root', '.npm'); // no cache mount: npm's cache is part of the image
  for (const m of mounts) {
    if (m !== '--mount=type=cache,target=/root/.npm') throw new DockerBuildError(df.path, ins, `unsupported ${m}`);
    npmCache = opts.npmCache;
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...state.env,
    npm_config_cache: npmCache,
    npm_config_prefer_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const cwd = path.join(root, state.workdir);
  // File ownership has no meaning here (the sandbox has no users, and may not run as root):
  // `chown` only has to name paths that exist.
  const chown = /^chown (?:-R )?\d+(?::\d+)? (.+)$/.exec(ins.args);
  if (chown) {
    const missing = chown[1].split(/\s+/).filter((p) => !existsSync(path.join(cwd, p)));
    return missing.length === 0 ? Promise.resolve() : Promise.reject(new DockerBuildError(df.path, ins, `no such file: ${missing.join(' ')}`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', ins.args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const keep = (buf: Buffer) => {
      lines.push(...buf.toString().split('\n'));
      if (lines.length > 80) lines.splice(0, lines.length - 80);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.runTimeoutMs ?? 5 * 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new DockerBuildError(df.path, ins, `exit ${code ?? signal}\n${lines.join('\n')}`));
    });
  });
}

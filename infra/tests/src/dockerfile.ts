import { readRepoFile } from './repo';

export interface Instruction {
  keyword: string;
  /** Flags before the arguments (`--from=build`, `--mount=…`), in order. */
  flags: string[];
  /** The arguments after the flags, as written (continuations joined). */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  /** The FROM image, or the name of an earlier stage. */
  from: string;
  instructions: Instruction[];
  line: number;
}

export interface Dockerfile {
  path: string;
  stages: Stage[];
}

/**
 * `${NAME}` / `$NAME` of a declared ARG, replaced by its build argument, else by the ARG's
 * default (`ARG NAME=default`), else left as is.
 */
function substitute(text: string, declared: Map<string, string | undefined>, buildArgs: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (!declared.has(name)) return whole;
    return buildArgs[name] ?? declared.get(name) ?? whole;
  });
}

/** `NAME=default` or `NAME` → [name, default]. */
function argDeclaration(rest: string): [string, string | undefined] {
  const eq = rest.indexOf('=');
  return eq < 0 ? [rest.trim(), undefined] : [rest.slice(0, eq).trim(), rest.slice(eq + 1).trim()];
}

/**
 * Parses the subset of Dockerfile syntax this repository uses (checked by the tests). ARGs
 * declared before the first FROM take their `buildArgs` value (else their default) in FROM
 * lines; declared again inside a stage, in that stage's instructions, as `docker build
 * --build-arg` does.
 */
export function parseDockerfile(text: string, path: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string | undefined>();
  let stageArgs = new Map<string, string | undefined>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      line = line.replace(/\\\s*$/, ' ') + lines[i].trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`${path}:${start + 1}: cannot parse "${line}"`);
    const keyword = m[1].toUpperCase();
    let rest = m[2].trim();
    const flags: string[] = [];
    while (/^--[a-z-]+=\S+/.test(rest)) {
      const flag = /^(--[a-z-]+=\S+)\s*/.exec(rest)!;
      flags.push(flag[1]);
      rest = rest.slice(flag[0].length);
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(substitute(rest, globalArgs, buildArgs));
      if (!from) throw new Error(`${path}:${start + 1}: cannot parse FROM ${rest}`);
      stages.push({ from: from[1], name: from[2] ?? String(stages.length), instructions: [], line: start + 1 });
      stageArgs = new Map();
      continue;
    }
    if (keyword === 'ARG' && stages.length === 0) {
      globalArgs.set(...argDeclaration(rest));
      continue;
    }
    if (stages.length === 0) throw new Error(`${path}:${start + 1}: ${keyword} before FROM`);
    // A global ARG is visible in a stage only once the stage declares it again.
    if (keyword === 'ARG') {
      const [name, value] = argDeclaration(rest);
      stageArgs.set(name, value ?? globalArgs.get(name));
    }
    const args = keyword === 'ARG' ? rest : substitute(rest, stageArgs, buildArgs);
    stages[stages.length - 1].instructions.push({ keyword, flags, args, line: start + 1 });
  }
  return { path, stages };
}

/** The Dockerfile every Node service's image is built from (SERVICE selects the service); the client has its own. */
export const SERVICE_DOCKERFILE = 'infra/docker/service.Dockerfile';

/** Where `name`'s image is built from: the Dockerfile and its build arguments (what Skaffold and CI pass). */
export function imageRecipe(name: string): { dockerfile: string; buildArgs: Record<string, string> } {
  return name === 'client' ? { dockerfile: 'client/Dockerfile', buildArgs: {} } : { dockerfile: SERVICE_DOCKERFILE, buildArgs: { SERVICE: name } };
}

/** `name`'s Dockerfile as `docker build` reads it for that image (build arguments applied). */
export function loadDockerfile(name: string): Dockerfile {
  const { dockerfile, buildArgs } = imageRecipe(name);
  return parseDockerfile(readRepoFile(...dockerfile.split('/')), dockerfile, buildArgs);
}

export const stageNamed = (df: Dockerfile, name: string): Stage => {
  const s = df.stages.find((st) => st.name === name);
  if (!s) throw new Error(`${df.path}: no stage ${name}`);
  return s;
};

export const finalStage = (df: Dockerfile) => df.stages[df.stages.length - 1];

export const flagValue = (ins: Instruction, flag: string) =>
  ins.flags.find((f) => f.startsWith(`--${flag}=`))?.slice(flag.length + 3);

/** JSON (exec) form of CMD/ENTRYPOINT. */
export function execForm(ins: Instruction): string[] {
  const parsed: unknown = JSON.parse(ins.args);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`line ${ins.line}: not exec form`);
  return parsed;
}

/** `ENV A=1 B=2` → { A: '1', B: '2' } (no quoting needed here). */
export function envPairs(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of ins.args.split(/\s+/)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`line ${ins.line}: ENV needs KEY=value pairs`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Stages `target` needs: itself, its FROM parent chain, COPY --from sources, recursively. */
export function stagesFor(df: Dockerfile, target: string): Stage[] {
  const names = new Set<string>();
  const visit = (name: string) => {
    if (names.has(name)) return;
    const stage = stageNamed(df, name);
    if (df.stages.some((s) => s.name === stage.from)) visit(stage.from);
    for (const ins of stage.instructions) {
      const from = ins.keyword === 'COPY' ? flagValue(ins, 'from') : undefined;
      if (from) visit(from);
    }
    names.add(name);
  };
  visit(target);
  return df.stages.filter((s) => names.has(s.name));
}

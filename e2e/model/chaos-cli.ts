/**
 * `npm run chaos -- --minutes N`: runs the model-based test (e2e/model/model.test.ts) again
 * and again with a new seed each time — each on a fresh stack — until N minutes have passed,
 * printing each seed as it starts and a summary at the end. A failed run's output is kept in
 * test-output/model/<seed>.log; replay it with MODEL_SEED=<seed> npx jest e2e/model.
 * MODEL_* variables (e2e/model/config.ts) pass through. Exit code 1 if any run failed.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from '../support/table';

const root = path.resolve(__dirname, '..', '..');
const outDir = path.join(root, 'test-output', 'model');

function minutesArg(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--minutes' || a.startsWith('--minutes='));
  const raw = i < 0 ? undefined : argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const n = raw === undefined ? 10 : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--minutes must be a positive number, got ${raw}`);
  return n;
}

interface Outcome {
  seed: number;
  ok: boolean;
  seconds: number;
  log: string;
  /** The first violation lines of a failed run. */
  firstProblems: string[];
}

/** One run of the test file with `seed`; its output goes to a log file (and the summary lines to stdout). */
function runOnce(seed: number): Promise<Outcome> {
  const log = path.join(outDir, `${seed}.log`);
  const file = createWriteStream(log);
  const started = Date.now();
  const problems: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), 'e2e/model/model.test.ts'], {
      cwd: root,
      env: { ...process.env, MODEL_SEED: String(seed) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    const onData = (chunk: Buffer) => {
      file.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('[model] VIOLATION') && problems.length < 5) problems.push(line.slice('[model] VIOLATION '.length));
        if (line.startsWith('[model]') || line.startsWith('## ') || / verdict: /.test(line)) process.stdout.write(`  ${line}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      file.end();
      resolve({ seed, ok: code === 0, seconds: (Date.now() - started) / 1000, log, firstProblems: problems });
    });
  });
}

async function main(): Promise<void> {
  const minutes = minutesArg(process.argv.slice(2));
  mkdirSync(outDir, { recursive: true });
  const deadline = Date.now() + minutes * 60_000;
  const outcomes: Outcome[] = [];
  process.stdout.write(`chaos: model-based runs with new seeds for ${minutes} minute(s); logs in ${path.relative(root, outDir)}/\n`);
  while (Date.now() < deadline) {
    const seed = randomInt(0, 2 ** 31);
    process.stdout.write(`\n[chaos] run ${outcomes.length + 1}: seed ${seed} (replay: MODEL_SEED=${seed} npx jest e2e/model)\n`);
    const outcome = await runOnce(seed);
    outcomes.push(outcome);
    process.stdout.write(`[chaos] seed ${seed}: ${outcome.ok ? 'PASS' : 'FAIL'} in ${outcome.seconds.toFixed(0)} s\n`);
  }
  const failed = outcomes.filter((o) => !o.ok);
  process.stdout.write(
    `\n## chaos summary: ${outcomes.length} runs, ${outcomes.length - failed.length} passed, ${failed.length} failed\n` +
      formatTable([
        ['SEED', 'RESULT', 'SECONDS', 'FIRST VIOLATION / LOG'],
        ...outcomes.map((o) => [String(o.seed), o.ok ? 'pass' : 'FAIL', Math.round(o.seconds), o.ok ? '' : (o.firstProblems[0]?.slice(0, 140) ?? path.relative(root, o.log))]),
      ]) +
      '\n',
  );
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 2;
});

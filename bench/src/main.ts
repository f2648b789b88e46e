// `npm run bench`: every scenario at BENCH_SCALE (default 1) against a freshly started stack;
// writes bench/results.json and bench/RESULTS.md and prints the table.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { machineLine, textTable, writeResultsMarkdown } from './report';
import { runBench } from './run';
import { sizesFor } from './sizes';

async function main() {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number (got ${process.env.BENCH_SCALE})`);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${line}\n`);
  const sizes = sizesFor(scale);
  // BENCH_SCALE_OUT_REPLICAS=0 skips the scale-out run of read and contention.
  if (process.env.BENCH_SCALE_OUT_REPLICAS !== undefined) sizes.scaleOutReplicas = Number(process.env.BENCH_SCALE_OUT_REPLICAS);
  const results = await runBench({ sizes, log });
  const dir = path.resolve(__dirname, '..');
  writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify({ scale, ...results }, null, 2)}\n`);
  writeResultsMarkdown(path.join(dir, 'RESULTS.md'), results);
  process.stdout.write(`\n${textTable(results)}\n\n${machineLine(results)}\n`);
  const races = {
    contention: results.contention_successes,
    contention50: results.contention50_successes,
    ...(results.replicas2 && { 'contention (scale-out)': results.replicas2.contention_successes, 'contention50 (scale-out)': results.replicas2.contention50_successes }),
  };
  for (const [race, successes] of Object.entries(races)) {
    if (successes === 1) continue;
    process.stderr.write(`${race}: ${successes} orders placed for one ticket (must be exactly 1)\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

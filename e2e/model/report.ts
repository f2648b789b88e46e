import type { ReleasedHold, Verdict } from '../chaos/invariants';
import type { Settled } from '../chaos/settle';
import { formatTable, report } from '../support/table';
import type { Model } from './model';

/** Prints what a run did and found: commands, answers, faults, settling, invariants. */
export function reportRun(label: string, m: Model, settled: Settled, verdicts: Verdict[], releasedHolds: ReleasedHold[], extra: string[]): void {
  report(`${label}: commands run`, formatTable([['COMMAND', 'COUNT'], ...[...m.commandsRun].sort().map(([k, n]) => [k, n])]));
  const byRoute = new Map<string, number>();
  for (const e of m.exchanges) {
    const key = `${e.route}\t${e.status === 0 ? 'no answer' : e.status}`;
    byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
  }
  report(
    `${label}: answers by route and status`,
    formatTable([['ROUTE', 'STATUS', 'COUNT'], ...[...byRoute].sort().map(([k, n]) => [...k.split('\t'), n])]),
  );
  const start = m.exchanges.length ? Math.min(...m.exchanges.map((e) => e.sentAt)) : Date.now();
  report(
    `${label}: faults (one at a time)`,
    m.faults.length
      ? formatTable([
          ['AT', 'FAULT', 'TARGET', 'DOWN/FROZEN MS', 'ALL READY AFTER MS'],
          ...m.faults.map((f) => [`+${((f.atEpochMs - start) / 1000).toFixed(1)}s`, f.kind, f.target, f.downMs, f.readyAfterMs ?? 'never']),
        ])
      : 'none',
  );
  report(
    `${label}: settled`,
    settled.problems.length
      ? `NOT SETTLED after ${settled.seconds.toFixed(0)} s:\n  ${settled.problems.slice(0, 10).join('\n  ')}`
      : `in ${settled.seconds.toFixed(1)} s`,
  );
  report(`${label}: released holds (order cancelled after its payment was authorised)`, releasedHolds.length ? releasedHolds.map((r) => `order ${r.orderId}: ${r.explanation ?? 'UNEXPLAINED'}`).join('\n') : 'none');
  const ok = !settled.problems.length && verdicts.every((v) => v.ok) && !m.violations.length && !extra.length;
  report(
    `${label}: invariants — verdict: ${ok ? 'PASS' : 'FAIL'}`,
    formatTable([['INVARIANT', 'OK', 'DETAIL'], ...verdicts.map((v) => [v.name, v.ok ? 'yes' : 'NO', v.detail])]) +
      verdicts
        .filter((v) => !v.ok)
        .map((v) => `\n\n${v.name}:\n  ${v.examples!.join('\n  ')}`)
        .join('') +
      (m.violations.length ? `\n\nviolations seen while the commands ran (${m.violations.length}):\n  ${m.violations.slice(0, 20).join('\n  ')}` : '') +
      (extra.length ? `\n\n${extra.join('\n')}` : ''),
  );
}

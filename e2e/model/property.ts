import fc from 'fast-check';
import { readStream, sleep } from '@ticketing/dev-servers';
import { checkInvariants, type Verdict } from '../chaos/invariants';
import { waitSettled } from '../chaos/settle';
import type { ServiceDatabases } from '../support/databases';
import { CONSUMERS } from '../support/garbage-events';
import { faultCommands, userCommands } from './commands';
import {
  COMMANDS_PER_USER,
  EXPIRY_GRACE_SECONDS,
  KILL_MONGO,
  MAX_FAULTS,
  SETTLE_TIMEOUT_MS,
  SWEEP_INTERVAL_SECONDS,
  USERS,
  WINDOW_SECONDS,
} from './config';
import { Model } from './model';
import { reportRun } from './report';
import type { RealSystem } from './system';
import { codeVerdicts } from './code-invariant';
import { handoverVerdicts } from './waitlist-invariant';

/** Every invalid event published on purpose was dead-lettered by each service consuming its subject. */
async function missingDeadLetters(m: Model, r: RealSystem): Promise<string[]> {
  if (!m.garbageNonces.length) return [];
  const { jsm } = await r.natsConnection();
  const letters = await readStream(jsm, 'DEADLETTER');
  const out: string[] = [];
  for (const nonce of m.garbageNonces) {
    const subject = m.garbageSubjects.get(nonce)!;
    const published = m.garbagePublished.get(nonce) ?? 0;
    for (const svc of CONSUMERS[subject]) {
      const n = letters.filter((l) => l.subject === `deadletter.${svc}.${subject}` && l.raw.includes(nonce)).length;
      if (n < published) out.push(`invalid ${subject} events (${nonce}): ${n} of ${published} dead-lettered by ${svc}`);
    }
  }
  return out;
}

/**
 * The property: USERS command sequences (one per user) and a fault sequence run at once
 * against the real stack; then the system settles and every invariant must hold, and no
 * command may have seen a violation. Throws (with the report printed) when anything fails.
 */
export function systemProperty(real: RealSystem, dbs: ServiceDatabases) {
  let run = 0;
  let previous: Model | undefined;
  return fc.asyncProperty(
    fc.tuple(...Array.from({ length: USERS }, (_, u) => fc.commands(userCommands(u), { maxCommands: COMMANDS_PER_USER, size: 'max' }))),
    // A plain array of fault commands rather than fc.commands: a fixed length, so that faults
    // last as long as the users do (those left when every user is done are skipped).
    fc.array(fc.oneof(...faultCommands(KILL_MONGO)), { minLength: MAX_FAULTS, maxLength: MAX_FAULTS }),
    async (userSequences, faultSequence) => {
      const label = `model run ${++run}`;
      const model = new Model(USERS, previous);
      previous = model;
      model.usersRunning = USERS;
      const setup = () => ({ model, real });
      const startedAt = Date.now();
      // A sequence that throws (a test bug, a fault handle failing) is a failure, but the
      // others are still waited for: nothing of this run may keep running behind the checks.
      const sequences = await Promise.allSettled([
        ...userSequences.map((seq) =>
          fc.asyncModelRun(setup, seq).finally(() => {
            model.usersRunning--;
          }),
        ),
        // The users list a few tickets before the first fault.
        sleep(2_000).then(() => fc.asyncModelRun(setup, faultSequence)),
      ]);
      for (const s of sequences) if (s.status === 'rejected') model.violation(`a command sequence threw: ${(s.reason as Error)?.stack ?? String(s.reason)}`);
      const commandSeconds = (Date.now() - startedAt) / 1000;
      // Every order placed so far is past its window, its grace period and a sweep before settling is judged.
      await sleep((WINDOW_SECONDS + EXPIRY_GRACE_SECONDS + 2 * SWEEP_INTERVAL_SECONDS) * 1000);

      const settled = await waitSettled(dbs, async () => (await real.natsConnection()).jsm, SETTLE_TIMEOUT_MS);
      const { nc, jsm } = await real.natsConnection();
      const checked = await checkInvariants({
        dbs,
        nc,
        jsm,
        load: model,
        lines: real.stack.lines,
        kills: model.faults,
        deliberateDeadLetter: (msg) => model.garbageNonces.some((n) => msg.raw.includes(n)),
      }).catch((err: Error) => {
        model.violation(`the invariant checks could not run: ${err.stack ?? err.message}`);
        return { verdicts: [], releasedHolds: [] };
      });
      const { releasedHolds } = checked;
      const verdicts: Verdict[] = [
        ...checked.verdicts,
        ...(await handoverVerdicts(dbs).catch((err: Error) => {
          model.violation(`the waitlist checks could not run: ${err.stack ?? err.message}`);
          return [];
        })),
        ...(await codeVerdicts(model, real).catch((err: Error) => {
          model.violation(`the e-ticket code checks could not run: ${err.stack ?? err.message}`);
          return [];
        })),
      ];
      const extra = await missingDeadLetters(model, real).catch((err: Error) => [`dead letters could not be read: ${err.message}`]);
      reportRun(`${label} (commands ${commandSeconds.toFixed(0)} s)`, model, settled, verdicts, releasedHolds, extra);

      const failures = [
        ...settled.problems.map((p) => `not settled: ${p}`),
        ...verdicts.filter((v) => !v.ok).map((v) => `${v.name}: ${v.examples!.join('; ')}`),
        ...model.violations,
        ...extra,
      ];
      if (failures.length) throw new Error(`${failures.length} invariant violations:\n  ${failures.slice(0, 30).join('\n  ')}`);
    },
  );
}

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
/** Installed by infra/scripts/prepare.sh (test mode). */
export const SCHEMATHESIS = path.join(root, '.venv', 'schemathesis', 'bin', 'st');
const CONFIG = path.join(__dirname, 'schemathesis.toml');
/** Every run's full report, for reading after the fact. */
export const REPORTS = path.join(root, 'test-output', 'contract');

/**
 * Every check but one: nothing in this API is ever deleted. DELETE withdraws a listing (the
 * ticket stays, delisted), cancels an order (it stays, cancelled) or leaves a waitlist (the
 * entry stays, left), and GET keeps answering 200 afterwards, as documented; the check that a
 * deleted resource is gone does not apply.
 */
const EXCLUDED_CHECKS = ['use_after_free'];

export interface ContractRun {
  code: number | null;
  output: string;
  /** The summary block schemathesis ends with (its failures, warnings and counts). */
  summary: string;
  /** Its count line, e.g. "280 generated, 280 passed". */
  testCases: string;
}

/**
 * Runs schemathesis with every check against one service's published document, served by
 * `baseUrl`. Asynchronous on purpose: the stack's processes write their logs through this
 * process, which must keep reading them while schemathesis runs.
 */
export function runSchemathesis(opts: { baseUrl: string; documentPath: string; session: string; maxExamples: number; seed: number; requestTimeoutSeconds: number }): Promise<ContractRun> {
  const args = [
    '--config-file',
    CONFIG,
    'run',
    `${opts.baseUrl}${opts.documentPath}`,
    '--url',
    opts.baseUrl,
    '--checks',
    'all',
    '--exclude-checks',
    EXCLUDED_CHECKS.join(','),
    '--max-examples',
    String(opts.maxExamples),
    '--seed',
    String(opts.seed),
    '--workers',
    '2',
    '--request-timeout',
    String(opts.requestTimeoutSeconds),
    '--no-color',
  ];
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CONTRACT_SESSION: opts.session, SCHEMATHESIS_HOOKS: 'schemathesis_hooks', PYTHONPATH: __dirname };
    // Its caches (.schemathesis, .hypothesis) go with the reports, out of the sources.
    mkdirSync(REPORTS, { recursive: true });
    const child = spawn(SCHEMATHESIS, args, { cwd: REPORTS, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const at = output.lastIndexOf('SUMMARY');
      const summary = at >= 0 ? output.slice(output.lastIndexOf('\n', at) + 1).trim() : output.slice(-2000);
      const testCases = /^Test cases:\s*\n\s*(.+)$/m.exec(summary)?.[1].trim() ?? 'no count printed';
      resolve({ code, output, summary, testCases });
    });
  });
}

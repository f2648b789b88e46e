import type { StoredDeadLetter } from '../../nats/dead-letter-store';

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** `list`: one row per dead letter, columns padded to their widest cell. */
export function deadLetterTable(letters: StoredDeadLetter[]): string {
  if (letters.length === 0) return 'No dead letters.';
  const rows = [
    ['SEQ', 'TIME', 'SERVICE', 'SUBJECT', 'REASON', 'ERROR'],
    ...letters.map(({ seq, record }) => [
      String(seq),
      record.at,
      record.service,
      record.subject,
      record.reason,
      cut(record.error.replace(/\s+/g, ' '), 80),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

/** `show`: the record, with the original payload decoded when it is JSON. */
export function deadLetterDetail({ seq, record }: StoredDeadLetter): string {
  let payload: unknown = record.data;
  try {
    payload = JSON.parse(record.data);
  } catch {
    // not JSON (that may be why it is here): show the text as it is
  }
  const { data: _data, ...fields } = record;
  return JSON.stringify({ seq, ...fields, payload }, null, 2);
}

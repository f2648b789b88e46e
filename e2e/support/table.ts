/** A plain-text table (first row = header), columns padded; numbers right-aligned. */
export function formatTable(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[], raw: (string | number)[]) =>
    r.map((c, i) => (typeof raw[i] === 'number' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(cells[0], rows[0]), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (let i = 1; i < cells.length; i++) out.push(line(cells[i], rows[i]));
  return out.join('\n');
}

/**
 * Writes a titled block straight to stdout (jest's console adds a stack location to every line).
 * A "## title" heading, not "==== title ====": CI log readers take "==== … passed … ====" for a
 * pytest summary line.
 */
export function report(title: string, body: string): void {
  process.stdout.write(`\n## ${title}\n${body}\n`);
}

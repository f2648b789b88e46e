/** Log lines (of the stack's processes) that contain any of `secrets`, with what they contain. */
export function linesWithSecrets(lines: { name: string; line: string }[], secrets: Record<string, string>): string[] {
  const wanted = Object.entries(secrets).filter(([, v]) => v.length >= 6);
  const found: string[] = [];
  for (const { name, line } of lines) {
    for (const [label, value] of wanted) {
      if (line.includes(value)) found.push(`${name}: contains ${label}: ${line.slice(0, 300)}`);
    }
  }
  return found;
}

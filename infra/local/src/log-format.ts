const COLOURS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];
const LEVEL_COLOUR: Record<string, number> = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 41 };
const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

const paint = (code: number, text: string, on: boolean) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Prefixes each line of a process's output with its name; pretty-prints JSON log lines on a terminal. */
export class LogFormatter {
  private readonly colours = new Map<string, number>();

  constructor(
    private readonly pretty = process.stdout.isTTY === true && process.env.LOG_FORMAT !== 'json',
    private readonly width = 14,
  ) {}

  line(name: string, raw: string): string {
    const colour = this.colours.get(name.replace(/-\d+$/, '')) ?? this.assign(name.replace(/-\d+$/, ''));
    const prefix = paint(colour, `${name.padEnd(this.width)}|`, this.pretty);
    return `${prefix} ${this.pretty ? this.prettyJson(raw) : raw}`;
  }

  private assign(base: string): number {
    const colour = COLOURS[this.colours.size % COLOURS.length];
    this.colours.set(base, colour);
    return colour;
  }

  private prettyJson(raw: string): string {
    if (!raw.startsWith('{')) return raw;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return raw;
    }
    const level = typeof rec.level === 'number' ? PINO_LEVELS[rec.level] : typeof rec.level === 'string' ? rec.level : 'info';
    const time = typeof rec.time === 'string' ? rec.time.slice(11, 23) : '';
    const extras = Object.entries(rec)
      .filter(([k]) => !SKIP.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${paint(90, time, true)} ${paint(LEVEL_COLOUR[level] ?? 0, level.toUpperCase().padEnd(5), true)} ${typeof rec.msg === 'string' ? rec.msg : JSON.stringify(rec.msg ?? '')} ${paint(90, extras, true)}`;
  }
}

// Dashboards and alerts as code (infra/observability): the alert rules pass `promtool check
// rules` and their unit tests, and every metric the dashboard and the rules query is one a
// service exposes (common's createMetrics, or a service's own serviceHistogram).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '@ticketing/common';
import { findBinary } from '@ticketing/dev-servers';
import { readRepoFile, repoPath, SERVICES } from '../src/repo';
import { parseYaml } from '../src/yaml';

const RULES_DIR = repoPath('infra', 'observability', 'prometheus');
const DASHBOARD = ['infra', 'observability', 'grafana', 'ticketing-services.json'] as const;

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}
interface RuleFile {
  groups: { name: string; rules: { alert?: string; expr: string }[] }[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** Metric names the services expose, with a histogram's _bucket/_sum/_count series. */
async function exposedMetrics(): Promise<Set<string>> {
  const names = (await createMetrics('any').registry.getMetricsAsJSON()).map((m) => m.name);
  for (const service of SERVICES) {
    for (const file of sourceFiles(repoPath(service, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/serviceHistogram\([^{]*\{\s*name: '([a-z_]+)'/g)) names.push(m[1]);
    }
  }
  return new Set(names.flatMap((n) => [n, `${n}_bucket`, `${n}_sum`, `${n}_count`]));
}

/** The metric names a PromQL expression reads: identifiers followed by a selector, a range or a closing parenthesis. */
function queriedMetrics(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""').replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ');
  const functionsAndKeywords = /^(sum|max|min|avg|rate|increase|deriv|histogram_quantile|by|without|and|or|unless|on|ignoring)$/;
  return [...withoutStrings.matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?=[{[)])/g)].map((m) => m[1]).filter((n) => !functionsAndKeywords.test(n) && !n.startsWith('$'));
}

const dashboard = JSON.parse(readRepoFile(...DASHBOARD)) as { uid: string; panels: Panel[] };
const ruleFile = parseYaml(readRepoFile('infra', 'observability', 'prometheus', 'alerts.yaml'), 'alerts.yaml') as RuleFile;
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr })));
const ruleExprs = ruleFile.groups.flatMap((g) => g.rules.map((r) => ({ where: r.alert ?? g.name, expr: r.expr })));

describe('Grafana dashboard', () => {
  it('has the panels the issue asks for', () => {
    const titles = dashboard.panels.map((p) => p.title).join('\n');
    for (const about of [/request rate/i, /latency/i, /5xx/i, /event lag/i, /outbox backlog/i, /dead letters/i, /expiry lateness/i]) expect(titles).toMatch(about);
  });

  it('queries only metrics the services expose', async () => {
    const exposed = await exposedMetrics();
    const unknown = [...dashboardExprs, ...ruleExprs].flatMap(({ where, expr }) => queriedMetrics(expr).filter((n) => !exposed.has(n)).map((n) => `${where}: ${n}`));
    expect(unknown).toEqual([]);
    expect(dashboardExprs.every(({ expr }) => queriedMetrics(expr).length > 0)).toBe(true);
  });
});

describe('Prometheus alert rules', () => {
  it('alert on dead letters, a growing outbox backlog, consumer lag and the 5xx rate', () => {
    const alerts = ruleExprs.map((r) => `${r.where}: ${r.expr}`).join('\n');
    for (const metric of ['event_dead_letters_stored', 'outbox_backlog_documents', 'event_handling_lag_seconds_bucket', 'http_request_duration_seconds_count{status=~"5.."}']) {
      expect(alerts).toContain(metric);
    }
  });

  it('pass promtool check rules and the rules unit tests', () => {
    const promtool = findBinary('promtool');
    const check = execFileSync(promtool, ['check', 'rules', 'alerts.yaml'], { cwd: RULES_DIR, encoding: 'utf8' });
    expect(check).toMatch(/SUCCESS: 5 rules found/);
    const unit = execFileSync(promtool, ['test', 'rules', 'alerts.test.yaml'], { cwd: RULES_DIR, encoding: 'utf8' });
    expect(unit).toMatch(/SUCCESS/);
  });
});

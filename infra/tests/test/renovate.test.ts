// Renovate (renovate.json): every version the repository pins is read by a manager, so a new pin
// cannot silently escape updates; updates are grouped by ecosystem, on a schedule, and only
// development tooling's digests and patches merge by themselves.
import {
  builtInManagerReads, customExtract, disabledPackage, findPins, ignoredPath, loadRenovateConfig, type Pin,
} from '../src/renovate';
import { readRepoFile } from '../src/repo';

const config = loadRenovateConfig();
const pins = findPins();
const byReader = (reader: Pin['reader']) => pins.filter((p) => p.reader === reader);
const where = (p: Pin) => `${p.file}:${p.line} ${p.value}`;

test('the finder sees the pins of every kind (a blind finder would pass everything)', () => {
  for (const reader of ['custom', 'dockerfile', 'kubernetes', 'github-actions', 'nodenv', 'npm', 'maven'] as const) {
    expect({ reader, found: byReader(reader).length > 0 }).toEqual({ reader, found: true });
  }
  // The ones issue 19 names: .node-version, install-nats-server.sh, prepare.sh's go_tool pins, the k8s images.
  expect(pins.map(where)).toEqual(expect.arrayContaining([
    expect.stringMatching(/^\.node-version:1 \d+\.\d+\.\d+$/),
    expect.stringMatching(/^infra\/scripts\/install-nats-server\.sh:\d+ v2\.\d+\.\d+$/),
    expect.stringMatching(/^infra\/scripts\/prepare\.sh:\d+ v\d+\.\d+\.\d+$/),
    expect.stringMatching(/^infra\/k8s\/base\/nats\.yaml:\d+ nats:/),
  ]));
});

test('every version in a script or a workflow step is extracted, at its line, by a custom manager that names its datasource and package', () => {
  const missed = byReader('custom').filter((pin) => {
    const extracted = customExtract(config, pin.file, readRepoFile(pin.file));
    return !extracted.some((e) => e.line === pin.line && e.currentValue === pin.value && e.datasource && e.depName);
  });
  expect(missed.map(where)).toEqual([]);
});

test('the custom managers extract nothing that is not a pin (a matchString too loose would rewrite other text)', () => {
  const files = [...new Set(byReader('custom').map((p) => p.file))];
  const extracted = files.flatMap((file) => customExtract(config, file, readRepoFile(file)));
  const strays = extracted.filter((e) => !pins.some((p) => p.file === e.file && p.line === e.line && p.value === e.currentValue));
  expect(strays).toEqual([]);
});

test.each([
  ['dockerfile', 'the images the Dockerfiles start from'],
  ['kubernetes', 'the images of the Kubernetes manifests'],
  ['github-actions', 'the actions of the workflows'],
  ['nodenv', 'the .node-version file'],
  ['npm', 'every workspace’s package.json'],
  ['maven', 'the MongoDB stand-in’s pom.xml'],
] as const)('the %s manager reads %s', (reader, _what) => {
  const unread = byReader(reader).filter((p) => !builtInManagerReads(config, reader, p.file));
  expect(unread.map(where)).toEqual([]);
});

test('images built here (ticketing/*) are not looked up; every other image is', () => {
  const images = [...byReader('kubernetes'), ...byReader('dockerfile')].map((p) => p.value.replace(/[:@].*$/, ''));
  for (const image of images) expect({ image, disabled: disabledPackage(config, image) }).toEqual({ image, disabled: image.startsWith('ticketing/') });
});

test('no manager skips the tests’ folders (config:recommended’s :ignoreModulesAndTests would skip infra/tests/package.json)', () => {
  expect(ignoredPath(config, 'infra/tests/package.json')).toBe(false);
  expect(pins.filter((p) => ignoredPath(config, p.file)).map(where)).toEqual([]);
});

describe('grouping, schedule and automerge (like Online Boutique’s)', () => {
  const rules = config.packageRules ?? [];
  const groupOf = (name: string) => rules.filter((r) => r.groupName && r.matchPackageNames?.includes(name)).at(-1)?.groupName;

  test('updates come on a weekly schedule', () => {
    expect(config.schedule).toEqual([expect.stringMatching(/monday/)]);
  });

  test('what must move together is one group: the NATS server and its image, Node.js and its types', () => {
    expect(groupOf('github.com/nats-io/nats-server/v2')).toBeDefined();
    expect(groupOf('nats')).toBe(groupOf('github.com/nats-io/nats-server/v2'));
    expect(groupOf('@types/node')).toBe(groupOf('node'));
    expect(groupOf('mongoose')).toBe(groupOf('mongodb'));
  });

  test('groups by ecosystem: npm dev tooling, OpenTelemetry, GitHub Actions, Docker images, Go-built tools', () => {
    const groups = rules.map((r) => r.groupName).filter(Boolean);
    expect(groups).toEqual(expect.arrayContaining(['npm dev tooling', 'OpenTelemetry', 'GitHub Actions', 'Docker images', 'Go-built tools']));
  });

  test('automerge only for digests and patches of development tooling (devDependencies, actions)', () => {
    for (const rule of rules.filter((r) => r.automerge)) {
      expect(rule.matchUpdateTypes?.every((t) => ['digest', 'pinDigest', 'patch'].includes(t))).toBe(true);
      const devOnly = rule.matchDepTypes?.every((t) => t === 'devDependencies') || rule.matchManagers?.every((m) => m === 'github-actions');
      expect({ rule: rule.description, devOnly }).toEqual({ rule: rule.description, devOnly: true });
    }
    expect(config.automerge).toBeUndefined();
  });
});

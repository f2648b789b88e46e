// Summarises a .cpuprofile: self time by package (or file) and by function, and optionally the
// inclusive time of functions whose name matches a pattern.
//   node bench/tools/cpu-profile-summary.js <file.cpuprofile> [top=30] [pattern …]
// Times are wall-clock samples: on a busy machine a descheduled process still collects samples,
// so compare shares (%), not milliseconds, between runs.
'use strict';
const fs = require('node:fs');

const [file, topArg, ...patterns] = process.argv.slice(2);
if (!file) {
  console.error('usage: node cpu-profile-summary.js <file.cpuprofile> [top] [pattern …]');
  process.exit(2);
}
const top = Number(topArg || 30);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children || []) parent.set(c, n.id);
const selfTime = new Map();
prof.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) || 0) + (prof.timeDeltas[i] || 0)));

const where = (url) => {
  if (!url) return '(native)';
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  return url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : url.replace(/^file:\/\//, '');
};
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

let total = 0;
let idle = 0;
const byPackage = new Map();
const byFunction = new Map();
const inclusive = new Map();
for (const [id, t] of selfTime) {
  const node = byId.get(id);
  total += t;
  if (node.callFrame.functionName === '(idle)') {
    idle += t;
    continue;
  }
  const pkg = node.callFrame.url ? where(node.callFrame.url) : node.callFrame.functionName;
  byPackage.set(pkg, (byPackage.get(pkg) || 0) + t);
  byFunction.set(label(node), (byFunction.get(label(node)) || 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (!seen.has(l)) inclusive.set(l, (inclusive.get(l) || 0) + t);
    seen.add(l);
  }
}
const busy = total - idle;
const show = (title, map, filter = () => true) => {
  console.log(`--- ${title}`);
  [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, t]) => console.log(`${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`));
};
console.log(`${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s not idle (percentages are of that)`);
show('self time by package / file', byPackage);
show('self time by function', byFunction);
if (patterns.length) show(`inclusive time of functions matching ${patterns.join(', ')}`, inclusive, (k) => patterns.some((p) => k.includes(p)));

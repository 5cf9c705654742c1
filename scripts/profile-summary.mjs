#!/usr/bin/env node
// Summarise a V8 .cpuprofile of the bundled CLI (`node --cpu-prof dist/cli/cli.js serve …`): self time
// by source file and by function, mapped back through dist/cli/switchyard.cjs.map, so a minified
// bundle's profile reads in our own file names. Usage: node scripts/profile-summary.mjs FILE [TOP]
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SourceMapConsumer } = require('source-map');
const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/profile-summary.mjs FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topArg ?? 40);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const maps = new Map();
function consumerFor(url) {
  if (!url.endsWith('.cjs') && !url.endsWith('.js')) return undefined;
  const p = url.startsWith('file://') ? new URL(url).pathname : url;
  if (maps.has(p)) return maps.get(p);
  const mapFile = `${p}.map`;
  const c = existsSync(mapFile) ? new SourceMapConsumer(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined;
  maps.set(p, c);
  return c;
}
function place(cf) {
  const c = consumerFor(cf.url);
  if (!c || cf.lineNumber < 0) return { file: cf.url ? path.basename(cf.url) : `(${cf.functionName || 'native'})`, fn: cf.functionName || '(anon)' };
  const o = c.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber });
  const src = (o.source ?? cf.url).replace(/^(\.\.\/)+/, '');
  return { file: src, fn: `${o.name ?? cf.functionName ?? '(anon)'}@${o.line ?? '?'}` };
}
const selfById = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const byFile = new Map();
const byFn = new Map();
let total = 0;
for (const node of profile.nodes) {
  const t = selfById.get(node.id) ?? 0;
  if (!t) continue;
  total += t;
  const { file: f, fn } = place(node.callFrame);
  const group = f.includes('node_modules/') ? f.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, 'pkg:$1') : f;
  byFile.set(group, (byFile.get(group) ?? 0) + t);
  const key = `${fn}  ${f}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
}
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5);
const print = (title, m) => {
  process.stdout.write(`\n## ${title}\n`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(t)} %  ${k}\n`);
};
process.stdout.write(`total sampled ${(total / 1000).toFixed(0)} ms\n`);
print('self time by file', byFile);
print('self time by function', byFn);

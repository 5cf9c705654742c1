// `npm run bench:growth`: every growth curve of issue 16 in one run (build first: node scripts/build.mjs).
// Prints numbers, never asserts. Shorter runs: GROWTH_STREAM_SECONDS (default 120; nominal 600),
// GROWTH_USAGE_ROWS (default 10000,1000000), GROWTH_SECONDS per load point (default 5).
import os from 'node:os';
import { accountsBench } from './accounts';
import { bodiesBench } from './bodies';
import { coldStart } from './cold-start';
import { longStreamBench } from './long-stream';
import { selectionBench } from './selection';
import { usageBench } from './usage-history';

const seconds = Number(process.env.GROWTH_SECONDS ?? 5);
process.stdout.write(`growth curves — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
await coldStart(
  [
    { name: 'bin/switchyard.js (code cache)', args: ['bin/switchyard.js'] },
    { name: 'bin/switchyard.js (no code cache)', args: ['bin/switchyard.js'], env: { SWITCHYARD_CODE_CACHE: 'off' } },
  ],
  10,
);
await accountsBench([1, 10, 100, 1000], seconds);
selectionBench([1, 10, 100, 1000], 200_000);
await bodiesBench([1, 100, 1000, 10_000], seconds);
await longStreamBench(Number(process.env.GROWTH_STREAM_SECONDS ?? 120), 4);
for (const n of (process.env.GROWTH_USAGE_ROWS ?? '10000,1000000').split(',').map(Number)) await usageBench(n);
process.stdout.write(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

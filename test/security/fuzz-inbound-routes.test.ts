import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src-main/engine/server/route-table';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startCountingUpstream, type CountingUpstream } from './support/fake-openai-upstream';
import { FUZZED_ROUTES, bodyArbitrary } from './support/fuzz-bodies';
import { CLIENT_KEY, concretePath, hostileConfig } from './support/routes';
import { inject } from './support/inject';

/**
 * Fuzz every inbound route with seeded bodies (near-valid requests, damaged bytes, arbitrary
 * JSON), sent in-process to the engine's real app (no client TCP), which calls a fast fake
 * upstream over real HTTP. The fake never fails, so any 5xx is the proxy's own fault.
 * Asserts: no 5xx, no crash (the server still answers), RSS bounded.
 * FUZZ_RUNS (default 10,000 per route) and FUZZ_SEED reproduce or widen a run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const IN_FLIGHT = 16;

/** A full GC, so heap figures measure what is retained, not what is merely not yet collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function retained(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

let upstream: CountingUpstream;
let sy: RunningEngine;

beforeAll(async () => {
  upstream = await startCountingUpstream();
  sy = await startEngine(hostileConfig(upstream.url, ['usage-sqlite: {enable: false}']));
});

afterAll(async () => {
  await sy?.close();
  await upstream?.close();
});

interface Outcome {
  statuses: Map<number, number>;
  failures: Array<{ index: number; status: number; body: string; answer: string }>;
}

async function fire(path: string, bodies: string[]): Promise<Outcome> {
  const out: Outcome = { statuses: new Map(), failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      const res = await inject(sy.engine.app, { method: 'POST', path, headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: bodies[index] });
      out.statuses.set(res.status, (out.statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && out.failures.length < 5) out.failures.push({ index, status: res.status, body: bodies[index].slice(0, 500), answer: res.raw.slice(-300) });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return out;
}

describe(`fuzz: ${RUNS} seeded bodies per inbound route`, () => {
  let start = { heap: 0, rss: 0 };

  it('warms up (first requests load lazy modules) and takes the RSS baseline', async () => {
    for (const id of FUZZED_ROUTES) {
      const route = ROUTES.find((r) => r.id === id)!;
      await fire(concretePath(route), fc.sample(bodyArbitrary(id), { seed: SEED - 1, numRuns: 20 }));
    }
    start = retained();
  });

  for (const [i, id] of FUZZED_ROUTES.entries()) {
    const route = ROUTES.find((r) => r.id === id)!;
    it(`POST ${route.path}: no 5xx from the proxy`, async () => {
      const cpu = process.cpuUsage();
      const bodies = fc.sample(bodyArbitrary(id), { seed: SEED + i, numRuns: RUNS });
      const out = await fire(concretePath(route), bodies);
      const total = [...out.statuses.values()].reduce((a, b) => a + b, 0);
      expect(total).toBe(RUNS);
      expect(out.failures, `seed ${SEED + i}; statuses ${JSON.stringify([...out.statuses])}`).toEqual([]);
      // The mix must reach the pipeline, not only bounce off the JSON parser.
      expect(out.statuses.get(200) ?? 0, JSON.stringify([...out.statuses])).toBeGreaterThan(RUNS / 20);
      const used = process.cpuUsage(cpu);
      const mem = retained();
      console.log(`${route.path}: ${JSON.stringify(Object.fromEntries(out.statuses))}, ${Math.round((used.user + used.system) / 1000)} ms CPU, heap ${mem.heap >> 20} MB, rss ${mem.rss >> 20} MB`);
    }, 120_000);
  }

  it('survives: still serving, RSS bounded', async () => {
    expect((await inject(sy.engine.app, { method: 'GET', path: '/healthz', headers: {} })).status).toBe(200);
    expect((await fetch(`${sy.url}/healthz`)).status).toBe(200);
    const end = retained();
    console.log(`retained heap ${start.heap >> 20} → ${end.heap >> 20} MB, rss ${start.rss >> 20} → ${end.rss >> 20} MB`);
    // What the proxy keeps (bounded request log, caches) may grow a little; a leak of even 1 KB
    // per request would show as ~90 MB here.
    expect(end.heap - start.heap).toBeLessThan(48 * 1024 * 1024);
    expect(end.rss - start.rss).toBeLessThan(256 * 1024 * 1024);
  });
});

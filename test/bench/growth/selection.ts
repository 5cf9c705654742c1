// Selection time per request, in process: what routing costs one request (begin → skipped → next →
// report success) with 1, 10, 100, 1,000 key entries serving one model, with nothing resting, with
// 1 % of the pool cooling, and with session affinity on. The engine benches (accounts.ts) include
// the HTTP and upstream work around it; this isolates the part that grows with the pool.
//   tsx test/bench/growth/selection.ts [counts=1,10,100,1000] [requests=200000]
import { configSchema } from '../../../src-shared/config/schema';
import { Routing } from '../../../src-main/engine/routing';
import type { Account, ProviderId } from '../../../src-main/engine/providers/provider';

function pool(n: number): Account[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `key-${String(i).padStart(4, '0')}`,
    provider: 'claude-api' as ProviderId,
    kind: 'api-key' as const,
    label: `key ${i}`,
    order: i,
    priority: 0,
    weight: 1,
    disabled: false,
    meta: {},
  }));
}

function nsPerRequest(n: number, requests: number, scene: 'idle' | 'cooling' | 'affinity'): number {
  const accounts = pool(n);
  const config = configSchema.parse(scene === 'affinity' ? { routing: { 'session-affinity': true } } : {});
  const routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => ['claude-sonnet-4-6'] });
  if (scene === 'cooling') {
    for (let i = 0; i < Math.max(1, Math.floor(n / 100)) && n > 1; i++) {
      routing.book.markFailure(accounts[i * 97 % n].id, 'claude-sonnet-4-6', { kind: 'rate-limit', cooldownUntil: Date.now() + 3_600_000, scope: 'model', hint: 'retry-after' });
    }
  }
  const headers = { 'x-claude-code-session-id': 'bench-session' };
  const one = () => {
    const session = routing.begin('claude-sonnet-4-6', scene === 'affinity' ? { headers } : {})!;
    session.skipped();
    const c = session.next()!;
    session.report(c, { ok: true });
  };
  for (let i = 0; i < Math.min(requests, 20_000); i++) one(); // warm-up (JIT)
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) one();
  return Number(process.hrtime.bigint() - t0) / requests;
}

export function selectionBench(counts: number[], requests: number): void {
  process.stdout.write(`\nselection per request (begin, skipped, next, report), ${requests} requests per point\n`);
  process.stdout.write('  accounts   nothing resting   1 % cooling   session affinity\n');
  for (const n of counts) {
    const row = (['idle', 'cooling', 'affinity'] as const).map((s) => `${nsPerRequest(n, requests, s).toFixed(0).padStart(9)} ns`);
    process.stdout.write(`  ${String(n).padStart(8)}   ${row[0]}      ${row[1]}   ${row[2]}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  selectionBench((process.argv[2] ?? '1,10,100,1000').split(',').map(Number), Number(process.argv[3] ?? 200_000));
}

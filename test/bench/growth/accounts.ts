// Accounts in config: 1, 10, 100, 1000 key entries on one OpenAI-compatible provider (all pointing at
// the mock). Per request: engine CPU (µs) and p50 at c=1 and c=16; RSS idle and under load. What
// grows with the count is selection (and whatever else walks the account list per request).
//   tsx test/bench/growth/accounts.ts [counts=1,10,100,1000] [seconds=5]
import { load, chat } from './load';
import { openaiCompat, startEngine, startMock } from './engine';
import { rssMb } from './util';

export async function accountsBench(counts: number[], seconds: number): Promise<void> {
  const mock = await startMock({ firstByteMsNonStream: 0 });
  process.stdout.write(`\naccounts in config (key entries on one provider), ${seconds} s per point\n`);
  process.stdout.write('  accounts  idle RSS   c=1 p50   c=1 CPU/req   c=16 req/s   c=16 CPU/req   peak RSS\n');
  try {
    for (const n of counts) {
      const engine = await startEngine(openaiCompat(mock.url, n));
      try {
        const url = `${engine.url}/v1/chat/completions`;
        const body = chat('gpt-4o-mini', 'Say hello.');
        await load(url, body, 16, 2, engine.child.pid!); // warm-up (JIT, pools)
        await new Promise((r) => setTimeout(r, 1000));
        const idle = rssMb(engine.child.pid!);
        const c1 = await load(url, body, 1, seconds, engine.child.pid!);
        const c16 = await load(url, body, 16, seconds, engine.child.pid!);
        process.stdout.write(
          `  ${String(n).padStart(8)}  ${idle.toFixed(0).padStart(5)} MB  ${c1.p50.toFixed(2).padStart(6)} ms  ${c1.cpuUsPerReq.toFixed(0).padStart(8)} µs  ${c16.rps.toFixed(0).padStart(10)}  ${c16.cpuUsPerReq.toFixed(0).padStart(10)} µs  ${Math.max(c1.peakRssMb, c16.peakRssMb).toFixed(0).padStart(6)} MB${c1.errors + c16.errors ? `  (${c1.errors + c16.errors} errors)` : ''}\n`,
        );
      } finally {
        await engine.stop();
      }
    }
  } finally {
    await mock.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await accountsBench((process.argv[2] ?? '1,10,100,1000').split(',').map(Number), Number(process.argv[3] ?? 5));
}

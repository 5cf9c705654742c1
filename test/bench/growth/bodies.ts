// Request bodies of 1 KB, 100 KB, 1 MB, 10 MB through same-format passthrough (OpenAI client →
// OpenAI-compatible upstream): req/s against the mock directly and through the engine, and the
// engine's memory per in-flight request = (peak RSS at c=8 − peak RSS at c=1) / 7, a fresh engine
// per size. Only meaningful for the big bodies: at 1 KB the peak follows throughput (garbage), not bodies.
// `rewrite` asks for an alias, so the engine splices the upstream model name into the bytes it forwards.
//   tsx test/bench/growth/bodies.ts [sizesKB=1,100,1000,10000] [seconds=5] [rewrite]
import { chat, load } from './load';
import { openaiCompat, startEngine, startMock } from './engine';

export async function bodiesBench(sizesKb: number[], seconds: number, rewrite = false): Promise<void> {
  const mock = await startMock();
  process.stdout.write(`\nrequest bodies through passthrough${rewrite ? ' (model renamed)' : ''}, ${seconds} s per point (c=8 unless noted)\n`);
  process.stdout.write('      body   direct req/s   engine req/s   ratio   engine CPU/req   RSS c=1   RSS c=8   per in-flight\n');
  try {
    for (const kb of sizesKb) {
      const config = openaiCompat(mock.url, 1).replace('alias: gpt-4o-mini', rewrite ? 'alias: mini' : 'alias: gpt-4o-mini');
      const engine = await startEngine(`${config}body-limit-mb: 50\n`);
      const pid = engine.child.pid!;
      const body = chat(rewrite ? 'mini' : 'gpt-4o-mini', 'x'.repeat(Math.max(0, kb * 1024 - 80)));
      const url = `${engine.url}/v1/chat/completions`;
      await load(url, body, 2, 1, pid); // warm-up
      const direct = await load(`${mock.url}/v1/chat/completions`, body, 8, seconds, mock.child.pid!);
      const c1 = await load(url, body, 1, seconds, pid);
      const c8 = await load(url, body, 8, seconds, pid);
      const perFlight = (c8.peakRssMb - c1.peakRssMb) / 7;
      process.stdout.write(
        `  ${`${kb >= 1000 ? `${kb / 1000} MB` : `${kb} KB`}`.padStart(8)}   ${direct.rps.toFixed(0).padStart(12)}   ${c8.rps.toFixed(0).padStart(12)}   ${(c8.rps / direct.rps).toFixed(2).padStart(5)}   ${c8.cpuUsPerReq.toFixed(0).padStart(11)} µs   ${c1.peakRssMb.toFixed(0).padStart(4)} MB   ${c8.peakRssMb.toFixed(0).padStart(4)} MB   ${perFlight.toFixed(1).padStart(6)} MB (${(perFlight / (kb / 1024)).toFixed(1)}× body)${c1.errors + c8.errors ? `  ${c1.errors + c8.errors} errors` : ''}\n`,
      );
      await engine.stop();
    }
  } finally {
    await mock.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bodiesBench((process.argv[2] ?? '1,100,1000,10000').split(',').map(Number), Number(process.argv[3] ?? 5), process.argv[4] === 'rewrite');
}

// One long stream (10 minutes nominal; the duration is a parameter): the mock sends a chunk every
// 50 ms, the client reads it through the engine. Every interval: engine RSS, and engine CPU per
// chunk relayed. Flat RSS and constant CPU per chunk mean nothing accumulates per chunk.
//   tsx test/bench/growth/long-stream.ts [seconds=600] [streams=4]
import { request } from 'undici';
import { openaiCompat, startEngine, startMock } from './engine';
import { chat } from './load';
import { cpuMs, rssMb } from './util';

const CHUNK_MS = 50;

export async function longStreamBench(seconds: number, streams: number): Promise<void> {
  const chunks = Math.round((seconds * 1000) / CHUNK_MS);
  const mock = await startMock({ chunks, streamTokens: chunks * 4, chunkDelayMs: CHUNK_MS, firstByteMs: 0 });
  const engine = await startEngine(openaiCompat(mock.url, 1));
  const pid = engine.child.pid!;
  process.stdout.write(`\nlong stream: ${streams} concurrent streams of ${seconds} s, a chunk every ${CHUNK_MS} ms each (${chunks} chunks per stream)\n`);
  let received = 0;
  const run = async () => {
    const res = await request(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body: chat('gpt-4o-mini', 'Tell a long story.', true),
      bodyTimeout: 0,
      headersTimeout: 0,
    });
    for await (const part of res.body) received += (part.toString().match(/\n\n/g) ?? []).length;
  };
  try {
    const t0 = performance.now();
    const done = Promise.all(Array.from({ length: streams }, run));
    const every = Math.max(5, Math.round(seconds / 12));
    let last = { t: performance.now(), cpu: cpuMs(pid), events: 0 };
    const rows: string[] = [];
    const timer = setInterval(() => {
      const now = { t: performance.now(), cpu: cpuMs(pid), events: received };
      const perChunk = ((now.cpu - last.cpu) * 1000) / Math.max(1, now.events - last.events);
      rows.push(`  t=${((now.t - t0) / 1000).toFixed(0).padStart(4)} s  RSS ${rssMb(pid).toFixed(1).padStart(6)} MB  events relayed ${String(now.events).padStart(7)}  engine CPU ${perChunk.toFixed(0).padStart(5)} µs per event`);
      process.stdout.write(`${rows.at(-1)}\n`);
      last = now;
    }, every * 1000);
    await done;
    clearInterval(timer);
    process.stdout.write(`  done: ${received} events in ${((performance.now() - t0) / 1000).toFixed(0)} s, RSS ${rssMb(pid).toFixed(1)} MB, peak ${rssMb(pid, 'VmHWM').toFixed(1)} MB\n`);
  } finally {
    await engine.stop();
    await mock.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await longStreamBench(Number(process.argv[2] ?? 600), Number(process.argv[3] ?? 4));
}

// Memory each in-flight passthrough request holds, counted rather than sampled: N requests with a
// renamed model (alias → upstream name) are parked at an upstream that reads each whole body and
// answers only once all N arrived; after a full GC, the growth of process.memoryUsage() over N.
// The engine runs in this process (the integration harness). `arrayBuffers` includes the client's
// own copy of each body (fetch copies it), so the engine's share is that minus one body.
// Sizes in KB, as bodies.ts takes them; each size on a fresh engine.
//   node --expose-gc --import tsx test/bench/growth/inflight-bodies.ts [sizesKB=1,100,1000,10000] [N=8]
import http from 'node:http';
import { startEngine } from '../../integration/harness';

const ANSWER = '{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[]}';

export async function inflightBodies(sizeKb: number, n: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const parked: http.ServerResponse[] = [];
  let holding = false;
  let arrived = (): void => {};
  const all = new Promise<void>((r) => (arrived = r));
  const up = http.createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(404).end('{}');
    req.on('data', () => {});
    req.on('end', () => {
      if (!holding) return void res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
      parked.push(res);
      if (parked.length === n) arrived();
    });
  });
  await new Promise<void>((r) => up.listen(0, '127.0.0.1', r));
  const port = (up.address() as { port: number }).port;
  const sy = await startEngine(
    ['api-keys: [k]', 'request-retry: 0', 'body-limit-mb: 50', 'openai-compatibility:', '  - name: m', `    base-url: http://127.0.0.1:${port}/v1`, '    api-key: u', '    models: [{ name: gpt-4o-mini, alias: mini }]'].join('\n'),
  );
  const body = new Uint8Array(Buffer.from(JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'x'.repeat(Math.max(0, sizeKb * 1024 - 80)) }] })));
  const send = () =>
    fetch(`${sy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer());
  try {
    await send(); // warm-up: pools, JIT
    await send();
    gc();
    gc();
    const m0 = process.memoryUsage();
    holding = true;
    const inflight = Array.from({ length: n }, send);
    await all;
    gc();
    gc();
    const m1 = process.memoryUsage();
    const per = (b: number) => `${(b / n / 1024).toFixed(1)} KB`;
    const bodies = (b: number) => `${(b / n / body.length).toFixed(2)}× body`;
    const ab = m1.arrayBuffers - m0.arrayBuffers;
    process.stdout.write(
      `${`${sizeKb >= 1000 ? `${sizeKb / 1000} MB` : `${sizeKb} KB`}`.padStart(7)} × ${n} in flight, per request: arrayBuffers +${per(ab)} (${bodies(ab)}; one is the client's), heapUsed +${per(m1.heapUsed - m0.heapUsed)}, rss +${per(m1.rss - m0.rss)}\n`,
    );
    for (const p of parked) p.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
    await Promise.allSettled(inflight);
  } finally {
    await sy.close();
    await new Promise((r) => up.close(r));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const kb of (process.argv[2] ?? '1,100,1000,10000').split(',').map(Number)) await inflightBodies(kb, Number(process.argv[3] ?? 8));
}

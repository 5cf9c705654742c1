// CPU per upstream chunk of the stream stages, in-process (no sockets, so the machine's load and
// the kernel stay out of it): the shared mock's OpenAI stream (role + first text in one read, 39
// more text chunks, finish + [DONE]) fed one chunk per macrotask through
//   bare for-await   a Readable read with for-await only (what any Node proxy pays)
//   passthrough      relayPassthrough (read-ahead, SSE side channel, pump) into a sink that takes all
//   translated       readAheadTranslated + relayTranslated, OpenAI upstream → Claude client
// Each stream's read-ahead is included, spread over its chunks. Prints the least of N rounds.
//   npx tsx test/bench/streams/chunk-cost.ts [all|floor|pass|trans] [rounds=8]
import { Readable } from 'node:stream';
import { relayPassthrough } from '../../../src-main/engine/pipeline/passthrough-relay';
import { readAheadTranslated, relayTranslated } from '../../../src-main/engine/pipeline/stream-relay';
import { protocols } from '../../../src-main/engine/protocols';
import type { ClientSink } from '../../../src-main/engine/pipeline/sink';
import { DEFAULT_LIMITS } from '../../../src-main/engine/pipeline/limits';

const base = { id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', service_tier: 'default', system_fingerprint: 'fp_mock' };
const frame = (choices: unknown, usage = false) => 'data: ' + JSON.stringify({ ...base, choices, ...(usage ? { usage: null } : {}) }) + '\n\n';
const N = 40;
function chunks(usage: boolean): Buffer[] {
  const out = [Buffer.from(frame([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usage) + frame([{ index: 0, delta: { content: 'lorem ipsum dolor sit amet' }, logprobs: null, finish_reason: null }], usage))];
  for (let i = 1; i < N; i++) out.push(Buffer.from(frame([{ index: 0, delta: { content: ' consectetur adipiscing elit sed' }, logprobs: null, finish_reason: null }], usage)));
  out.push(Buffer.from(frame([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage) + 'data: [DONE]\n\n'));
  return out;
}
/** A Readable fed one chunk per macrotask, like a socket. */
function body(list: Buffer[]): Readable {
  let i = 0;
  const r = new Readable({ read() {} });
  const feed = () => { if (i < list.length) { r.push(list[i++]); setImmediate(feed); } else r.push(null); };
  setImmediate(feed);
  return r;
}
function sink(): ClientSink {
  const ac = new AbortController();
  let n = 0;
  return { gone: false, signal: ac.signal, startStream() {}, write: async (c: string | Uint8Array) => { n += c.length; }, end() {}, committed: false } as unknown as ClientSink;
}
async function floor(list: Buffer[]) { let n = 0; for await (const c of body(list)) n += (c as Buffer).length; }
async function pass(list: Buffer[]) { await relayPassthrough({ headers: { 'content-type': 'text/event-stream' }, body: body(list) }, protocols['openai-chat'], sink(), { limits: { ...DEFAULT_LIMITS, keepaliveMs: Number(process.env.KA ?? DEFAULT_LIMITS.keepaliveMs) } }); }
async function trans(list: Buffer[]) {
  const ahead = await readAheadTranslated({ status: 200, headers: {}, body: body(list) } as never, protocols['openai-chat'], {} as never);
  if (ahead.error) throw new Error('x');
  await relayTranslated(ahead, protocols['claude-messages'], { clientModel: 'm' } as never, sink(), { limits: { ...DEFAULT_LIMITS, keepaliveMs: Number(process.env.KA ?? DEFAULT_LIMITS.keepaliveMs) } });
}
async function measure(name: string, f: (l: Buffer[]) => Promise<void>, list: Buffer[], streams = 400, conc = 16) {
  const run = async () => { for (let k = 0; k < streams / conc; k++) await f(list); };
  await Promise.all(Array.from({ length: conc }, run)); // warm
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: conc }, run));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / streams / list.length;
}
const which = process.argv[2] ?? 'all';
const rounds = Number(process.argv[3] ?? 8);
// The machine is shared: the least of several rounds is the steadiest figure.
const best = { floor: Infinity, pass: Infinity, trans: Infinity };
for (let r = 0; r < rounds; r++) {
  if (which === 'all' || which === 'floor') best.floor = Math.min(best.floor, await measure('floor', floor, chunks(false)));
  if (which === 'all' || which === 'pass') best.pass = Math.min(best.pass, await measure('pass', pass, chunks(false)));
  if (which === 'all' || which === 'trans') best.trans = Math.min(best.trans, await measure('trans', trans, chunks(true)));
}
console.log(`µs/chunk (least of ${rounds}): bare for-await ${best.floor.toFixed(2)}  passthrough ${best.pass.toFixed(2)}  translated ${best.trans.toFixed(2)}`);

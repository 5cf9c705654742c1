import { describe, expect, it } from 'vitest';
import type { IrStreamError } from '../../../../../src-main/engine/ir';
import { DEFAULT_LIMITS, type PipelineLimits } from '../../../../../src-main/engine/pipeline/limits';
import { relayPassthrough } from '../../../../../src-main/engine/pipeline/passthrough-relay';
import type { UpstreamResponse } from '../../../../../src-main/engine/pipeline/send-upstream';
import type { ClientSink } from '../../../../../src-main/engine/pipeline/sink';
import { StreamAccumulator } from '../../../../../src-main/engine/ir/accumulate';
import { readAheadTranslated, relayTranslatedToAccumulator } from '../../../../../src-main/engine/pipeline/stream-relay';
import { protocols } from '../../../../../src-main/engine/protocols';
import type { ProtocolId } from '../../../../../src-main/engine/protocols/protocol';
import type { ProviderDescriptor } from '../../../../../src-main/engine/providers/provider';

/** An upstream body: these reads, then the end — or a reset in place of the end. */
function body(reads: string[], reset = false): AsyncIterable<Buffer> {
  return (async function* () {
    for (const r of reads) yield Buffer.from(r);
    if (reset) throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  })();
}

/** A client that records whether anything (head or bytes) went out. */
function client() {
  const out = { started: false, bytes: '' };
  const sink = {
    gone: false,
    signal: new AbortController().signal,
    startStream: () => (out.started = true),
    write: async (c: string | Uint8Array) => void (out.bytes += Buffer.from(c).toString()),
    end: (c?: string) => void (out.bytes += c ?? ''),
  };
  return { sink: sink as unknown as ClientSink, out };
}

const noEnvelope = {} as ProviderDescriptor;

/** Both stream paths over the same upstream answer: what did each make of it? */
async function bothPaths(protocol: ProtocolId, reads: string[], opts: { reset?: boolean; limits?: PipelineLimits } = {}) {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const c = client();
  const pass = await relayPassthrough({ headers: { 'content-type': 'text/event-stream' }, body: body(reads, opts.reset) }, protocols[protocol], c.sink, { limits });
  const res = { status: 200, headers: {}, body: body(reads, opts.reset) } as unknown as UpstreamResponse;
  const ahead = await readAheadTranslated(res, protocols[protocol], noEnvelope, { limits });
  return {
    passthrough: pass.started ? 'answered' : pass.error,
    translated: ahead.error ?? 'answered',
    clientSawBytes: c.out.started || c.out.bytes.length > 0,
  };
}

const chat = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const claude = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

function expectSameFailure(r: { passthrough: unknown; translated: unknown; clientSawBytes: boolean }, message: RegExp): void {
  expect(r.clientSawBytes).toBe(false);
  expect(r.passthrough).toEqual(r.translated);
  expect((r.translated as IrStreamError).message).toMatch(message);
}

describe('one read-ahead for passthrough and translated streams: a broken answer fails over before the client saw a byte', () => {
  it('an HTML 200, an empty body and a lone [DONE] are no answer on both paths', async () => {
    expectSameFailure(await bothPaths('openai-chat', ['<!DOCTYPE html><html><body>502 Bad Gateway</body></html>']), /without any output.*DOCTYPE/);
    expectSameFailure(await bothPaths('openai-chat', []), /without any output \(an empty body\)/);
    expectSameFailure(await bothPaths('openai-chat', ['data: [DONE]\n\n']), /without any output/);
  });

  it('a reset after the role chunk but before any text fails over on both paths', async () => {
    const r = await bothPaths('openai-chat', [chat({ role: 'assistant', content: '' })], { reset: true });
    expectSameFailure(r, /upstream unreachable/);
    expect(r.translated).toMatchObject({ status: 502 });
  });

  it('an error event before the first output fails over with the upstream error on both paths', async () => {
    const start = claude('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } });
    const overloaded = claude('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
    const r = await bothPaths('claude-messages', [start, overloaded]);
    expectSameFailure(r, /Overloaded/);
  });

  it('output-less bytes past limits.upstream-body-mb fail over on both paths (the read-ahead is bounded)', async () => {
    const limits = { ...DEFAULT_LIMITS, upstreamBodyBytes: 1000 };
    const pings = Array.from({ length: 40 }, () => ': ping - the upstream is thinking\n\n');
    const r = await bothPaths('openai-chat', [...pings, chat({ content: 'late' })], { limits });
    expectSameFailure(r, /limits\.upstream-body-mb/);
  });

  it('text is an answer on both paths (the same stream fits once under the bound)', async () => {
    const r = await bothPaths('openai-chat', [chat({ role: 'assistant', content: '' }), chat({ content: 'hi' }), `${chat({}, 'stop')}data: [DONE]\n\n`]);
    expect(r).toMatchObject({ passthrough: 'answered', translated: 'answered' });
  });
});

describe('a stream folded into one JSON answer (the upstream only streams) is bounded like any body', () => {
  it('past limits.upstream-body-mb it is a failure (nothing went out: it can still fail over), not a growing buffer', async () => {
    const limits = { ...DEFAULT_LIMITS, upstreamBodyBytes: 4000 };
    const text = Array.from({ length: 60 }, (_, i) => chat({ content: `piece ${i} of a long answer ` }));
    const res = { status: 200, headers: {}, body: body([chat({ role: 'assistant', content: 'a' }), ...text]) } as unknown as UpstreamResponse;
    const ahead = await readAheadTranslated(res, protocols['openai-chat'], noEnvelope, { limits });
    if (ahead.error) throw new Error(ahead.error.message);
    const out = await relayTranslatedToAccumulator(ahead, new StreamAccumulator(), limits);
    expect(out.error?.message).toMatch(/limits\.upstream-body-mb/);
  });

  it('under the bound the whole answer is folded', async () => {
    const res = { status: 200, headers: {}, body: body([chat({ role: 'assistant', content: 'a' }), chat({ content: 'b' }), `${chat({}, 'stop')}data: [DONE]\n\n`]) } as unknown as UpstreamResponse;
    const ahead = await readAheadTranslated(res, protocols['openai-chat'], noEnvelope);
    if (ahead.error) throw new Error(ahead.error.message);
    const acc = new StreamAccumulator();
    for (const p of ahead.parts) acc.push(p);
    expect(await relayTranslatedToAccumulator(ahead, acc)).toEqual({});
    expect(acc.result().parts).toEqual([{ type: 'text', text: 'ab' }]);
  });
});

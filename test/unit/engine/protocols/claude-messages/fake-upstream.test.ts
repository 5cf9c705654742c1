import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { SseDecoder } from '../../../../../src-main/engine/sse/decoder';
import { type FakeUpstream, type Scenario, startClaudeUpstream } from '../../../../fakes/upstreams/claude-upstream';
import { upstreamError } from '../upstream-error';

let fake: FakeUpstream | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(scenario: Scenario): Promise<FakeUpstream> {
  fake = await startClaudeUpstream({ script: () => scenario });
  return fake;
}

async function streamParts(url: string): Promise<{ status: number; parts: IrStreamPart[] }> {
  const res = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const sse = new SseDecoder();
  const dec = claude.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const ev of sse.push(chunk)) parts.push(...dec.push(ev));
  for (const ev of sse.end()) parts.push(...dec.push(ev));
  parts.push(...dec.end());
  return { status: res.status, parts };
}

describe('fake Claude upstream', () => {
  it('is a faithful Messages server for the official SDK and records requests', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'héllo wörld', chunks: 4 }], usage: { input: 3, output: 2 }, framing: { crlf: true, splitUtf8: true } });
    const client = new Anthropic({ baseURL: f.url, apiKey: 'secret', maxRetries: 0 });
    const msg = await client.messages.stream({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'héllo wörld' }]);
    expect(msg.usage).toMatchObject({ input_tokens: 3, output_tokens: 2 });
    expect(f.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', body: { model: 'claude-x', stream: true } });
    const h = f.requests[0].headers;
    expect(`${h['x-api-key'] ?? ''} ${h.authorization ?? ''}`).toContain('secret');
  });

  it('answers count_tokens', async () => {
    const f = await start({ usage: { input: 77 } });
    const client = new Anthropic({ baseURL: f.url, apiKey: 'k', maxRetries: 0 });
    const count = await client.messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] });
    expect(count.input_tokens).toBe(77);
  });

  it('returns an HTTP error before any stream byte', async () => {
    const f = await start({ error: { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }, headers: { 'retry-after': '7' } } });
    const res = await fetch(`${f.url}/v1/messages`, { method: 'POST', body: '{"stream":true}' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(claude.decodeError(upstreamError(res.status, await res.text()))).toMatchObject({ kind: 'rate_limit', message: 'slow' });
  });

  it('sends an error event mid-stream, which decodes to an error part and nothing after', async () => {
    const f = await start({ steps: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], midStreamError: { afterStep: 1, message: 'Overloaded' } });
    const { parts } = await streamParts(f.url);
    expect(parts.at(-1)).toEqual({ type: 'error', error: { status: 429, message: 'Overloaded', code: 'overloaded_error' } });
    expect(parts.filter((p) => p.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'a' }]);
  });

  it('a stream cut before message_stop still ends with a finish part', async () => {
    const f = await start({ steps: [{ type: 'tool', name: 'f', args: '{"a":1}', chunks: 3 }], omitFinish: true });
    const { parts } = await streamParts(f.url);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'tool-calls' });
    const args = parts.filter((p) => p.type === 'tool-call-delta').map((p) => (p as { argumentsDelta: string }).argumentsDelta);
    expect(args.join('')).toBe('{"a":1}');
  });

  it('answers non-stream requests with a whole message', async () => {
    const f = await start({ steps: [{ type: 'thinking', text: 't', signature: 's' }, { type: 'tool', id: 'toolu_1', name: 'f', args: '{"x":1}' }] });
    const res = await fetch(`${f.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [] }) });
    const ir = claude.decodeResponse(await res.json());
    expect(ir.parts).toEqual([
      { type: 'reasoning', text: 't', signature: 's' },
      { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"x":1}' },
    ]);
    expect(ir.finishReason).toBe('tool-calls');
  });

  it('holds the stream at a pause step so tests can see early bytes while the upstream is open', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = await start({ steps: [{ type: 'text', text: 'early' }, { type: 'pause', until: gate }, { type: 'text', text: 'late' }] });
    const res = await fetch(`${f.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', stream: true, messages: [] }) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    while (!seen.includes('early')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen).not.toContain('late');
    release();
    for (let r = await reader.read(); !r.done; r = await reader.read()) seen += new TextDecoder().decode(r.value);
    expect(seen).toContain('late');
    expect(seen).toContain('"index":1'); // the pause is not a content block
    expect(seen.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });
});

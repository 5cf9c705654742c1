import Anthropic from '@anthropic-ai/sdk';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { StreamAccumulator } from '../../../../../src-main/engine/ir/accumulate';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { SseDecoder } from '../../../../../src-main/engine/sse/decoder';
import { type FakeUpstream, type Scenario, startClaudeUpstream } from '../../../../fakes/upstreams/claude-upstream';

/**
 * End to end through real HTTP: fake Claude upstream → our decoder → IR → our encoder → the
 * official Anthropic SDK. Proves the encoder's output is what the SDK expects and that thinking
 * signatures survive the trip byte for byte into the next request.
 */
const SIGNATURE = 'EqQBCkYIARgCIkBz+/9==weird+/chars=';
const THINKING = 'Les deux villes — 東京 et Oslo. 🤔';

const scenario: Scenario = {
  id: 'msg_01Fake',
  steps: [
    { type: 'thinking', text: THINKING, signature: SIGNATURE, chunks: 4 },
    { type: 'text', text: 'Je vérifie… ✅', chunks: 3 },
    { type: 'tool', id: 'toolu_01Q', name: 'get_weather', args: '{"city":"東京","days":[1,2,3]}', chunks: 7 },
  ],
  usage: { input: 30, output: 44, cacheRead: 12 },
  framing: { crlf: true, splitUtf8: true, pings: true, delayMs: 1 },
};

let upstream: FakeUpstream;
let proxy: Server;
let proxyUrl = '';

async function upstreamParts(body: Record<string, unknown>): Promise<IrStreamPart[]> {
  const res = await fetch(`${upstream.url}/v1/messages`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  const sse = new SseDecoder();
  const dec = claude.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const ev of sse.push(chunk)) parts.push(...dec.push(ev));
  for (const ev of sse.end()) parts.push(...dec.push(ev));
  parts.push(...dec.end());
  return parts;
}

beforeAll(async () => {
  upstream = await startClaudeUpstream({ script: () => scenario });
  // A minimal translating proxy: Claude in, Claude upstream through the IR, Claude out.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const ir = claude.decodeRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), {});
        const { body } = claude.encodeRequest(ir, { upstreamModel: 'claude-upstream', stream: true });
        const parts = await upstreamParts(body as Record<string, unknown>);
        if (!ir.stream) {
          const acc = new StreamAccumulator();
          parts.forEach((p) => acc.push(p));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(claude.encodeResponse(acc.result(), { clientModel: ir.model })));
          return;
        }
        res.writeHead(200, { 'content-type': claude.streamContentType });
        const enc = claude.createStreamEncoder({ clientModel: ir.model });
        for (const p of parts) res.write(enc.push(p));
        res.end(enc.end());
      })();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await upstream.close();
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
});

const client = () => new Anthropic({ baseURL: proxyUrl, apiKey: 'test', maxRetries: 0 });

describe('Claude ⇄ IR ⇄ Claude through the Anthropic SDK', () => {
  it('streams thinking, text and a split tool call that messages.stream() assembles exactly', async () => {
    const stream = client().messages.stream({ model: 'client-model', max_tokens: 1000, messages: [{ role: 'user', content: 'Weather?' }] });
    const msg = await stream.finalMessage();
    expect(msg.model).toBe('client-model');
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: THINKING, signature: SIGNATURE },
      { type: 'text', text: 'Je vérifie… ✅' },
      { type: 'tool_use', id: 'toolu_01Q', name: 'get_weather', input: { city: '東京', days: [1, 2, 3] } },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBe(44);
    expect(msg.usage.input_tokens).toBe(30);
    expect(msg.usage.cache_read_input_tokens).toBe(12);
  });

  it('returns the same message without streaming', async () => {
    const msg = await client().messages.create({ model: 'client-model', max_tokens: 1000, messages: [{ role: 'user', content: 'Weather?' }] });
    expect(msg.content[0]).toEqual({ type: 'thinking', thinking: THINKING, signature: SIGNATURE });
    expect(msg.stop_reason).toBe('tool_use');
  });

  it('sends the thinking block back upstream byte-exact on the next turn (multi-turn signatures)', async () => {
    const msg = await client().messages.stream({ model: 'client-model', max_tokens: 1000, messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    const next = {
      model: 'client-model',
      max_tokens: 20000,
      thinking: { type: 'enabled', budget_tokens: 8000 },
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: msg.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01Q', content: 'sunny' }] },
      ],
    };
    const body = claude.encodeRequest(claude.decodeRequest(next, {}), { upstreamModel: 'claude-sonnet-4-5', stream: true }).body as Record<string, unknown>;
    const assistant = (body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>)[1];
    expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: THINKING, signature: SIGNATURE });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8000 });
    // The raw JSON text carries the exact signature characters (no re-encoding).
    expect(JSON.stringify(body)).toContain(JSON.stringify(SIGNATURE));
  });
});

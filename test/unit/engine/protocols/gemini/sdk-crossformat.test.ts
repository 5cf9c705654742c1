import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import { StreamAccumulator } from '../../../../../src-main/engine/ir/accumulate';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { geminiProtocol as gemini } from '../../../../../src-main/engine/protocols/gemini';
import type { Protocol } from '../../../../../src-main/engine/protocols/protocol';
import { SseDecoder } from '../../../../../src-main/engine/sse/decoder';
import { type FakeUpstream, type Scenario, startClaudeUpstream } from '../../../../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../../../../fakes/upstreams/gemini-upstream';
import { upstreamError } from '../upstream-error';

/**
 * Cross-format through real HTTP and the official SDKs, with a minimal translating proxy made of
 * nothing but the two Protocol objects: Gemini client ⇄ Claude upstream, Claude client ⇄ Gemini
 * upstream (tool names sanitised on the way up and restored on the way down).
 */
let scenario: Scenario = {};
let claudeUp: FakeUpstream;
let geminiUp: FakeUpstream;
let proxy: Server;
let base = '';

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

async function callUpstream(url: string, body: unknown, upstream: Protocol): Promise<{ status: number; parts?: IrStreamPart[]; error?: unknown }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (res.status !== 200) return { status: res.status, error: upstream.decodeError(upstreamError(res.status, await res.text())) };
  const sse = new SseDecoder();
  const dec = upstream.createStreamDecoder();
  const parts: IrStreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const ev of sse.push(chunk)) parts.push(...dec.push(ev));
  for (const ev of sse.end()) parts.push(...dec.push(ev));
  parts.push(...dec.end());
  return { status: 200, parts };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const body = await readBody(req);
  const geminiRoute = /^\/v1beta\/models\/([^:]+):(\w+)$/.exec(url.pathname);
  const inbound = geminiRoute ? gemini : claude;
  const outbound = geminiRoute ? claude : gemini;
  const ir = inbound.decodeRequest(body, geminiRoute ? { model: geminiRoute[1], stream: geminiRoute[2] === 'streamGenerateContent' } : {});
  const upstreamModel = geminiRoute ? 'claude-sonnet-4-5' : 'gemini-2.5-flash';
  const { body: upBody, toolNames } = outbound.encodeRequest(ir, { upstreamModel, stream: true });
  const upUrl = geminiRoute ? `${claudeUp.url}/v1/messages` : `${geminiUp.url}/v1beta/models/${upstreamModel}:streamGenerateContent?alt=sse`;
  const result = await callUpstream(upUrl, upBody, outbound);
  if (!result.parts) {
    res.writeHead(result.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(inbound.encodeError(result.error as never)));
    return;
  }
  const ctx = { clientModel: ir.model, toolNames };
  if (!ir.stream) {
    const acc = new StreamAccumulator();
    result.parts.forEach((p) => acc.push(p));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(inbound.encodeResponse(acc.result(), ctx)));
    return;
  }
  res.writeHead(200, { 'content-type': inbound.streamContentType });
  const enc = inbound.createStreamEncoder(ctx);
  for (const p of result.parts) res.write(enc.push(p));
  res.end(enc.end());
}

beforeAll(async () => {
  claudeUp = await startClaudeUpstream({ script: () => scenario });
  geminiUp = await startGeminiUpstream({ script: () => scenario });
  proxy = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([claudeUp.close(), geminiUp.close()]);
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
});

const genai = () => new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: base } });

describe('Gemini client ⇄ Claude upstream (@google/genai)', () => {
  it('streams text and thoughts, and sends the Gemini request to Claude in Claude terms', async () => {
    scenario = { steps: [{ type: 'thinking', text: 'hmm', signature: 'csig' }, { type: 'text', text: 'Bonjour ', chunks: 1 }, { type: 'text', text: 'à tous' }], usage: { input: 8, output: 6 } };
    const stream = await genai().models.generateContentStream({
      model: 'my-gemini',
      contents: 'Say hello',
      config: { systemInstruction: 'Be nice', thinkingConfig: { thinkingBudget: 2048, includeThoughts: true }, maxOutputTokens: 4000 },
    });
    let text = '';
    let thoughts = '';
    let last: { usageMetadata?: unknown; candidates?: Array<{ finishReason?: string }> } = {};
    for await (const chunk of stream) {
      for (const p of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (p.thought) thoughts += p.text ?? '';
        else text += p.text ?? '';
      }
      last = chunk;
    }
    expect(text).toBe('Bonjour à tous');
    expect(thoughts).toBe('hmm');
    expect(last.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: 8, candidatesTokenCount: 6 });
    const sent = claudeUp.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: 'Be nice' }], thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 4000 });
  });

  it('returns a function call non-streaming with its arguments', async () => {
    scenario = { steps: [{ type: 'tool', id: 'toolu_9', name: 'get_weather', args: '{"city":"Kyiv"}', chunks: 5 }] };
    const res = await genai().models.generateContent({
      model: 'my-gemini',
      contents: 'weather?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }] },
    });
    expect(res.functionCalls).toEqual([{ id: 'toolu_9', name: 'get_weather', args: { city: 'Kyiv' } }]);
  });

  it('maps an upstream 429 to a Gemini-shaped error the SDK raises', async () => {
    scenario = { error: { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'too many' } } } };
    await expect(genai().models.generateContent({ model: 'my-gemini', contents: 'x' })).rejects.toThrow(/too many/);
  });
});

describe('Claude client ⇄ Gemini upstream (@anthropic-ai/sdk)', () => {
  it('sanitises tool names for Gemini and restores them in the streamed tool_use', async () => {
    scenario = { steps: [{ type: 'text', text: 'Reading.' }, { type: 'tool', name: 'mcp__fs__read_file', args: '{"path":"/x"}' }, { type: 'tool', name: 'list_dir', args: '{}' }], toolsInOneChunk: true };
    const client = new Anthropic({ baseURL: base, apiKey: 'k', maxRetries: 0 });
    const msg = await client.messages
      .stream({
        model: 'my-claude',
        max_tokens: 100,
        tools: [
          { name: 'mcp__fs__read file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
          { name: 'list_dir', input_schema: { type: 'object', properties: {} } },
        ],
        messages: [{ role: 'user', content: 'read /x' }],
      })
      .finalMessage();
    const sent = geminiUp.requests.at(-1)?.body as { tools: Array<{ functionDeclarations: Array<{ name: string }> }> };
    expect(sent.tools[0].functionDeclarations.map((d) => d.name)).toEqual(['mcp__fs__read_file', 'list_dir']);
    const uses = msg.content.filter((b) => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([
      ['mcp__fs__read file', { path: '/x' }],
      ['list_dir', {}],
    ]);
    expect(new Set(uses.map((u) => u.id)).size).toBe(2);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Reading.' });
  });

  it('turns a Gemini mid-stream error into a Claude error event the SDK throws', async () => {
    scenario = { steps: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], midStreamError: { afterStep: 1, message: 'backend overloaded' } };
    const client = new Anthropic({ baseURL: base, apiKey: 'k', maxRetries: 0 });
    await expect(client.messages.stream({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).finalMessage()).rejects.toThrow(/backend overloaded/);
  });
});

import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatedUpstream, type GatedUpstream } from '../../contract/gated-upstream';
import { startEngine, type RunningEngine } from '../harness';
import { count, openStream } from './stream-reader';

/**
 * `streaming.keepalive-seconds`: while an upstream stream is silent after the client got its
 * headers, the client gets SSE comment lines (`: keep-alive`), which the SSE specification
 * tells every parser to ignore — so long silences (thinking models) do not trip idle proxies.
 * NDJSON (the Ollama API) has no comment syntax: nothing is sent there. The upstream here holds
 * its stream after the first text until the test opens it, so nothing depends on timing but the
 * keep-alive interval itself (50 ms).
 */
const COMMENT = ': keep-alive\n\n';

function config(upstream: string, keepalive: number): string {
  return `host: 127.0.0.1
port: 0
usage-sqlite:
  enable: false
streaming:
  keepalive-seconds: ${keepalive}
openai-compatibility:
  - name: gated
    base-url: ${upstream}/v1
    api-key: sk-up-gated
    models:
      - name: gated-chat
`;
}

/** The data of every event of an SSE body, parsed by a spec-compliant parser (comments skipped). */
function sseData(text: string): string[] {
  const out: string[] = [];
  const parser = createParser({ onEvent: (ev) => out.push(ev.data) });
  parser.feed(text);
  return out;
}

const chatBody = { model: 'gated-chat', stream: true, messages: [{ role: 'user', content: 'hi' }] };
const claudeBody = { model: 'gated-chat', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] };

describe('streaming.keepalive-seconds: 0.05', () => {
  let up: GatedUpstream;
  let engine: RunningEngine;
  beforeAll(async () => {
    up = await startGatedUpstream();
    engine = await startEngine(config(up.url, 0.05));
  });
  afterAll(async () => {
    await engine?.close();
    await up?.close();
  });

  it('passthrough (OpenAI Chat → OpenAI-compatible): comments while the upstream is silent, then the rest, every event intact', async () => {
    const gate = up.arm();
    const s = await openStream(`${engine.url}/v1/chat/completions`, chatBody);
    expect(s.status).toBe(200);
    await s.until((t) => t.includes('first ') && count(t, COMMENT) >= 2);
    gate.open();
    const text = await s.rest();
    const data = sseData(text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const content = data.slice(0, -1).map((d) => (JSON.parse(d) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '');
    expect(content.join('')).toBe('first second');
    // Comments only between events: every line is a field, a comment or a blank line.
    expect(text.split('\n').every((l) => l === '' || l.startsWith('data: ') || l === ': keep-alive')).toBe(true);
  });

  it('translated (Claude Messages client → OpenAI-compatible upstream): the same comments between Claude events', async () => {
    const gate = up.arm();
    const s = await openStream(`${engine.url}/v1/messages`, claudeBody, { 'anthropic-version': '2023-06-01' });
    expect(s.status).toBe(200);
    await s.until((t) => t.includes('first ') && count(t, COMMENT) >= 2);
    gate.open();
    const text = await s.rest();
    const events = sseData(text).map((d) => JSON.parse(d) as { type: string; delta?: { text?: string } });
    expect(events[0].type).toBe('message_start');
    expect(events[events.length - 1].type).toBe('message_stop');
    expect(events.map((e) => e.delta?.text ?? '').join('')).toBe('first second');
  });

  it('NDJSON (Ollama /api/chat): no comment lines, though an SSE stream beside it got several in the same silence', async () => {
    const sseGate = up.arm();
    const sse = await openStream(`${engine.url}/v1/chat/completions`, chatBody);
    await sse.until((t) => t.includes('first '));
    const ndGate = up.arm();
    const nd = await openStream(`${engine.url}/api/chat`, { model: 'gated-chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(nd.contentType).toContain('application/x-ndjson');
    await nd.until((t) => t.includes('first '));
    // Two keep-alive intervals of silence pass on the SSE stream (counted after the NDJSON one was silent too).
    const before = count(sse.text(), COMMENT);
    await sse.until((t) => count(t, COMMENT) >= before + 2);
    ndGate.open();
    sseGate.open();
    const lines = (await nd.rest()).split('\n').filter((l) => l !== '');
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    expect(lines.map((l) => (JSON.parse(l) as { message: { content: string } }).message.content).join('')).toBe('first second');
    await sse.rest();
  });
});

describe('streaming.keepalive-seconds: 0 (the default) sends no comments', () => {
  let up: GatedUpstream;
  let engine: RunningEngine;
  let keepaliveEngine: RunningEngine;
  beforeAll(async () => {
    up = await startGatedUpstream();
    engine = await startEngine(config(up.url, 0));
    keepaliveEngine = await startEngine(config(up.url, 0.05));
  });
  afterAll(async () => {
    await engine?.close();
    await keepaliveEngine?.close();
    await up?.close();
  });

  it('a silent stream gets none, while an engine with keep-alive on sends several in the same silence', async () => {
    const offGate = up.arm();
    const off = await openStream(`${engine.url}/v1/chat/completions`, chatBody);
    await off.until((t) => t.includes('first '));
    const onGate = up.arm();
    const on = await openStream(`${keepaliveEngine.url}/v1/chat/completions`, chatBody);
    await on.until((t) => t.includes('first ') && count(t, COMMENT) >= 3);
    offGate.open();
    onGate.open();
    const text = await off.rest();
    await on.rest();
    expect(text).not.toContain(': keep-alive');
    expect(sseData(text).pop()).toBe('[DONE]');
  });
});

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { relayPassthrough } from '../../../../../src-main/engine/pipeline/passthrough-relay';
import type { UpstreamResponse } from '../../../../../src-main/engine/pipeline/send-upstream';
import { ClientSink } from '../../../../../src-main/engine/pipeline/sink';
import { readAheadTranslated, relayTranslated } from '../../../../../src-main/engine/pipeline/stream-relay';
import { protocols } from '../../../../../src-main/engine/protocols';
import type { ProviderDescriptor } from '../../../../../src-main/engine/providers/provider';

/**
 * The first token leaves as early as it can: the response head and the first event go to the
 * kernel in one write (one packet, one wakeup of the client), on both stream paths, though the
 * stream now runs through several stages.
 */
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** Serve one request with `handle`, recording each chunk the response's socket hands to the kernel. */
async function serveOnce(handle: (sink: ClientSink) => Promise<void>): Promise<{ writes: string[]; raw: string }> {
  const writes: string[] = [];
  server = http.createServer((req, res) => {
    const socket = res.socket as net.Socket & { _writeGeneric: (writev: boolean, data: unknown, enc: string, cb: () => void) => void };
    const original = socket._writeGeneric.bind(socket);
    socket._writeGeneric = (writev, data, enc, cb) => {
      writes.push((writev ? (data as { chunk: Buffer | string }[]).map((d) => String(d.chunk)) : [String(data)]).join(''));
      return original(writev, data, enc, cb);
    };
    req.resume();
    req.on('end', () => void handle(new ClientSink(res as unknown as Response, protocols['openai-chat'])));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const raw = await new Promise<string>((resolve, reject) => {
    let got = '';
    const c = net.connect(port, '127.0.0.1', () => c.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
    c.on('data', (d) => {
      got += d.toString();
      if (got.includes('[DONE]') || got.includes('message_stop')) c.destroy();
    });
    c.on('close', () => resolve(got));
    c.on('error', reject);
  });
  return { writes, raw };
}

const chat = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** An upstream whose first read holds the first text; the rest comes a macrotask later. */
function upstreamBody(): AsyncIterable<Buffer> {
  return (async function* () {
    yield Buffer.from(chat({ role: 'assistant', content: 'Hel' }));
    await new Promise((r) => setImmediate(r));
    yield Buffer.from(`${chat({ content: 'lo' })}${chat({}, 'stop')}data: [DONE]\n\n`);
  })();
}

describe('the first token and the response head leave in one write', () => {
  it('passthrough', async () => {
    const { writes, raw } = await serveOnce(async (sink) => {
      await relayPassthrough({ headers: { 'content-type': 'text/event-stream' }, body: upstreamBody() }, protocols['openai-chat'], sink);
    });
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(writes[0]).toContain('"content":"Hel"');
    expect(raw).toContain('data: [DONE]');
  });

  it('translated (OpenAI Chat upstream → Claude Messages client)', async () => {
    const { writes, raw } = await serveOnce(async (sink) => {
      const res = { status: 200, headers: {}, body: upstreamBody() } as unknown as UpstreamResponse;
      const ahead = await readAheadTranslated(res, protocols['openai-chat'], {} as ProviderDescriptor);
      if (ahead.error) throw new Error(ahead.error.message);
      await relayTranslated(ahead, protocols['claude-messages'], { clientModel: 'm' }, sink);
    });
    expect(writes[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(writes[0]).toContain('event: message_start');
    expect(writes[0]).toContain('"text":"Hel"');
    expect(raw).toContain('event: message_stop');
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { relayJsonPassthrough, type JsonRelayResult } from '../../../../src-main/engine/pipeline/json-relay';
import type { UpstreamResponse } from '../../../../src-main/engine/pipeline/send-upstream';
import { ClientSink } from '../../../../src-main/engine/pipeline/sink';
import { protocols, type ProtocolId } from '../../../../src-main/engine/protocols';
import { providers, type ProviderId } from '../../../../src-main/engine/providers';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/**
 * Relay one upstream JSON answer (given as its bytes) to a real client connection; returns what
 * the relay reported and the body the client received.
 */
async function relay(format: ProtocolId, provider: ProviderId, upstreamBody: string): Promise<{ result: JsonRelayResult; received: string }> {
  let result: Promise<JsonRelayResult> | undefined;
  const app = express();
  app.post('/', (_req, res) => {
    const upstream: UpstreamResponse = { status: 200, headers: {}, body: Readable.from([Buffer.from(upstreamBody)]) as UpstreamResponse['body'] };
    const sink = new ClientSink(res, protocols[format]);
    result = relayJsonPassthrough(upstream, protocols[format], providers[provider], sink, { upstreamModel: 'm', clientModel: 'm', maxBytes: 1 << 20 });
    result.catch(() => res.destroy());
  });
  server = http.createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const received = await new Promise<string>((resolve, reject) => {
    http
      .request({ port, host: '127.0.0.1', method: 'POST' }, (res) => {
        let got = '';
        res.on('data', (d: Buffer) => (got += d.toString()));
        res.on('end', () => resolve(got));
      })
      .on('error', reject)
      .end();
  });
  return { result: await result!, received };
}

describe('passthrough JSON answers: usage is read from the usage fields alone', () => {
  it('records the usage of an answer whose other fields a full decode would reject (the record is not lost)', async () => {
    const body = JSON.stringify({ id: 'chatcmpl-1', model: 'm', choices: 'not-a-list', usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
    const { result, received } = await relay('openai-chat', 'openai-compatibility', body);
    expect(received).toBe(body);
    expect(result).toEqual({ started: true, usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 } });
  });

  it('relays an answer with a strange usage object unchanged and records only its valid counts', async () => {
    const body = JSON.stringify({ type: 'message', content: [], usage: { input_tokens: '9', output_tokens: 4, cache_read_input_tokens: -1 } });
    const { result, received } = await relay('claude-messages', 'claude-api', body);
    expect(received).toBe(body);
    expect(result).toEqual({ started: true, usage: { inputTokens: 0, outputTokens: 4, totalTokens: 4 } });
  });

  it('reads a Code Assist answer’s usage inside its envelope', async () => {
    const body = JSON.stringify({ response: { candidates: [], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 } } });
    const { result } = await relay('gemini', 'gemini-cli', body);
    expect(result).toEqual({ started: true, usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 } });
  });
});

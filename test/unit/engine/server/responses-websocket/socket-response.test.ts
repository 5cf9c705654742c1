import { describe, expect, it } from 'vitest';
import type { Response } from 'express';
import { ClientSink } from '../../../../../src-main/engine/pipeline/sink';
import { protocols } from '../../../../../src-main/engine/protocols';
import { outputOf, SocketResponse } from '../../../../../src-main/engine/server/responses-websocket/socket-response';

/** The real ClientSink writing into the socket adapter, as the pipeline does. */
function setup() {
  const sent: string[] = [];
  const out = new SocketResponse({ send: async (t) => void sent.push(t) });
  const sink = new ClientSink(out as unknown as Response, protocols['openai-responses']);
  return { sent, out, sink };
}

const created = { type: 'response.created', sequence_number: 0, response: { id: 'resp_a', object: 'response', status: 'in_progress', output: [] } };
const item = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' };
const itemDone = { type: 'response.output_item.done', sequence_number: 1, output_index: 0, item };
const completed = { type: 'response.completed', sequence_number: 2, response: { id: 'resp_a', object: 'response', status: 'completed', output: [item] } };

describe('SocketResponse: the pipeline sink over a WebSocket', () => {
  it('sends each SSE event data as one message, the same JSON text, however the bytes were cut', async () => {
    const { sent, out, sink } = setup();
    const sse = [created, itemDone, completed].map((e) => `event: ${e.type}\r\ndata: ${JSON.stringify(e)}\r\n\r\n`).join('') + ': keep-alive\n\n';
    sink.startStream('text/event-stream');
    for (let i = 0; i < sse.length; i += 7) await sink.write(sse.slice(i, i + 7));
    sink.end();
    await new Promise((r) => out.once('finish', r));
    expect(sent).toEqual([created, itemDone, completed].map((e) => JSON.stringify(e)));
    expect(out.outcome).toMatchObject({ responseId: 'resp_a', terminal: 'completed' });
    expect(outputOf(out.outcome)).toEqual([item]);
  });

  it('turns an error before the stream into the wrapped error event, retry-after included', async () => {
    const { sent, sink } = setup();
    sink.sendError({ status: 429, kind: 'rate_limit', message: 'All credentials are cooling down.', retryAfterSeconds: 6.2 });
    await new Promise((r) => setImmediate(r));
    expect(sent.map((t) => JSON.parse(t))).toEqual([
      { type: 'error', status: 429, error: { message: 'All credentials are cooling down.', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' }, headers: { 'retry-after': '7' } },
    ]);
  });

  it('takes the output from the final response when the stream had no item events', async () => {
    const { out, sink } = setup();
    sink.startStream();
    await sink.write(`data: ${JSON.stringify(completed)}\n\n`);
    sink.end();
    await new Promise((r) => out.once('finish', r));
    expect(outputOf(out.outcome)).toEqual([item]);
  });

  it('marks a failed response so it is not remembered', async () => {
    const { out, sink } = setup();
    sink.startStream();
    sink.sendError({ status: 502, message: 'upstream reset' });
    await new Promise((r) => out.once('finish', r));
    expect(out.outcome.terminal).toBe('failed');
  });

  it('a closed socket aborts the pipeline (the upstream request is cancelled)', () => {
    const { out, sink } = setup();
    sink.startStream();
    expect(sink.signal.aborted).toBe(false);
    out.destroy();
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(sink.signal.aborted).toBe(true);
      resolve();
    }));
  });
});

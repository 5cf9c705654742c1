import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI Chat + Responses upstream that sends its first text delta, then holds the
 * stream until the test opens a gate. The shared OpenAI fakes can only delay by time; this proves
 * incrementality without timing guesses (reference issue #1620: Claude Code through an
 * OpenAI-compatible upstream got its answer in one lump).
 */
export interface GatedUpstream {
  url: string;
  /** The next request holds after its first delta until `open()` is called. */
  arm(): { open(): void };
  /** Requests whose connection closed before the answer was complete (the client went away). */
  cutShort(): number;
  close(): Promise<void>;
}

const chatChunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-gated', object: 'chat.completion.chunk', created: 1, model: 'gated', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

let seq = 0;
const respEvent = (type: string, fields: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`;
const response = (status: string, output: unknown[]) => ({ id: 'resp_gated', object: 'response', created_at: 1, status, model: 'gated', output, usage: status === 'completed' ? { input_tokens: 4, output_tokens: 2, total_tokens: 6 } : null });

function chatParts(): [string[], string[]] {
  return [
    [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'first ' })],
    [
      chatChunk({ content: 'second' }),
      chatChunk({}, 'stop'),
      `data: ${JSON.stringify({ id: 'chatcmpl-gated', object: 'chat.completion.chunk', created: 1, model: 'gated', choices: [], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } })}\n\n`,
      'data: [DONE]\n\n',
    ],
  ];
}

function responsesParts(): [string[], string[]] {
  const at = { item_id: 'msg_g', output_index: 0, content_index: 0 };
  const item = { id: 'msg_g', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'first second', annotations: [] }] };
  return [
    [
      respEvent('response.created', { response: response('in_progress', []) }),
      respEvent('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
      respEvent('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } }),
      respEvent('response.output_text.delta', { ...at, delta: 'first ' }),
    ],
    [
      respEvent('response.output_text.delta', { ...at, delta: 'second' }),
      respEvent('response.output_text.done', { ...at, text: 'first second' }),
      respEvent('response.content_part.done', { ...at, part: item.content[0] }),
      respEvent('response.output_item.done', { output_index: 0, item }),
      respEvent('response.completed', { response: response('completed', [item]) }),
    ],
  ];
}

export async function startGatedUpstream(): Promise<GatedUpstream> {
  let pending: Promise<void> = Promise.resolve();
  let cut = 0;
  const server = createServer((req, res: ServerResponse) => {
    res.on('close', () => {
      if (!res.writableFinished) cut++;
    });
    req.resume();
    req.on('end', () => {
      // Model discovery (GET …/models) must not take the gate armed for the next answer.
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [] }));
        return;
      }
      const gate = pending;
      pending = Promise.resolve();
      const [before, after] = req.url?.endsWith('/responses') ? responsesParts() : chatParts();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of before) res.write(e);
      void gate.then(() => {
        if (res.destroyed) return;
        for (const e of after) res.write(e);
        res.end();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: () => {
      let open!: () => void;
      pending = new Promise<void>((r) => (open = r));
      return { open: () => open() };
    },
    cutShort: () => cut,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

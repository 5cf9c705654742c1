import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Anthropic Messages server on 127.0.0.1 (real HTTP, real SSE framing), scripted per
 * request. The scenario vocabulary is shared with the Gemini fake (gemini-upstream.ts), so one
 * scenario can be replayed against either upstream in contract tests.
 */

export type ScenarioStep =
  /** Answer text, streamed in `chunks` deltas (default 1). */
  | { type: 'text'; text: string; chunks?: number }
  /** Reasoning text with its signature (Claude signature_delta / Gemini thought part). */
  | { type: 'thinking'; text: string; signature?: string; chunks?: number }
  /** Claude redacted_thinking block. */
  | { type: 'redacted'; data: string }
  /** A tool call; `args` is JSON text, split over `chunks` input_json_delta events (Claude). */
  | { type: 'tool'; name: string; id?: string; args: string; chunks?: number; thoughtSignature?: string }
  /** Generated image (Gemini inlineData). */
  | { type: 'image'; mimeType: string; data: string }
  /**
   * Hold the stream here: for `ms`, or until `until` settles (a test can prove the first bytes
   * reached the client while the upstream is still open). Non-stream answers ignore it.
   */
  | { type: 'pause'; ms?: number; until?: Promise<unknown> };

/** One framed event, or a pause between events. */
export type FramedItem = string | { pause: Extract<ScenarioStep, { type: 'pause' }> };

export interface ScenarioUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  thoughts?: number;
}

export interface Scenario {
  id?: string;
  /** Model name reported back (default: the requested one). */
  model?: string;
  steps?: ScenarioStep[];
  /** Wire-native stop reason: `end_turn`, `max_tokens`, `tool_use`… / `STOP`, `MAX_TOKENS`… */
  stopReason?: string;
  /** Claude: the stop sequence reported with `stop_reason: "stop_sequence"`. */
  stopSequence?: string;
  usage?: ScenarioUsage;
  /** Answer with this HTTP error instead of a response (before any stream byte). */
  error?: { status: number; body: unknown; headers?: Record<string, string> };
  /** Send an error event after `afterStep` steps, then end the stream. */
  midStreamError?: { afterStep: number; type?: string; message: string; code?: number; status?: string };
  /** Stream ends without message_delta/message_stop (Claude) or finishReason (Gemini). */
  omitFinish?: boolean;
  /** Gemini: all tool steps go in one chunk (parallel calls). */
  toolsInOneChunk?: boolean;
  /** Gemini: usage arrives in a final chunk of its own, after the finishReason chunk. */
  usageInSeparateChunk?: boolean;
  framing?: Framing;
  headers?: Record<string, string>;
}

export interface Framing {
  /** CRLF line endings. */
  crlf?: boolean;
  /** Every write is cut inside a multi-byte UTF-8 character where there is one. */
  splitUtf8?: boolean;
  /** Pause between writes (ms). */
  delayMs?: number;
  /** Interleave `event: ping` (Claude) / SSE comments (Gemini). */
  pings?: boolean;
  /** Wait this long before sending the response headers (timeouts, read-ahead). */
  headerDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
  rawBody: string;
}

export interface FakeUpstreamOptions {
  script?: (request: RecordedRequest) => Scenario;
  /** Model ids the upstream's own model list (`GET /v1/models`, `GET /v1beta/models`) names; no list route without it. */
  models?: string[];
}

export interface FakeUpstream {
  url: string;
  /** Model calls (every method but GET). */
  requests: RecordedRequest[];
  /** GET requests (model lists), kept apart so call counts stay the model calls. */
  listRequests: RecordedRequest[];
  close(): Promise<void>;
}

/** Start the fake Claude upstream: `POST /v1/messages`, `POST /v1/messages/count_tokens`. */
export function startClaudeUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const script = opts.script ?? ((): Scenario => ({ steps: [{ type: 'text', text: 'Hello from the fake Claude.' }] }));
  return startFake(async (rec, res) => {
    if (rec.method === 'GET' && rec.path === '/v1/models' && opts.models) return sendAnthropicModelList(rec, res, opts.models);
    if (rec.method !== 'POST' || (rec.path !== '/v1/messages' && rec.path !== '/v1/messages/count_tokens')) {
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${rec.path}` } });
    }
    const scenario = script(rec);
    await headerDelay(scenario);
    if (scenario.error) return sendJson(res, scenario.error.status, scenario.error.body, scenario.error.headers);
    const body = (rec.body ?? {}) as { model?: string; stream?: boolean };
    if (rec.path === '/v1/messages/count_tokens') {
      return sendJson(res, 200, { input_tokens: scenario.usage?.input ?? Math.ceil(rec.rawBody.length / 4) });
    }
    const model = scenario.model ?? body.model ?? 'claude-fake';
    if (body.stream) return writeFramed(res, claudeEvents(scenario, model), scenario);
    return sendJson(res, 200, claudeMessage(scenario, model), scenario.headers);
  });
}

/**
 * `GET /v1/models` as Anthropic answers it: newest first, paged by `limit` (default 20) and
 * `after_id`, `{data, has_more, first_id, last_id}`; 401 without a key.
 */
function sendAnthropicModelList(rec: RecordedRequest, res: ServerResponse, ids: readonly string[]): void {
  if (!rec.headers['x-api-key'] && !/^Bearer \S+/.test(String(rec.headers.authorization ?? ''))) {
    return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } });
  }
  const limit = Math.min(1000, Math.max(1, Number(rec.query.get('limit') ?? 20) || 20));
  const after = rec.query.get('after_id');
  const start = after ? ids.indexOf(after) + 1 : 0;
  const page = ids.slice(start, start + limit).map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2026-01-01T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    capabilities: { image_input: { supported: true }, thinking: { supported: true, types: { adaptive: { supported: true }, enabled: { supported: true } } } },
  }));
  sendJson(res, 200, { data: page, has_more: start + limit < ids.length, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null });
}

function usageOf(s: Scenario): Record<string, number> {
  const u = s.usage ?? {};
  const out: Record<string, number> = { input_tokens: u.input ?? 10, output_tokens: u.output ?? 5 };
  if (u.cacheRead !== undefined) out.cache_read_input_tokens = u.cacheRead;
  if (u.cacheWrite !== undefined) out.cache_creation_input_tokens = u.cacheWrite;
  return out;
}

function defaultStop(s: Scenario): string {
  return s.stopReason ?? (s.steps?.some((x) => x.type === 'tool') ? 'tool_use' : 'end_turn');
}

/** Non-stream answer. */
export function claudeMessage(s: Scenario, model: string): Record<string, unknown> {
  let n = 0;
  const content = (s.steps ?? []).filter((st) => st.type !== 'pause').map((st) => {
    switch (st.type) {
      case 'text':
        return { type: 'text', text: st.text };
      case 'thinking':
        return { type: 'thinking', thinking: st.text, signature: st.signature ?? '' };
      case 'redacted':
        return { type: 'redacted_thinking', data: st.data };
      case 'tool':
        return { type: 'tool_use', id: st.id ?? `toolu_fake_${n++}`, name: st.name, input: JSON.parse(st.args || '{}') as unknown };
      case 'image':
        return { type: 'text', text: '[image]' };
      default:
        return { type: 'text', text: '' };
    }
  });
  return {
    id: s.id ?? 'msg_fake_1',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: defaultStop(s),
    stop_sequence: s.stopSequence ?? null,
    usage: usageOf(s),
  };
}

/** Stream answer as SSE event texts, one per event. */
export function claudeEvents(s: Scenario, model: string): FramedItem[] {
  const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const usage = usageOf(s);
  const out: FramedItem[] = [
    ev('message_start', {
      type: 'message_start',
      message: {
        id: s.id ?? 'msg_fake_1',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
  ];
  if (s.framing?.pings) out.push(ev('ping', { type: 'ping' }));
  let n = 0;
  let blockIndex = 0;
  const steps = s.steps ?? [];
  for (let i = 0; i < steps.length; i++) {
    if (s.midStreamError && s.midStreamError.afterStep === i) {
      out.push(ev('error', { type: 'error', error: { type: s.midStreamError.type ?? 'overloaded_error', message: s.midStreamError.message } }));
      return out;
    }
    const st = steps[i];
    if (st.type === 'pause') {
      out.push({ pause: st });
      continue;
    }
    const index = blockIndex++;
    const delta = (d: unknown) => ev('content_block_delta', { type: 'content_block_delta', index, delta: d });
    switch (st.type) {
      case 'text':
        out.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const piece of split(st.text, st.chunks)) out.push(delta({ type: 'text_delta', text: piece }));
        break;
      case 'thinking':
        out.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        for (const piece of split(st.text, st.chunks)) out.push(delta({ type: 'thinking_delta', thinking: piece }));
        if (st.signature) out.push(delta({ type: 'signature_delta', signature: st.signature }));
        break;
      case 'redacted':
        out.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: st.data } }));
        break;
      case 'tool':
        out.push(
          ev('content_block_start', {
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id: st.id ?? `toolu_fake_${n++}`, name: st.name, input: {} },
          }),
        );
        for (const piece of split(st.args, st.chunks)) out.push(delta({ type: 'input_json_delta', partial_json: piece }));
        break;
      case 'image':
        out.push(ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        out.push(delta({ type: 'text_delta', text: '[image]' }));
        break;
    }
    out.push(ev('content_block_stop', { type: 'content_block_stop', index }));
    if (s.framing?.pings) out.push(ev('ping', { type: 'ping' }));
  }
  if (s.midStreamError && s.midStreamError.afterStep >= steps.length) {
    out.push(ev('error', { type: 'error', error: { type: s.midStreamError.type ?? 'overloaded_error', message: s.midStreamError.message } }));
    return out;
  }
  if (s.omitFinish) return out;
  out.push(
    ev('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: defaultStop(s), stop_sequence: s.stopSequence ?? null },
      usage: { output_tokens: usage.output_tokens },
    }),
  );
  out.push(ev('message_stop', { type: 'message_stop' }));
  return out;
}

/** Split text into `n` pieces by code point (never inside a character: that is framing's job). */
export function split(text: string, n = 1): string[] {
  const chars = [...text];
  if (n <= 1 || chars.length <= 1) return [text];
  const size = Math.ceil(chars.length / n);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

// ---- shared HTTP plumbing (also used by gemini-upstream.ts) ----

export type Handler = (rec: RecordedRequest, res: ServerResponse) => Promise<void> | void;

export async function startFake(handler: Handler): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const listRequests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readRequest(req).then(async (rec) => {
      (rec.method === 'GET' ? listRequests : requests).push(rec);
      try {
        await handler(rec, res);
      } catch (err) {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err) } });
        else res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    listRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = rawBody ? (JSON.parse(rawBody) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Write SSE events with the scenario's framing quirks, one write per event (or smaller). */
export async function writeFramed(res: ServerResponse, events: FramedItem[], s: Pick<Scenario, 'framing' | 'headers'>): Promise<void> {
  const f = s.framing ?? {};
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...s.headers });
  res.flushHeaders();
  for (const event of events) {
    if (typeof event !== 'string') {
      if (event.pause.ms) await new Promise((r) => setTimeout(r, event.pause.ms));
      if (event.pause.until) await event.pause.until.catch(() => undefined);
      continue;
    }
    const text = f.crlf ? event.replace(/\n/g, '\r\n') : event;
    for (const piece of f.splitUtf8 ? splitInsideUtf8(Buffer.from(text)) : [Buffer.from(text)]) {
      if (res.destroyed) return;
      res.write(piece);
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    }
  }
  res.end();
}

export async function headerDelay(s: Scenario): Promise<void> {
  if (s.framing?.headerDelayMs) await new Promise((r) => setTimeout(r, s.framing?.headerDelayMs));
}

/** Cut a buffer right after the first byte of its first multi-byte character (if any). */
export function splitInsideUtf8(buf: Buffer): Buffer[] {
  const at = buf.findIndex((b) => b >= 0xc0);
  if (at < 0) return [buf];
  return [buf.subarray(0, at + 1), buf.subarray(at + 1)];
}

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI Chat Completions server on 127.0.0.1 that speaks the real wire format, scripted
 * per request. Shared by the OpenAI fakes (the Responses fake imports the scenario types and the
 * HTTP plumbing from here) and meant for integration and contract-matrix tests.
 */

export interface ScenarioToolCall {
  /** Omit to test id synthesis downstream. */
  id?: string;
  name: string;
  /** Whole arguments JSON; split into `argumentChunks` when those are not given. */
  arguments?: string;
  argumentChunks?: string[];
}

export interface ScenarioUsage {
  input: number;
  output: number;
  cached?: number;
  reasoning?: number;
}

export interface Scenario {
  /** >= 400: answer with this status and `errorBody` before any streaming. */
  status?: number;
  errorBody?: unknown;
  headers?: Record<string, string>;
  id?: string;
  model?: string;
  reasoning?: string[];
  text?: string[];
  toolCalls?: ScenarioToolCall[];
  /** Wire finish word (chat `finish_reason`; Responses: `length` → incomplete max_output_tokens). */
  finishReason?: string;
  usage?: ScenarioUsage;
  /**
   * Fail inside the stream after this many output events (text / reasoning / argument deltas and
   * tool-call starts; 0 = before any output). The same count means the same cut in both fakes.
   */
  midStreamError?: { afterEvents?: number; message: string; code?: string; type?: string };
  quirks?: {
    /** Frame lines with CRLF. */
    crlf?: boolean;
    /** Write every event in two TCP writes, cutting through a multi-byte UTF-8 character when there is one. */
    splitUtf8?: boolean;
    /** Chat: usage in a last chunk with empty choices (default when the client asked include_usage). */
    usageOnlyLastChunk?: boolean;
    /** Milliseconds between writes. */
    delayMs?: number;
    /** Milliseconds to wait before sending status and headers (timeouts, read-ahead tests). */
    headerDelayMs?: number;
    /** Chat: all tool calls, complete, in one chunk. */
    toolCallsInOneChunk?: boolean;
    /** Chat: a leading chunk with `choices: []` (Azure prompt_filter_results style). */
    emptyChoicesChunk?: boolean;
    /** Chat: no `data: [DONE]`. */
    omitDone?: boolean;
    /** Chat: no chunk with finish_reason. */
    omitFinish?: boolean;
    /** Responses: end without response.completed (every item closed). */
    omitCompleted?: boolean;
    /** Close the connection after this many output events, mid-answer, without any error event. */
    dropAfterEvents?: number;
    /** Chat: field carrying reasoning deltas (`reasoning` is OpenRouter's / vLLM's name). */
    reasoningField?: 'reasoning_content' | 'reasoning';
    /** Responses: no delta events, only whole items in output_item.done (some gateways). */
    itemsWithoutDeltas?: boolean;
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when not JSON). */
  body: unknown;
  raw: string;
  /** Set when the client went away before the answer was complete (abort propagation tests). */
  aborted: boolean;
}

export interface FakeUpstreamOptions {
  script?: (req: RecordedRequest) => Scenario;
  /**
   * Model ids `GET …/models` lists (OpenAI list shape; the Codex backend's own shape on the Responses
   * fake). Without it the fake has no model list route (404), like a gateway that does not list.
   */
  models?: string[];
}

/** `GET /v1/models` as OpenAI answers it; a missing bearer gets 401 like the real API. */
export function sendOpenAIModelList(req: RecordedRequest, res: ServerResponse, ids: readonly string[]): void {
  if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) {
    return sendJson(res, 401, { error: { message: 'You didn\'t provide an API key.', type: 'invalid_request_error', param: null, code: null } });
  }
  sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_760_000_000, owned_by: 'fake' })) });
}

export interface FakeUpstream {
  /** Origin, e.g. `http://127.0.0.1:34567` (base-url for OpenAI-compatible entries: `${url}/v1`). */
  url: string;
  /** Model calls (every method but GET). */
  requests: RecordedRequest[];
  /** GET requests (model lists), kept apart so call counts stay the model calls. */
  listRequests: RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_SCENARIO: Scenario = { text: ['Hello', ' world'], usage: { input: 5, output: 2 } };

/**
 * Ready-made scenarios for the contract matrix (same meaning for the chat and Responses fakes):
 * what each one should look like to any client is fixed by its name.
 */
export const standardScenarios = {
  text: { text: ['Hel', 'lo ', 'wörld'], usage: { input: 12, output: 3 } },
  toolCall: { toolCalls: [{ id: 'call_weather_1', name: 'get_weather', argumentChunks: ['{"ci', 'ty":"Pa', 'ris"}'] }], usage: { input: 20, output: 9 } },
  parallelToolCalls: {
    toolCalls: [
      { id: 'call_p1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_p2', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
    ],
    usage: { input: 20, output: 18 },
  },
  reasoning: { reasoning: ['Let me ', 'think.'], text: ['42'], usage: { input: 8, output: 30, reasoning: 25 } },
  maxTokens: { text: ['This is cut'], finishReason: 'length', usage: { input: 5, output: 3 } },
  cachedUsage: { text: ['ok'], usage: { input: 100, output: 2, cached: 80 } },
  rateLimited: { status: 429 },
  serverError: { status: 500 },
  midStreamError: { text: ['partial ', 'answer'], midStreamError: { afterEvents: 2, message: 'upstream connection reset', type: 'server_error' } },
} satisfies Record<string, Scenario>;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Split arguments into about three pieces so decoders see real concatenation. */
export function argumentChunksOf(call: ScenarioToolCall): string[] {
  if (call.argumentChunks) return call.argumentChunks;
  const text = call.arguments ?? '{}';
  const step = Math.max(1, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step));
  return out.length ? out : [''];
}

/** Writes SSE text applying the framing quirks; resolves false if the client went away. */
export async function writeEvents(res: ServerResponse, events: string[], quirks: Scenario['quirks'] = {}): Promise<void> {
  for (const ev of events) {
    if (res.destroyed) return;
    const text = quirks.crlf ? ev.replace(/\n/g, '\r\n') : ev;
    const bytes = Buffer.from(text, 'utf8');
    if (quirks.splitUtf8) {
      const cut = utf8Cut(bytes);
      res.write(bytes.subarray(0, cut));
      await sleep(quirks.delayMs ?? 1);
      res.write(bytes.subarray(cut));
    } else res.write(bytes);
    if (quirks.delayMs) await sleep(quirks.delayMs);
  }
}

/** A byte offset inside a multi-byte character when the buffer has one, else the middle. */
function utf8Cut(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0xc0) return i + 1;
  return Math.max(1, bytes.length >> 1);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function defaultErrorBody(status: number): unknown {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = status === 429 ? 'rate_limit_exceeded' : null;
  return { error: { message: `fake upstream error ${status}`, type, param: null, code } };
}

/** A node:http server on 127.0.0.1:0 that records every request and routes by path. */
export async function startFakeServer(
  paths: string[],
  handle: (req: RecordedRequest, res: ServerResponse) => Promise<void>,
  /** GET routes (model lists), by exact path. */
  gets: Record<string, (req: RecordedRequest, res: ServerResponse) => void> = {},
): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const listRequests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, body, raw, aborted: false };
      (recorded.method === 'GET' ? listRequests : requests).push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) recorded.aborted = true;
      });
      const get = req.method === 'GET' && Object.hasOwn(gets, path) ? gets[path] : undefined;
      if (get) return get(recorded, res);
      if (req.method !== 'POST' || !paths.includes(path)) {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error', param: null, code: null } });
        return;
      }
      handle(recorded, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
        else res.destroy();
      });
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

function chatUsage(u: ScenarioUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
}

function chatFinish(s: Scenario): string {
  return s.finishReason ?? (s.toolCalls?.length ? 'tool_calls' : 'stop');
}

/** The non-streaming `chat.completion` answer for a scenario. */
export function chatCompletionBody(s: Scenario, model: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: s.text?.length ? s.text.join('') : null, refusal: null };
  if (s.reasoning?.length) message.reasoning_content = s.reasoning.join('');
  if (s.toolCalls?.length) {
    message.tool_calls = s.toolCalls.map((c, i) => ({
      id: c.id ?? `call_fake_${i}`,
      type: 'function',
      function: { name: c.name, arguments: c.arguments ?? argumentChunksOf(c).join('') },
    }));
  }
  const body: Record<string, unknown> = {
    id: s.id ?? 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinish(s) }],
  };
  if (s.usage) body.usage = chatUsage(s.usage);
  return body;
}

/** The SSE events of a streamed chat answer for a scenario. */
export function chatStreamEvents(s: Scenario, model: string, includeUsage: boolean): string[] {
  const q = s.quirks ?? {};
  const id = s.id ?? 'chatcmpl-fake';
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
  const content: string[] = [];
  for (const r of s.reasoning ?? []) content.push(chunk({ [q.reasoningField ?? 'reasoning_content']: r }));
  for (const t of s.text ?? []) content.push(chunk({ content: t }));
  if (q.toolCallsInOneChunk && s.toolCalls?.length) {
    content.push(
      chunk({
        tool_calls: s.toolCalls.map((c, i) => ({
          index: i,
          ...(c.id ? { id: c.id } : {}),
          type: 'function',
          function: { name: c.name, arguments: argumentChunksOf(c).join('') },
        })),
      }),
    );
  } else {
    (s.toolCalls ?? []).forEach((c, i) => {
      content.push(chunk({ tool_calls: [{ index: i, ...(c.id ? { id: c.id } : {}), type: 'function', function: { name: c.name, arguments: '' } }] }));
      for (const a of argumentChunksOf(c)) content.push(chunk({ tool_calls: [{ index: i, function: { arguments: a } }] }));
    });
  }

  const events: string[] = [];
  if (q.emptyChoicesChunk) events.push(`data: ${JSON.stringify({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [] })}\n\n`);
  events.push(chunk({ role: 'assistant', content: '' }));
  if (q.dropAfterEvents !== undefined) {
    events.push(...content.slice(0, q.dropAfterEvents));
    return events;
  }
  const err = s.midStreamError;
  if (err) {
    events.push(...content.slice(0, err.afterEvents ?? content.length));
    events.push(`data: ${JSON.stringify({ error: { message: err.message, type: err.type ?? 'server_error', param: null, code: err.code ?? null } })}\n\n`);
    return events;
  }
  events.push(...content);
  const usageLast = q.usageOnlyLastChunk ?? includeUsage;
  if (!q.omitFinish) events.push(chunk({}, chatFinish(s), s.usage && !usageLast ? { usage: chatUsage(s.usage) } : {}));
  if (s.usage && usageLast) {
    events.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage: chatUsage(s.usage) })}\n\n`);
  }
  if (!q.omitDone) events.push('data: [DONE]\n\n');
  return events;
}

/** Start the fake at `/v1/chat/completions` and `/chat/completions`. */
export function startOpenAIChatUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const models = opts.models;
  const gets = models ? Object.fromEntries(['/v1/models', '/models', '/coding/v1/models'].map((p) => [p, (req: RecordedRequest, res: ServerResponse) => sendOpenAIModelList(req, res, models)])) : {};
  return startFakeServer(['/v1/chat/completions', '/chat/completions', '/coding/v1/chat/completions'], async (req, res) => {
    const s = opts.script ? opts.script(req) : DEFAULT_SCENARIO;
    const body = (req.body ?? {}) as { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    const model = s.model ?? body.model ?? 'fake-model';
    if (s.quirks?.headerDelayMs) await sleep(s.quirks.headerDelayMs);
    if (res.destroyed) return;
    if (s.status && s.status >= 400) return sendJson(res, s.status, s.errorBody ?? defaultErrorBody(s.status), s.headers);
    if (!body.stream) return sendJson(res, 200, chatCompletionBody(s, model), s.headers);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...s.headers });
    await writeEvents(res, chatStreamEvents(s, model, body.stream_options?.include_usage === true), s.quirks);
    res.end();
  }, gets);
}

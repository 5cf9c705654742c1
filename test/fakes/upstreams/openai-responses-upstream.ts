import type { ServerResponse } from 'node:http';
import {
  argumentChunksOf,
  defaultErrorBody,
  type FakeUpstream,
  type FakeUpstreamOptions,
  type RecordedRequest,
  type Scenario,
  type ScenarioUsage,
  sendJson,
  sendOpenAIModelList,
  sleep,
  startFakeServer,
  writeEvents,
} from './openai-chat-upstream';

/**
 * A fake OpenAI Responses API server (also stands in for the Codex backend) on 127.0.0.1,
 * emitting the real event lifecycle with sequence numbers. Scripted with the same Scenario as
 * the chat fake; `finishReason: 'length'` or `'content_filter'` ends with response.incomplete.
 */

export type { FakeUpstream, FakeUpstreamOptions, RecordedRequest, Scenario } from './openai-chat-upstream';

function usageOf(u: ScenarioUsage | undefined): Record<string, unknown> | null {
  if (!u) return null;
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

interface Built {
  /** Items in output order, complete. */
  items: Array<Record<string, unknown>>;
}

function buildItems(s: Scenario): Built {
  const items: Array<Record<string, unknown>> = [];
  if (s.reasoning?.length) {
    items.push({ id: 'rs_fake0', type: 'reasoning', summary: [{ type: 'summary_text', text: s.reasoning.join('') }], encrypted_content: 'gAAAAAfake-encrypted' });
  }
  if (s.text?.length) {
    items.push({
      id: 'msg_fake0',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: s.text.join(''), annotations: [], logprobs: [] }],
    });
  }
  (s.toolCalls ?? []).forEach((c, i) => {
    items.push({
      id: `fc_fake${i}`,
      type: 'function_call',
      status: 'completed',
      call_id: c.id ?? `call_fake_${i}`,
      name: c.name,
      arguments: c.arguments ?? argumentChunksOf(c).join(''),
    });
  });
  return { items };
}

function statusOf(s: Scenario): { status: string; incomplete: Record<string, unknown> | null } {
  if (s.finishReason === 'length' || s.finishReason === 'max_output_tokens') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (s.finishReason === 'content_filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

function responseBody(s: Scenario, model: string, status: string, output: unknown[], incomplete: unknown, usage: unknown): Record<string, unknown> {
  return {
    id: s.id ?? 'resp_fake',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    incomplete_details: incomplete,
    model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage,
  };
}

/** The SSE events of a streamed Responses answer for a scenario. */
export function responsesStreamEvents(s: Scenario, model: string): string[] {
  let seq = 0;
  const ev = (type: string, fields: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`;
  const events: string[] = [];
  events.push(ev('response.created', { response: responseBody(s, model, 'in_progress', [], null, null) }));
  events.push(ev('response.in_progress', { response: responseBody(s, model, 'in_progress', [], null, null) }));
  const content: string[] = [];
  const { items } = buildItems(s);
  if (s.quirks?.itemsWithoutDeltas) {
    items.forEach((item, oi) => content.push(ev('response.output_item.done', { output_index: oi, item })));
  }
  if (!s.quirks?.itemsWithoutDeltas) items.forEach((item, oi) => {
    const at = { item_id: item.id, output_index: oi };
    if (item.type === 'reasoning') {
      content.push(ev('response.output_item.added', { output_index: oi, item: { id: item.id, type: 'reasoning', summary: [] } }));
      content.push(ev('response.reasoning_summary_part.added', { ...at, summary_index: 0, part: { type: 'summary_text', text: '' } }));
      for (const r of s.reasoning ?? []) content.push(ev('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta: r }));
    } else if (item.type === 'message') {
      content.push(ev('response.output_item.added', { output_index: oi, item: { ...item, status: 'in_progress', content: [] } }));
      content.push(ev('response.content_part.added', { ...at, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
      for (const t of s.text ?? []) content.push(ev('response.output_text.delta', { ...at, content_index: 0, delta: t, logprobs: [] }));
    } else {
      const call = (s.toolCalls ?? [])[oi - items.findIndex((x) => x.type === 'function_call')];
      content.push(ev('response.output_item.added', { output_index: oi, item: { ...item, status: 'in_progress', arguments: '' } }));
      for (const a of argumentChunksOf(call)) content.push(ev('response.function_call_arguments.delta', { ...at, delta: a }));
    }
    content.push(...closeItem(item, at, ev));
  });
  if (s.quirks?.dropAfterEvents !== undefined) {
    events.push(...content.slice(0, cutAfterOutputs(content, s.quirks.dropAfterEvents)));
    return events;
  }
  const err = s.midStreamError;
  if (err) {
    events.push(...content.slice(0, cutAfterOutputs(content, err.afterEvents)));
    events.push(ev('error', { code: err.code ?? 'server_error', message: err.message, param: null }));
    events.push(ev('response.failed', { response: { ...responseBody(s, model, 'failed', [], null, null), error: { code: err.code ?? 'server_error', message: err.message } } }));
    return events;
  }
  events.push(...content);
  if (s.quirks?.omitCompleted) return events;
  const { status, incomplete } = statusOf(s);
  events.push(ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseBody(s, model, status, items, incomplete, usageOf(s.usage)) }));
  return events;
}

/** Events that carry output: deltas and function-call starts (what the chat fake counts as chunks). */
const OUTPUT_EVENT = /^event: (response\.(output_text|reasoning_summary_text|function_call_arguments)\.delta)\n|"type":"function_call","status":"in_progress"/;

/** How many events to keep so that `afterEvents` outputs went out (all of them when undefined). */
function cutAfterOutputs(events: string[], afterEvents: number | undefined): number {
  if (afterEvents === undefined) return events.length;
  let outputs = 0;
  for (let i = 0; i < events.length; i++) {
    if (!OUTPUT_EVENT.test(events[i])) continue;
    if (outputs === afterEvents) return i;
    outputs++;
  }
  return events.length;
}

function closeItem(item: Record<string, unknown>, at: Record<string, unknown>, ev: (type: string, f: Record<string, unknown>) => string): string[] {
  const out: string[] = [];
  if (item.type === 'reasoning') {
    const text = (item.summary as Array<{ text: string }>)[0].text;
    out.push(ev('response.reasoning_summary_text.done', { ...at, summary_index: 0, text }));
    out.push(ev('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text } }));
  } else if (item.type === 'message') {
    const part = (item.content as Array<Record<string, unknown>>)[0];
    out.push(ev('response.output_text.done', { ...at, content_index: 0, text: part.text, logprobs: [] }));
    out.push(ev('response.content_part.done', { ...at, content_index: 0, part }));
  } else {
    out.push(ev('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments }));
  }
  out.push(ev('response.output_item.done', { output_index: at.output_index, item }));
  return out;
}

/** Start the fake at `/v1/responses` and `/responses` (Codex backend style base URLs). */
export function startOpenAIResponsesUpstream(opts: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const models = opts.models;
  const gets: Record<string, (req: RecordedRequest, res: ServerResponse) => void> = {};
  if (models) {
    for (const p of ['/v1/models', '/models']) gets[p] = (req, res) => sendOpenAIModelList(req, res, models);
    // The ChatGPT Codex backend answers `GET /backend-api/codex/models?client_version=…` with its own shape.
    gets['/backend-api/codex/models'] = (req, res) => {
      if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) return sendJson(res, 401, { detail: 'Unauthorized' });
      sendJson(res, 200, {
        models: models.map((slug, i) => ({ slug, display_name: slug, context_window: 272_000, supported_in_api: true, visibility: 'list', priority: i })),
      });
    };
  }
  return startFakeServer(['/v1/responses', '/responses', '/backend-api/codex/responses'], async (req, res) => {
    const s = opts.script ? opts.script(req) : { text: ['Hello', ' world'], usage: { input: 5, output: 2 } };
    const body = (req.body ?? {}) as { model?: string; stream?: boolean };
    const model = s.model ?? body.model ?? 'fake-model';
    if (s.quirks?.headerDelayMs) await sleep(s.quirks.headerDelayMs);
    if (res.destroyed) return;
    if (s.status && s.status >= 400) return sendJson(res, s.status, s.errorBody ?? defaultErrorBody(s.status), s.headers);
    if (!body.stream) {
      const { status, incomplete } = statusOf(s);
      return sendJson(res, 200, responseBody(s, model, status, buildItems(s).items, incomplete, usageOf(s.usage)), s.headers);
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...s.headers });
    await writeEvents(res, responsesStreamEvents(s, model), s.quirks);
    res.end();
  }, gets);
}

import { z } from 'zod';
import type { SseEvent } from '../../sse/types';
import { InvalidRequestError } from '../protocol';
import { isRecord, omitKeys, parseOrThrow, safeJsonParse } from './json';

/**
 * `/v1/completions` (legacy text completion) served through the chat pipeline: the request
 * becomes a one-turn chat request, and chat answers / chunks are re-shaped as `text_completion`.
 */

const completionRequestSchema = z.looseObject({
  model: z.string().optional(),
  prompt: z.union([z.string(), z.array(z.string())]).nullish(),
  suffix: z.string().nullish(),
  stream: z.boolean().nullish(),
  echo: z.boolean().nullish(),
});

/** Fields that mean the same in both APIs and are copied as they are. */
const SHARED_KEYS = [
  'max_tokens', 'temperature', 'top_p', 'n', 'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user',
  'seed', 'stream_options',
] as const;

/** Legacy completion request → chat request body (validated the same way as a chat body later). */
export function completionsRequestToChat(body: unknown): Record<string, unknown> {
  const b = parseOrThrow(completionRequestSchema, body);
  if (Array.isArray(b.prompt) && b.prompt.length > 1) {
    throw new InvalidRequestError('prompt: only a single prompt is supported', 'prompt');
  }
  const prompt = Array.isArray(b.prompt) ? (b.prompt[0] ?? '') : (b.prompt ?? '');
  const out: Record<string, unknown> = {};
  if (b.model !== undefined) out.model = b.model;
  out.messages = [{ role: 'user', content: prompt }];
  if (b.stream != null) out.stream = b.stream;
  for (const k of SHARED_KEYS) if (b[k] !== undefined && b[k] !== null) out[k] = b[k];
  return out;
}

/** What a chat finish_reason means for a text completion (`tool_calls` cannot happen here). */
function finishOf(v: unknown): string | null {
  return typeof v === 'string' ? (v === 'tool_calls' ? 'stop' : v) : null;
}

function completionId(id: unknown): string {
  const s = typeof id === 'string' ? id : '';
  return s.startsWith('chatcmpl-') ? `cmpl-${s.slice('chatcmpl-'.length)}` : s || `cmpl-${Date.now().toString(36)}`;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

/** `chat.completion` JSON → `text_completion` JSON. */
export function chatResponseToCompletion(chat: unknown): Record<string, unknown> {
  const c = isRecord(chat) ? chat : {};
  const choices = Array.isArray(c.choices) ? c.choices : [];
  const out: Record<string, unknown> = {
    id: completionId(c.id),
    object: 'text_completion',
    created: c.created ?? Math.floor(Date.now() / 1000),
    model: c.model,
    choices: choices.filter(isRecord).map((ch, i) => ({
      text: textOf(isRecord(ch.message) ? ch.message.content : undefined),
      index: typeof ch.index === 'number' ? ch.index : i,
      logprobs: null,
      finish_reason: finishOf(ch.finish_reason),
    })),
  };
  if (c.usage !== undefined) out.usage = c.usage;
  return out;
}

/**
 * `chat.completion.chunk` → `text_completion` chunk. Returns undefined for chunks with nothing
 * to say (the role-only opener), so the caller can skip them.
 */
export function chatChunkToCompletionChunk(chunk: unknown): Record<string, unknown> | undefined {
  const c = isRecord(chunk) ? chunk : {};
  const choices = (Array.isArray(c.choices) ? c.choices : []).filter(isRecord).flatMap((ch, i) => {
    const delta = isRecord(ch.delta) ? ch.delta : {};
    const text = textOf(delta.content);
    const finish = finishOf(ch.finish_reason);
    if (!text && !finish) return [];
    return [{ text, index: typeof ch.index === 'number' ? ch.index : i, logprobs: null, finish_reason: finish }];
  });
  if (!choices.length && !isRecord(c.usage)) return undefined;
  const out: Record<string, unknown> = {
    id: completionId(c.id),
    object: 'text_completion',
    created: c.created ?? Math.floor(Date.now() / 1000),
    model: c.model,
    choices,
  };
  if (isRecord(c.usage)) out.usage = c.usage;
  return out;
}

/**
 * One chat SSE event (as the chat stream encoder or an upstream wrote it) → legacy SSE text.
 * `[DONE]` and error events pass through unchanged; chunks with nothing to say vanish.
 */
export function chatSseEventToCompletionSse(ev: SseEvent): string {
  const data = ev.data.trim();
  if (data === '[DONE]') return 'data: [DONE]\n\n';
  const json = safeJsonParse(data);
  if (!isRecord(json)) return '';
  if (json.error != null) return `data: ${JSON.stringify(json)}\n\n`;
  const out = chatChunkToCompletionChunk(json);
  return out ? `data: ${JSON.stringify(out)}\n\n` : '';
}

/** Keys of a legacy request that the chat path ignores (kept for diagnostics). */
export function unsupportedCompletionKeys(body: Record<string, unknown>): string[] {
  return Object.keys(omitKeys(body, ['model', 'prompt', 'stream', ...SHARED_KEYS])).filter((k) => k !== 'suffix' && k !== 'echo');
}

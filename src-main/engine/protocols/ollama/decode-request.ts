import type { z } from 'zod';
import type { IrMediaPart, IrMessage, IrPart, IrRequest, IrTextPart } from '../../ir';
import { InvalidRequestError } from '../protocol';
import {
  chatRequestSchema,
  generateRequestSchema,
  type OllamaChatRequest,
  type OllamaGenerateRequest,
  type OllamaMessage,
} from './schema';

/** Validate with zod; the first issue becomes a 400 naming its JSON path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = (issue?.path ?? []).map(String).join('.');
  throw new InvalidRequestError(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid value'}`, path || undefined);
}

/** Ollama's `images` are bare base64; the media type is read from the first bytes. */
export function imagePart(b64: string): IrMediaPart {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(b64);
  if (m) return { type: 'media', mediaType: m[1], data: m[2] };
  const mediaType = b64.startsWith('iVBOR')
    ? 'image/png'
    : b64.startsWith('/9j/')
      ? 'image/jpeg'
      : b64.startsWith('R0lGOD')
        ? 'image/gif'
        : b64.startsWith('UklGR')
          ? 'image/webp'
          : 'image/png';
  return { type: 'media', mediaType, data: b64 };
}

/** The fields `/api/chat` and `/api/generate` share: options, format, think, stream. */
function commonFields(body: OllamaChatRequest | OllamaGenerateRequest, stream: boolean): Omit<IrRequest, 'system' | 'messages'> {
  const o = body.options ?? {};
  const req: Omit<IrRequest, 'system' | 'messages'> = { model: body.model, stream };
  if (o.temperature != null) req.temperature = o.temperature;
  if (o.top_p != null) req.topP = o.top_p;
  if (o.top_k != null) req.topK = o.top_k;
  // num_predict -1 (unbounded) and -2 (fill context) mean "no limit of ours".
  if (o.num_predict != null && o.num_predict > 0) req.maxOutputTokens = o.num_predict;
  if (o.stop != null) req.stopSequences = typeof o.stop === 'string' ? [o.stop] : o.stop;
  if (o.seed != null) req.seed = o.seed;
  if (o.presence_penalty != null) req.presencePenalty = o.presence_penalty;
  if (o.frequency_penalty != null) req.frequencyPenalty = o.frequency_penalty;
  if (body.format === 'json') req.responseFormat = { type: 'json' };
  else if (body.format && typeof body.format === 'object') req.responseFormat = { type: 'json-schema', name: 'response', schema: body.format };
  if (body.think === true) req.reasoning = { enabled: true, effort: 'medium', includeThoughts: true };
  else if (typeof body.think === 'string') req.reasoning = { enabled: true, effort: body.think, includeThoughts: true };
  else if (body.think === false) req.reasoning = { enabled: false, effort: 'none' };
  return req;
}

/** Ollama streams unless told `"stream": false`. */
export function wantsStream(body: Record<string, unknown>): boolean {
  return body.stream !== false;
}

/** `POST /api/chat` body → IR. */
export function decodeChatRequest(body: unknown, where: { model?: string; stream?: boolean }): IrRequest {
  const b = parseOrThrow(chatRequestSchema, body);
  const system: IrTextPart[] = [];
  const messages = decodeMessages(b.messages ?? [], system);
  const req: IrRequest = { ...commonFields(b, where.stream ?? b.stream !== false), model: where.model ?? b.model, system, messages };
  if (b.tools?.length) {
    req.tools = b.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      parameters: t.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  return req;
}

/** `POST /api/generate` body → IR: `system` + one user turn of `prompt` and `images`. */
export function decodeGenerateRequest(body: unknown, where: { model?: string; stream?: boolean }): IrRequest {
  const b = parseOrThrow(generateRequestSchema, body);
  if (!b.prompt && !b.images?.length) {
    // Ollama answers an empty prompt by loading the model; there is nothing to load here.
    throw new InvalidRequestError('prompt: required (an empty prompt only loads a model in Ollama; Switchyard has nothing to load)', 'prompt');
  }
  const parts: IrPart[] = [];
  if (b.prompt) parts.push({ type: 'text', text: b.prompt });
  for (const img of b.images ?? []) parts.push(imagePart(img));
  return {
    ...commonFields(b, where.stream ?? b.stream !== false),
    model: where.model ?? b.model,
    system: b.system ? [{ type: 'text', text: b.system }] : [],
    messages: [{ role: 'user', parts }],
  };
}

/**
 * Ollama tool results carry the tool's name (`tool_name`), not a call id, so each result is
 * paired with the earliest unanswered call of that name (or simply the earliest unanswered
 * call); ids are made up for calls that came without one, the same way on every request.
 */
function decodeMessages(messages: OllamaMessage[], system: IrTextPart[]): IrMessage[] {
  const out: IrMessage[] = [];
  let pending: Array<{ id: string; name: string }> = [];
  messages.forEach((m, mi) => {
    const text = m.content ?? '';
    switch (m.role) {
      case 'system':
        if (text) system.push({ type: 'text', text });
        break;
      case 'user': {
        const parts: IrPart[] = text ? [{ type: 'text', text }] : [];
        for (const img of m.images ?? []) parts.push(imagePart(img));
        out.push({ role: 'user', parts });
        break;
      }
      case 'assistant': {
        const parts: IrPart[] = [];
        if (m.thinking) parts.push({ type: 'reasoning', text: m.thinking });
        if (text) parts.push({ type: 'text', text });
        pending = [];
        (m.tool_calls ?? []).forEach((tc, i) => {
          const id = tc.id || `call_${mi}_${i}`;
          const args = tc.function.arguments;
          parts.push({ type: 'tool-call', id, name: tc.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) });
          pending.push({ id, name: tc.function.name });
        });
        out.push({ role: 'assistant', parts });
        break;
      }
      case 'tool': {
        const at =
          m.tool_call_id != null
            ? pending.findIndex((p) => p.id === m.tool_call_id)
            : m.tool_name
              ? pending.findIndex((p) => p.name === m.tool_name)
              : 0;
        const call = at >= 0 ? pending.splice(at, 1)[0] : undefined;
        const callId = m.tool_call_id || call?.id;
        if (!callId) throw new InvalidRequestError(`messages.${mi}: a "tool" message must follow an assistant message with tool_calls`, `messages.${mi}`);
        const content: Array<IrTextPart | IrMediaPart> = [{ type: 'text', text }];
        for (const img of m.images ?? []) content.push(imagePart(img));
        const part: IrPart = { type: 'tool-result', callId, content, ...(m.tool_name || call ? { name: m.tool_name || call?.name } : {}) };
        const last = out[out.length - 1];
        // Consecutive results are one IR tool turn, so every format sees them grouped.
        if (last?.role === 'tool') last.parts.push(part);
        else out.push({ role: 'tool', parts: [part] });
        break;
      }
    }
  });
  return out;
}

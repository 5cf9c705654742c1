import type { IrMediaPart, IrMessage, IrPart, IrReasoning, IrRequest, IrTextPart, IrTool, IrToolChoice } from '../../ir';
import { isReasoningEffort } from '../../ir/reasoning';
import { InvalidRequestError } from '../protocol';
import { guessMediaType, isRecord, omitKeys, parseDataUrl, parseOrThrow } from '../openai-chat/json';
import { callIdFor } from './ids';
import {
  customToolCallItemSchema,
  filePartSchema,
  functionCallItemSchema,
  functionCallOutputItemSchema,
  functionToolSchema,
  imagePartSchema,
  type InputItem,
  messageItemSchema,
  reasoningItemSchema,
  requestSchema,
  type ResponsesRequest,
  textPartSchema,
} from './schema';

/** What a free-form (custom) tool looks like to upstreams that only know JSON-schema functions. */
export const CUSTOM_TOOL_PARAMETERS: Record<string, unknown> = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input for this tool.' } },
  required: ['input'],
};

/** Keys mapped to IR; the rest (store, include, previous_response_id, …) ride in extensions. */
const MAPPED_KEYS = [
  'model', 'input', 'instructions', 'stream', 'tools', 'tool_choice', 'parallel_tool_calls', 'max_output_tokens',
  'temperature', 'top_p', 'reasoning', 'text', 'user',
] as const;

/** Responses API request body → IR. Throws InvalidRequestError naming the bad path. */
export function decodeRequest(body: unknown, where: { model?: string; stream?: boolean } = {}): IrRequest {
  const b = parseOrThrow(requestSchema, body);
  const model = b.model ?? where.model;
  if (!model) throw new InvalidRequestError('model: required', 'model');
  const system: IrTextPart[] = [];
  if (b.instructions) system.push({ type: 'text', text: b.instructions });
  const messages = typeof b.input === 'string' ? [{ role: 'user' as const, parts: [{ type: 'text' as const, text: b.input }] }] : decodeItems(b.input ?? [], system);
  const req: IrRequest = { model, stream: b.stream ?? where.stream ?? false, system, messages };
  const ext: Record<string, unknown> = isRecord(body) ? omitKeys(body, MAPPED_KEYS) : {};

  if (b.max_output_tokens != null) req.maxOutputTokens = b.max_output_tokens;
  if (b.temperature != null) req.temperature = b.temperature;
  if (b.top_p != null) req.topP = b.top_p;
  if (b.user) req.user = b.user;
  if (b.parallel_tool_calls != null) req.parallelToolCalls = b.parallel_tool_calls;

  const tools: IrTool[] = [];
  const others: unknown[] = [];
  const customTools: string[] = [];
  (b.tools ?? []).forEach((t, i) => {
    if (t.type === 'custom' && typeof t.name === 'string') {
      // Free-form tools (Codex apply_patch): other upstreams see a function taking {input}; a
      // Responses upstream gets the original definition back from extensions.
      customTools.push(t.name);
      others.push(t);
      const tool: IrTool = { name: t.name, parameters: structuredClone(CUSTOM_TOOL_PARAMETERS) };
      if (typeof t.description === 'string') tool.description = t.description;
      tools.push(tool);
      return;
    }
    if (t.type !== 'function') {
      others.push(t); // web_search, custom, local_shell…: meaningful to a Responses upstream only
      return;
    }
    const f = parseOrThrow(functionToolSchema, t, `tools.${i}`);
    const tool: IrTool = { name: f.name, parameters: f.parameters ?? { type: 'object', properties: {} } };
    if (f.description) tool.description = f.description;
    if (f.strict != null) tool.strict = f.strict;
    tools.push(tool);
  });
  if (tools.length) req.tools = tools;
  if (others.length) ext.tools = others;
  if (customTools.length) ext.customTools = customTools;
  const choice = decodeToolChoice(b.tool_choice);
  if (choice) req.toolChoice = choice;

  const format = b.text?.format;
  if (format?.type === 'text') req.responseFormat = { type: 'text' };
  else if (format?.type === 'json_object') req.responseFormat = { type: 'json' };
  else if (format?.type === 'json_schema' && format.schema) {
    req.responseFormat = { type: 'json-schema', schema: format.schema };
    if (format.name) req.responseFormat.name = format.name;
    if (format.strict != null) req.responseFormat.strict = format.strict;
  }
  if (b.text?.verbosity) ext.verbosity = b.text.verbosity;

  const reasoning = decodeReasoning(b.reasoning);
  if (reasoning) req.reasoning = reasoning;
  if (b.reasoning?.summary) ext.reasoningSummary = b.reasoning.summary;
  if (Object.keys(ext).length) req.extensions = { 'openai-responses': ext };
  return req;
}

/**
 * Input items in order. Reasoning, assistant messages and function calls that follow one
 * another form one assistant turn; consecutive function outputs form one `tool` turn.
 */
function decodeItems(items: InputItem[], system: IrTextPart[]): IrMessage[] {
  const out: IrMessage[] = [];
  const append = (role: IrMessage['role'], parts: IrPart[]) => {
    const last = out[out.length - 1];
    if (role !== 'user' && last?.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  };
  items.forEach((item, i) => {
    const path = `input.${i}`;
    const type = item.type ?? (item.role ? 'message' : undefined);
    switch (type) {
      case 'message': {
        const m = parseOrThrow(messageItemSchema, item, path);
        const parts = decodeContent(m.content, path);
        if (m.role === 'system' || m.role === 'developer') {
          const text = parts.filter((p): p is IrTextPart => p.type === 'text').map((p) => p.text).join('\n');
          if (text) system.push({ type: 'text', text });
        } else append(m.role, parts);
        break;
      }
      case 'function_call': {
        const c = parseOrThrow(functionCallItemSchema, item, path);
        append('assistant', [{ type: 'tool-call', id: c.call_id || callIdFor(c.id, i), name: c.name, arguments: c.arguments ?? '' }]);
        break;
      }
      case 'custom_tool_call': {
        const c = parseOrThrow(customToolCallItemSchema, item, path);
        append('assistant', [{ type: 'tool-call', id: c.call_id || callIdFor(c.id, i), name: c.name, arguments: JSON.stringify({ input: c.input ?? '' }) }]);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const o = parseOrThrow(functionCallOutputItemSchema, { ...item, type: 'function_call_output' }, path);
        const content = typeof o.output === 'string' ? [{ type: 'text' as const, text: o.output }] : decodeContent(o.output, `${path}.output`);
        append('tool', [{ type: 'tool-result', callId: o.call_id, content: content.filter((p): p is IrTextPart | IrMediaPart => p.type === 'text' || p.type === 'media') }]);
        break;
      }
      case 'reasoning': {
        const r = parseOrThrow(reasoningItemSchema, item, path);
        const text = (r.summary?.length ? r.summary : (r.content ?? [])).map((s) => s.text).join('\n\n');
        // encrypted_content is the opaque proof of earlier reasoning; it travels like a signature.
        append('assistant', [r.encrypted_content ? { type: 'reasoning', text, signature: r.encrypted_content } : { type: 'reasoning', text }]);
        break;
      }
      default:
        break; // item_reference, built-in tool calls: no neutral meaning outside OpenAI
    }
  });
  return out;
}

function decodeContent(content: unknown, path: string): IrPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const parts: IrPart[] = [];
  content.forEach((part, i) => {
    const p = `${path}.content.${i}`;
    const type = isRecord(part) ? part.type : undefined;
    switch (type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        parts.push({ type: 'text', text: parseOrThrow(textPartSchema, part, p).text });
        break;
      case 'refusal':
        if (isRecord(part) && typeof part.refusal === 'string') parts.push({ type: 'text', text: part.refusal });
        break;
      case 'input_image': {
        const img = parseOrThrow(imagePartSchema, part, p);
        if (img.image_url) parts.push(mediaFromUrl(img.image_url, 'image/jpeg'));
        break; // file ids are bound to an OpenAI account and cannot travel
      }
      case 'input_file': {
        const f = parseOrThrow(filePartSchema, part, p);
        const src = f.file_data ?? f.file_url;
        if (!src) break;
        const media = mediaFromUrl(src, guessMediaType(f.filename ?? src, 'application/pdf'));
        if (f.filename) media.filename = f.filename;
        parts.push(media);
        break;
      }
      default:
        break;
    }
  });
  return parts;
}

function mediaFromUrl(url: string, fallbackType: string): IrMediaPart {
  const data = parseDataUrl(url);
  if (data) return { type: 'media', mediaType: data.mediaType, data: data.data };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return { type: 'media', mediaType: guessMediaType(url, fallbackType), url };
  return { type: 'media', mediaType: fallbackType, data: url };
}

function decodeToolChoice(c: ResponsesRequest['tool_choice']): IrToolChoice | undefined {
  if (c == null) return undefined;
  if (typeof c === 'string') return c === 'auto' || c === 'none' || c === 'required' ? { type: c } : undefined;
  if ((c.type === 'function' || c.type === 'custom') && c.name) return { type: 'tool', name: c.name };
  if (c.type === 'allowed_tools') return { type: 'auto' };
  return undefined;
}

/**
 * `reasoning.effort` → IR; the reasoning text only comes back when a `summary` is asked for,
 * which is what `includeThoughts` means.
 */
function decodeReasoning(r: ResponsesRequest['reasoning']): IrReasoning | undefined {
  if (!r || (!r.effort && !r.summary)) return undefined;
  const effort = r.effort?.toLowerCase();
  const includeThoughts = !!r.summary && r.summary !== 'none';
  if (effort === 'none') return { enabled: false, effort: 'none' };
  const out: IrReasoning = { enabled: true, includeThoughts };
  if (effort === 'max') out.effort = 'xhigh';
  else if (isReasoningEffort(effort)) out.effort = effort;
  return out;
}

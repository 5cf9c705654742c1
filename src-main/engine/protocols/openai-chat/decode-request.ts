import type { IrMediaPart, IrMessage, IrPart, IrReasoning, IrRequest, IrTextPart, IrTool, IrToolChoice } from '../../ir';
import { isReasoningEffort } from '../../ir/reasoning';
import { InvalidRequestError } from '../protocol';
import { newCallId } from './ids';
import { guessMediaType, isRecord, omitKeys, parseDataUrl, parseOrThrow } from './json';
import {
  audioPartSchema,
  type ChatMessage,
  type ChatRequest,
  filePartSchema,
  functionToolSchema,
  imagePartSchema,
  requestSchema,
  responseFormatSchema,
  textPartSchema,
} from './schema';

/** Top-level keys this decoder maps; every other key rides in `extensions['openai-chat']`. */
const MAPPED_KEYS = [
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p',
  'top_k', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'tools', 'tool_choice', 'parallel_tool_calls',
  'response_format', 'reasoning_effort', 'user', 'functions', 'function_call',
] as const;

/** OpenAI Chat Completions request body → IR. Throws InvalidRequestError naming the bad path. */
export function decodeRequest(body: unknown, where: { model?: string; stream?: boolean } = {}): IrRequest {
  const b = parseOrThrow(requestSchema, body);
  const model = b.model ?? where.model;
  if (!model) throw new InvalidRequestError('model: required', 'model');

  const system: IrTextPart[] = [];
  const req: IrRequest = { model, stream: b.stream ?? where.stream ?? false, system, messages: decodeMessages(b.messages, system) };
  const ext: Record<string, unknown> = isRecord(body) ? omitKeys(body, MAPPED_KEYS) : {};
  if (b.messages.some((m) => m.role === 'developer') && !b.messages.some((m) => m.role === 'system')) ext.systemRole = 'developer';

  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (maxTokens != null) req.maxOutputTokens = maxTokens;
  if (b.max_completion_tokens != null) ext.maxTokensField = 'max_completion_tokens';
  if (b.temperature != null) req.temperature = b.temperature;
  if (b.top_p != null) req.topP = b.top_p;
  if (b.top_k != null) req.topK = b.top_k;
  if (b.stop != null) {
    const stops = (typeof b.stop === 'string' ? [b.stop] : b.stop).filter((s) => s !== '');
    if (stops.length) req.stopSequences = stops;
  }
  if (b.seed != null) req.seed = b.seed;
  if (b.presence_penalty != null) req.presencePenalty = b.presence_penalty;
  if (b.frequency_penalty != null) req.frequencyPenalty = b.frequency_penalty;
  if (b.user) req.user = b.user;
  if (b.parallel_tool_calls != null) req.parallelToolCalls = b.parallel_tool_calls;

  const { tools, others } = decodeTools(b);
  if (tools.length) req.tools = tools;
  if (others.length) ext.tools = others;
  const choice = decodeToolChoice(b.tool_choice ?? b.function_call);
  if (choice) req.toolChoice = choice;
  if (b.response_format) req.responseFormat = decodeResponseFormat(b.response_format);
  const reasoning = decodeReasoningEffort(b.reasoning_effort);
  if (reasoning) req.reasoning = reasoning;
  if (Object.keys(ext).length) req.extensions = { 'openai-chat': ext };
  return req;
}

/**
 * Messages in order. System/developer turns go to `system` (the IR keeps one instruction list);
 * consecutive `tool` turns become one IR `tool` message so every format sees results grouped.
 */
function decodeMessages(messages: ChatMessage[], system: IrTextPart[]): IrMessage[] {
  const out: IrMessage[] = [];
  const push = (role: IrMessage['role'], parts: IrPart[], merge: boolean) => {
    const last = out[out.length - 1];
    if (merge && last?.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  };
  messages.forEach((m, mi) => {
    const path = `messages.${mi}`;
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = decodeContent(m.content, path).filter((p): p is IrTextPart => p.type === 'text').map((p) => p.text).join('\n');
        if (text) system.push({ type: 'text', text });
        break;
      }
      case 'user':
        push('user', decodeContent(m.content, path), false);
        break;
      case 'assistant':
        push('assistant', decodeAssistant(m, mi, path), false);
        break;
      case 'tool':
      case 'function': {
        const callId = m.tool_call_id ?? (m.role === 'function' ? m.name : undefined);
        if (!callId) throw new InvalidRequestError(`${path}.tool_call_id: required for role "tool"`, `${path}.tool_call_id`);
        const content = decodeContent(m.content, path).filter((p): p is IrTextPart | IrMediaPart => p.type === 'text' || p.type === 'media');
        push('tool', [{ type: 'tool-result', callId, content }], true);
        break;
      }
    }
  });
  return out;
}

function decodeAssistant(m: ChatMessage, mi: number, path: string): IrPart[] {
  const parts: IrPart[] = [];
  if (m.reasoning_content) parts.push({ type: 'reasoning', text: m.reasoning_content });
  parts.push(...decodeContent(m.content, path));
  (m.tool_calls ?? []).forEach((tc, i) => {
    const args = tc.function.arguments;
    parts.push({
      type: 'tool-call',
      id: tc.id || newCallId(`m${mi}`, i),
      name: tc.function.name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    });
  });
  if (m.function_call) {
    // Legacy single function call: its result comes back as role "function" keyed by name.
    parts.push({ type: 'tool-call', id: m.function_call.name, name: m.function_call.name, arguments: m.function_call.arguments ?? '{}' });
  }
  return parts;
}

function decodeContent(content: ChatMessage['content'], path: string): IrPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  const parts: IrPart[] = [];
  content.forEach((part, i) => {
    const p = `${path}.content.${i}`;
    switch (part.type) {
      case 'text':
        parts.push({ type: 'text', text: parseOrThrow(textPartSchema, part, p).text });
        break;
      case 'image_url': {
        const img = parseOrThrow(imagePartSchema, part, p).image_url;
        parts.push(mediaFromUrl(typeof img === 'string' ? img : img.url, 'image/jpeg'));
        break;
      }
      case 'input_audio': {
        const a = parseOrThrow(audioPartSchema, part, p).input_audio;
        parts.push({ type: 'media', mediaType: `audio/${a.format === 'mp3' ? 'mpeg' : (a.format ?? 'wav')}`, data: a.data });
        break;
      }
      case 'file': {
        const f = parseOrThrow(filePartSchema, part, p).file;
        if (!f.file_data) break; // file ids are bound to an OpenAI account and cannot travel
        const media = mediaFromUrl(f.file_data, guessMediaType(f.filename ?? '', 'application/pdf'));
        if (f.filename) media.filename = f.filename;
        parts.push(media);
        break;
      }
      case 'refusal':
        if (typeof part.refusal === 'string') parts.push({ type: 'text', text: part.refusal });
        break;
      default:
        break; // unknown part kinds have no neutral meaning
    }
  });
  return parts;
}

/** A data URL becomes inline bytes; anything else stays a URL. Bare base64 counts as data. */
function mediaFromUrl(url: string, fallbackType: string): IrMediaPart {
  const data = parseDataUrl(url);
  if (data) return { type: 'media', mediaType: data.mediaType, data: data.data };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return { type: 'media', mediaType: guessMediaType(url, fallbackType), url };
  return { type: 'media', mediaType: fallbackType, data: url };
}

function decodeTools(b: ChatRequest): { tools: IrTool[]; others: unknown[] } {
  const tools: IrTool[] = [];
  const others: unknown[] = [];
  (b.tools ?? []).forEach((t, i) => {
    if (t.type !== 'function') {
      others.push(t); // web_search, custom tools…: only an OpenAI upstream knows them
      return;
    }
    const f = parseOrThrow(functionToolSchema, t, `tools.${i}`).function;
    const tool: IrTool = { name: f.name, parameters: f.parameters ?? { type: 'object', properties: {} } };
    if (f.description) tool.description = f.description;
    if (f.strict != null) tool.strict = f.strict;
    tools.push(tool);
  });
  for (const f of b.functions ?? []) {
    const tool: IrTool = {
      name: f.name,
      parameters: isRecord(f.parameters) ? f.parameters : { type: 'object', properties: {} },
    };
    if (typeof f.description === 'string') tool.description = f.description;
    tools.push(tool);
  }
  return { tools, others };
}

function decodeToolChoice(c: ChatRequest['tool_choice'] | ChatRequest['function_call']): IrToolChoice | undefined {
  if (c == null) return undefined;
  if (typeof c === 'string') {
    if (c === 'auto' || c === 'none' || c === 'required') return { type: c };
    return undefined;
  }
  const name = 'function' in c && isRecord(c.function) ? c.function.name : (c as { name?: unknown }).name;
  if (typeof name === 'string') return { type: 'tool', name };
  return undefined;
}

function decodeResponseFormat(f: NonNullable<ChatRequest['response_format']>): IrRequest['responseFormat'] {
  const rf = parseOrThrow(responseFormatSchema, f, 'response_format');
  if (rf.type === 'text') return { type: 'text' };
  if (rf.type === 'json_object') return { type: 'json' };
  const js = rf.json_schema;
  if (!js?.schema) return { type: 'json' };
  const out: NonNullable<IrRequest['responseFormat']> = { type: 'json-schema', schema: js.schema };
  if (js.name) out.name = js.name;
  if (js.strict != null) out.strict = js.strict;
  return out;
}

/** `reasoning_effort` → IR (PROTOCOLS.md §3.12); `auto` means a dynamic budget, `max` the top level. */
export function decodeReasoningEffort(raw: string | null | undefined): IrReasoning | undefined {
  if (!raw) return undefined;
  const effort = raw.toLowerCase();
  if (effort === 'none') return { enabled: false, effort: 'none' };
  if (effort === 'auto') return { enabled: true, budgetTokens: -1, includeThoughts: true };
  if (effort === 'max') return { enabled: true, effort: 'xhigh', includeThoughts: true };
  if (isReasoningEffort(effort)) return { enabled: true, effort, includeThoughts: true };
  return undefined; // an unknown word is not worth refusing the request over
}

import type { z } from 'zod';
import type { IrMediaPart, IrMessage, IrPart, IrReasoning, IrRequest, IrTextPart, IrTool, IrToolChoice } from '../../ir';
import { budgetToEffort, isReasoningEffort } from '../../ir/reasoning';
import { InvalidRequestError } from '../protocol';
import {
  type AnyBlock,
  type ClaudeRequest,
  documentBlockSchema,
  imageBlockSchema,
  redactedThinkingBlockSchema,
  requestSchema,
  textBlockSchema,
  thinkingBlockSchema,
  toolResultBlockSchema,
  toolUseBlockSchema,
} from './schema';
import { newClaudeToolId } from './tool-ids';
import { plainClaudeRequest } from './plain-request';

function checked(body: unknown): ClaudeRequest {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new InvalidRequestError(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid request'}`, path || undefined);
  }
  return parsed.data;
}

/** Claude Messages request body → IR. Throws InvalidRequestError naming the bad path. */
export function decodeRequest(body: unknown, where: { model?: string; stream?: boolean } = {}): IrRequest {
  const b = plainClaudeRequest(body) ?? checked(body);
  const model = b.model ?? where.model;
  if (!model) throw new InvalidRequestError('model: required', 'model');

  const req: IrRequest = {
    model,
    stream: b.stream ?? where.stream ?? false,
    system: decodeSystem(b.system),
    messages: decodeMessages(b.messages),
  };
  if (b.max_tokens !== undefined) req.maxOutputTokens = b.max_tokens;
  if (b.temperature != null) req.temperature = b.temperature;
  if (b.top_p != null) req.topP = b.top_p;
  if (b.top_k != null) req.topK = b.top_k;
  if (b.stop_sequences?.length) req.stopSequences = b.stop_sequences;
  if (b.metadata?.user_id) req.user = b.metadata.user_id;

  const ext: Record<string, unknown> = {};
  const tools: IrTool[] = [];
  const serverTools: unknown[] = [];
  for (const t of b.tools ?? []) {
    // Server tools (web_search_20250305, bash_…) carry a versioned `type` and no schema: they only
    // mean something to Anthropic, so they ride in extensions for a Claude→Claude hop.
    if (t.type && t.type !== 'custom' && !t.input_schema) {
      serverTools.push(t);
      continue;
    }
    const tool: IrTool = { name: t.name, parameters: t.input_schema ?? { type: 'object', properties: {} } };
    if (t.description) tool.description = t.description;
    tools.push(tool);
  }
  if (tools.length) req.tools = tools;
  if (serverTools.length) ext.serverTools = serverTools;

  if (b.tool_choice) {
    const choice = decodeToolChoice(b.tool_choice);
    if (choice) req.toolChoice = choice;
    if (b.tool_choice.disable_parallel_tool_use) req.parallelToolCalls = false;
  }

  const reasoning = decodeThinking(b);
  if (reasoning) req.reasoning = reasoning;
  if (b.thinking?.type === 'adaptive' || b.thinking?.type === 'auto') ext.thinkingType = 'adaptive';
  if (Object.keys(ext).length) req.extensions = { 'claude-messages': ext };
  return req;
}

function decodeSystem(system: ClaudeRequest['system']): IrTextPart[] {
  if (system == null) return [];
  if (typeof system === 'string') return system ? [{ type: 'text', text: system }] : [];
  const out: IrTextPart[] = [];
  system.forEach((block, i) => {
    const t = parseBlock(textBlockSchema, block, `system.${i}`);
    out.push({ type: 'text', text: t.text });
  });
  return out;
}

/**
 * Claude puts tool results inside user turns; the IR gives them their own `tool` role so other
 * formats (OpenAI `role:"tool"`) can be built without looking inside user turns. Order within
 * the turn is kept by starting a new IR message whenever the role flips.
 */
function decodeMessages(messages: ClaudeRequest['messages']): IrMessage[] {
  const out: IrMessage[] = [];
  let generated = 0;
  const push = (role: IrMessage['role'], part: IrPart) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.parts.push(part);
    else out.push({ role, parts: [part] });
  };
  messages.forEach((m, mi) => {
    if (typeof m.content === 'string') {
      push(m.role, { type: 'text', text: m.content });
    } else {
      m.content.forEach((block, bi) => {
        const path = `messages.${mi}.content.${bi}`;
        if (block.type === 'tool_result') {
          push('tool', decodeToolResult(block, path));
          return;
        }
        if (block.type === 'tool_use') {
          const b = parseBlock(toolUseBlockSchema, block, path);
          push(m.role, {
            type: 'tool-call',
            id: b.id || newClaudeToolId(generated++),
            name: b.name,
            arguments: JSON.stringify(b.input ?? {}),
          });
          return;
        }
        const part = decodeContentBlock(block, path);
        if (part) push(m.role, part);
      });
    }
  });
  return out;
}

function decodeContentBlock(block: AnyBlock, path: string): IrPart | undefined {
  switch (block.type) {
    case 'text':
      // A text block with a string text is what the schema accepts unchanged.
      return { type: 'text', text: typeof block.text === 'string' ? block.text : parseBlock(textBlockSchema, block, path).text };
    case 'image':
    case 'document': {
      const b = block.type === 'image' ? parseBlock(imageBlockSchema, block, path) : parseBlock(documentBlockSchema, block, path);
      return decodeSource(b.source, block.type === 'image' ? 'image/jpeg' : 'application/pdf');
    }
    case 'thinking': {
      const b = parseBlock(thinkingBlockSchema, block, path);
      return b.signature ? { type: 'reasoning', text: b.thinking, signature: b.signature } : { type: 'reasoning', text: b.thinking };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: parseBlock(redactedThinkingBlockSchema, block, path).data };
    default:
      // server_tool_use, web_search_tool_result, container_upload…: Anthropic-only history
      // items with no neutral meaning; dropping them keeps other upstreams from refusing the turn.
      return undefined;
  }
}

function decodeSource(source: z.infer<typeof imageBlockSchema>['source'], fallbackType: string): IrPart | undefined {
  // The schema already checked the known kinds; reading fields by name keeps unknown kinds legal.
  const field = (key: string): string => String((source as Record<string, unknown>)[key] ?? '');
  switch (source.type) {
    case 'base64':
      return { type: 'media', mediaType: field('media_type'), data: field('data') };
    case 'url':
      return { type: 'media', mediaType: guessMediaType(field('url'), fallbackType), url: field('url') };
    case 'text':
      return { type: 'text', text: field('data') };
    default:
      return undefined; // Files API ids are account-bound; `content` sources have no neutral form.
  }
}

function decodeToolResult(block: AnyBlock, path: string): IrPart {
  const b = parseBlock(toolResultBlockSchema, block, path);
  const content: Array<IrTextPart | IrMediaPart> = [];
  if (typeof b.content === 'string') content.push({ type: 'text', text: b.content });
  else
    b.content?.forEach((inner, i) => {
      const part = decodeContentBlock(inner, `${path}.content.${i}`);
      if (part && (part.type === 'text' || part.type === 'media')) content.push(part);
    });
  return b.is_error
    ? { type: 'tool-result', callId: b.tool_use_id, content, isError: true }
    : { type: 'tool-result', callId: b.tool_use_id, content };
}

function decodeToolChoice(c: NonNullable<ClaudeRequest['tool_choice']>): IrToolChoice | undefined {
  switch (c.type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      if (!c.name) throw new InvalidRequestError('tool_choice.name: required for type "tool"', 'tool_choice.name');
      return { type: 'tool', name: c.name };
  }
}

/** `thinking` + `output_config.effort` → IR reasoning (PROTOCOLS.md §3.12). */
function decodeThinking(b: ClaudeRequest): IrReasoning | undefined {
  const t = b.thinking;
  if (!t) return undefined;
  if (t.type === 'disabled') return { enabled: false, effort: 'none' };
  if (t.type === 'enabled') {
    const budget = t.budget_tokens;
    if (budget === undefined) return { enabled: true, includeThoughts: true };
    return { enabled: true, budgetTokens: budget, effort: budgetToEffort(budget), includeThoughts: true };
  }
  // adaptive: the model decides how much to think; effort (low|medium|high|max) steers it.
  const raw = b.output_config?.effort;
  const effort = raw === 'max' ? 'xhigh' : isReasoningEffort(raw) ? raw : 'high';
  return { enabled: true, effort, includeThoughts: true };
}

function parseBlock<S extends z.ZodType>(schema: S, block: unknown, path: string): z.infer<S> {
  const r = schema.safeParse(block);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const full = [path, ...(issue?.path ?? [])].join('.');
  throw new InvalidRequestError(`${full}: ${issue?.message ?? 'invalid block'}`, full);
}

const EXT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

export function guessMediaType(url: string, fallback: string): string {
  const m = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url);
  return (m && EXT_TYPES[m[1].toLowerCase()]) || fallback;
}

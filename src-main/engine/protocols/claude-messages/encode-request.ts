import type { IrMessage, IrPart, IrReasoning, IrRequest, IrToolChoice } from '../../ir';
import { effortToBudget } from '../../ir/reasoning';
import type { EncodeContext } from '../protocol';
import { argumentsToObject, isRecord } from './json';
import { isClaudeSignature } from './signatures';
import { newClaudeToolId, sanitizeClaudeToolId } from './tool-ids';

/** Claude requires max_tokens; this is what the reference system sends when the client gave none. */
export const DEFAULT_MAX_TOKENS = 32000;

/** Claude 3.x models cap output far lower and refuse a larger max_tokens outright. */
export function defaultMaxTokens(model: string): number {
  if (/claude-3-(haiku|opus|sonnet)/i.test(model)) return 4096;
  if (/claude-3-5-/i.test(model)) return 8192;
  return DEFAULT_MAX_TOKENS;
}
const MIN_THINKING_BUDGET = 1024;

type Block = Record<string, unknown>;
interface ClaudeMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** IR → Claude Messages request body. */
export function encodeRequest(req: IrRequest, ctx: EncodeContext): { body: Record<string, unknown> } {
  const ext = req.extensions?.['claude-messages'] ?? {};
  const messages = encodeMessages(req.messages);
  const body: Record<string, unknown> = { model: ctx.upstreamModel, max_tokens: req.maxOutputTokens ?? defaultMaxTokens(ctx.upstreamModel) };
  const system = req.system.filter((p) => p.text).map((p) => ({ type: 'text', text: p.text }));
  const jsonHint = responseFormatHint(req.responseFormat);
  if (jsonHint) system.push({ type: 'text', text: jsonHint });
  if (system.length) body.system = system;
  body.messages = messages;

  const tools: unknown[] = (req.tools ?? []).map((t) => {
    const tool: Block = { name: t.name };
    if (t.description) tool.description = t.description;
    tool.input_schema = normaliseInputSchema(t.parameters);
    return tool;
  });
  if (Array.isArray(ext.serverTools)) tools.push(...ext.serverTools);
  if (tools.length) body.tools = tools;
  const choice = encodeToolChoice(req.toolChoice, req.parallelToolCalls, tools.length > 0);
  if (choice) body.tool_choice = choice;

  const thinking = canThink(messages) ? encodeThinking(req.reasoning, ctx.upstreamModel, ext.thinkingType === 'adaptive') : undefined;
  if (thinking) {
    Object.assign(body, thinking);
    const budget = (thinking.thinking as { budget_tokens?: number }).budget_tokens;
    if (budget !== undefined && budget >= (body.max_tokens as number)) {
      // Anthropic requires budget_tokens < max_tokens. A client-set max wins: the budget shrinks.
      if (req.maxOutputTokens !== undefined) {
        const shrunk = req.maxOutputTokens - 1;
        if (shrunk >= MIN_THINKING_BUDGET) (thinking.thinking as { budget_tokens: number }).budget_tokens = shrunk;
        else delete body.thinking;
      } else body.max_tokens = budget + 4096;
    }
  }
  // With thinking on, Anthropic refuses temperature ≠ 1, top_k, and top_p below 0.95. Newer
  // models also refuse temperature and top_p together: temperature wins, as in the reference.
  if (req.temperature !== undefined && !body.thinking) body.temperature = req.temperature;
  else if (req.topP !== undefined && (!body.thinking || req.topP >= 0.95)) body.top_p = req.topP;
  if (req.topK !== undefined && !body.thinking) body.top_k = req.topK;
  if (req.stopSequences?.length) body.stop_sequences = req.stopSequences;
  if (req.user) body.metadata = { user_id: req.user };
  body.stream = ctx.stream;
  return { body };
}

/**
 * IR roles → strictly alternating Claude turns. `tool` messages become user turns; consecutive
 * same-role turns are merged, with tool_result blocks first as Anthropic demands.
 */
export function encodeMessages(messages: IrMessage[]): ClaudeMessage[] {
  const out: ClaudeMessage[] = [];
  let generated = 0;
  const ids = new Map<string, string>();
  const idFor = (id: string) => {
    if (!id) return newClaudeToolId(generated++);
    let v = ids.get(id);
    if (!v) ids.set(id, (v = sanitizeClaudeToolId(id)));
    return v;
  };
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: Block[] = [];
    for (const p of m.parts) {
      const b = encodePart(p, role, idFor);
      if (b) blocks.push(b);
    }
    if (!blocks.length) continue; // Anthropic refuses empty turns.
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  }
  for (const m of out) {
    if (m.role !== 'user') continue;
    const results = m.content.filter((b) => b.type === 'tool_result');
    if (results.length && results.length < m.content.length) {
      m.content = [...results, ...m.content.filter((b) => b.type !== 'tool_result')];
    }
  }
  return out;
}

function encodePart(p: IrPart, role: 'user' | 'assistant', idFor: (id: string) => string): Block | undefined {
  switch (p.type) {
    case 'text':
      return p.text ? { type: 'text', text: p.text } : undefined; // empty text blocks are refused
    case 'media':
      return encodeMedia(p);
    case 'reasoning':
      if (role !== 'assistant') return undefined;
      if (p.redactedData) return { type: 'redacted_thinking', data: p.redactedData };
      // Unsigned or foreign-signed reasoning (another upstream's) would be rejected as an invalid
      // signature: only Anthropic-signed thinking goes back, byte for byte.
      if (!isClaudeSignature(p.signature)) return undefined;
      return { type: 'thinking', thinking: p.text, signature: p.signature };
    case 'tool-call':
      return { type: 'tool_use', id: idFor(p.id), name: p.name, input: argumentsToObject(p.arguments) };
    case 'tool-result': {
      const blocks = p.content.map((c) => (c.type === 'text' ? { type: 'text', text: c.text } : encodeMedia(c))).filter(
        (b): b is Block => b !== undefined && !(b.type === 'text' && b.text === ''),
      );
      const onlyText = blocks.every((b) => b.type === 'text');
      const block: Block = {
        type: 'tool_result',
        tool_use_id: idFor(p.callId),
        content: onlyText ? blocks.map((b) => b.text as string).join('\n') : blocks,
      };
      if (p.isError) block.is_error = true;
      return block;
    }
  }
}

function encodeMedia(p: Extract<IrPart, { type: 'media' }>): Block | undefined {
  const kind = p.mediaType.startsWith('image/') ? 'image' : p.mediaType === 'application/pdf' ? 'document' : undefined;
  if (kind) {
    if (p.data !== undefined) return { type: kind, source: { type: 'base64', media_type: p.mediaType, data: p.data } };
    if (p.url) return { type: kind, source: { type: 'url', url: p.url } };
    return undefined;
  }
  if (p.mediaType.startsWith('text/') && p.data !== undefined) {
    const text = Buffer.from(p.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text } };
  }
  return undefined; // Claude has no block for other file types.
}

function encodeToolChoice(c: IrToolChoice | undefined, parallel: boolean | undefined, hasTools: boolean): Block | undefined {
  if (!hasTools) return undefined;
  let out: Block | undefined;
  switch (c?.type) {
    case 'auto':
      out = { type: 'auto' };
      break;
    case 'required':
      out = { type: 'any' };
      break;
    case 'none':
      out = { type: 'none' };
      break;
    case 'tool':
      out = { type: 'tool', name: c.name };
      break;
  }
  if (parallel === false && out?.type !== 'none') out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

/** Models that take `thinking:{type:"adaptive"}` + `output_config.effort` instead of a budget. */
export function supportsAdaptiveThinking(model: string): boolean {
  return /claude-(opus|sonnet)-4-[6-9]|claude-(opus|sonnet|haiku)-[5-9]/i.test(model);
}

function encodeThinking(r: IrReasoning | undefined, model: string, wasAdaptive: boolean): Record<string, unknown> | undefined {
  if (!r || !r.enabled || r.effort === 'none' || r.budgetTokens === 0) return undefined;
  if (wasAdaptive || (r.budgetTokens === undefined && r.effort && supportsAdaptiveThinking(model))) {
    const effort = r.effort === 'minimal' ? 'low' : r.effort === 'xhigh' ? (wasAdaptive ? 'max' : 'high') : r.effort;
    return effort ? { thinking: { type: 'adaptive' }, output_config: { effort } } : { thinking: { type: 'adaptive' } };
  }
  const budget = r.budgetTokens !== undefined && r.budgetTokens > 0 ? r.budgetTokens : effortToBudget(r.effort ?? 'medium');
  return { thinking: { type: 'enabled', budget_tokens: Math.max(MIN_THINKING_BUDGET, budget) } };
}

/**
 * With thinking on, Anthropic wants the assistant turn of an unfinished tool loop to start with a
 * signed thinking block. History produced by another upstream has none, so thinking is left off
 * for that request rather than failing it.
 */
function canThink(messages: ClaudeMessage[]): boolean {
  const lastAssistant = [...messages].reverse().find((m) => m.role === 'assistant');
  if (!lastAssistant || !lastAssistant.content.some((b) => b.type === 'tool_use')) return true;
  const first = lastAssistant.content[0]?.type;
  return first === 'thinking' || first === 'redacted_thinking';
}

/**
 * Claude's structured output needs a beta header the request codec cannot set, so JSON mode
 * from other formats becomes an instruction instead of being silently ignored.
 */
function responseFormatHint(rf: IrRequest['responseFormat']): string | undefined {
  if (!rf || rf.type === 'text') return undefined;
  if (rf.type === 'json') return 'Respond with a single valid JSON value only, without prose or code fences.';
  return `Respond with a single valid JSON value only, without prose or code fences, matching this JSON Schema:\n${JSON.stringify(rf.schema)}`;
}

function normaliseInputSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(schema) || Object.keys(schema).length === 0) return { type: 'object', properties: {} };
  return schema.type === undefined ? { type: 'object', ...schema } : schema;
}

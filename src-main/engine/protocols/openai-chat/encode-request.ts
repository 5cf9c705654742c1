import type { IrMediaPart, IrMessage, IrReasoning, IrRequest, IrTextPart, IrToolResultPart } from '../../ir';
import { budgetToEffort } from '../../ir/reasoning';
import type { EncodeContext } from '../protocol';
import { collectToolNames } from '../openai-responses/encode-request';
import { openaiToolNames, reverseRenames } from '../openai-responses/tool-names';
import { toDataUrl } from './json';

type Json = Record<string, unknown>;

/** OpenAI models that only accept `max_completion_tokens` (o1, o3, o4-mini, gpt-5…). */
const REASONING_MODEL = /^(o\d|gpt-5)/i;

/**
 * IR → OpenAI Chat Completions body (for OpenAI-compatible upstreams). Fields the target cannot
 * express are dropped: Claude thinking signatures and redacted thinking (chat has no slot), and
 * tool-result images, which are re-sent as a user turn because `tool` messages take text only.
 * Tool names OpenAI would refuse are rewritten; the reverse map comes back as `toolNames`.
 */
export function encodeRequest(req: IrRequest, ctx: EncodeContext): { body: Json; toolNames?: Map<string, string> } {
  const ext = req.extensions?.['openai-chat'] ?? {};
  // OpenAI and most clones refuse names outside [A-Za-z0-9_-]{1,64}; rename and remember.
  const names = openaiToolNames(collectToolNames(req));
  const rename = (n: string) => names.get(n) ?? n;
  const body: Json = {};
  // Same-format hop: unknown client fields (n, logprobs, metadata, …) come back first so the
  // mapped fields below win over them.
  for (const [k, v] of Object.entries(ext)) if (k !== 'systemRole' && k !== 'maxTokensField' && k !== 'tools') body[k] = v;
  body.model = ctx.upstreamModel;
  const systemRole = ext.systemRole === 'developer' ? 'developer' : 'system';
  const messages: Json[] = req.system.map((s) => ({ role: systemRole, content: s.text }));
  for (const m of req.messages) encodeMessage(m, messages, rename);
  body.messages = messages;
  body.stream = ctx.stream;
  if (ctx.stream) body.stream_options = { include_usage: true };

  if (req.maxOutputTokens !== undefined) {
    // OpenAI's reasoning models refuse `max_tokens`; everyone else knows it best.
    const modern = ext.maxTokensField === 'max_completion_tokens' || REASONING_MODEL.test(ctx.upstreamModel);
    body[modern ? 'max_completion_tokens' : 'max_tokens'] = req.maxOutputTokens;
  }
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stopSequences?.length) body.stop = req.stopSequences;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.user) body.user = req.user;

  const tools: unknown[] = (req.tools ?? []).map((t) => {
    const fn: Json = { name: rename(t.name) };
    if (t.description) fn.description = t.description;
    fn.parameters = t.parameters;
    if (t.strict !== undefined) fn.strict = t.strict;
    return { type: 'function', function: fn };
  });
  if (Array.isArray(ext.tools)) tools.push(...(ext.tools as unknown[]));
  if (tools.length) body.tools = tools;
  if (req.toolChoice) {
    body.tool_choice = req.toolChoice.type === 'tool' ? { type: 'function', function: { name: rename(req.toolChoice.name) } } : req.toolChoice.type;
  }
  if (req.parallelToolCalls !== undefined && tools.length) body.parallel_tool_calls = req.parallelToolCalls;

  const rf = req.responseFormat;
  if (rf?.type === 'text') body.response_format = { type: 'text' };
  else if (rf?.type === 'json') body.response_format = { type: 'json_object' };
  else if (rf?.type === 'json-schema') {
    const js: Json = { name: rf.name ?? 'response', schema: rf.schema };
    if (rf.strict !== undefined) js.strict = rf.strict;
    body.response_format = { type: 'json_schema', json_schema: js };
  }
  const effort = encodeReasoningEffort(req.reasoning);
  if (effort) body.reasoning_effort = effort;
  const toolNames = reverseRenames(names);
  return toolNames ? { body, toolNames } : { body };
}

/** IR reasoning → `reasoning_effort`; a budget is converted to the nearest level (§3.12). */
export function encodeReasoningEffort(r: IrReasoning | undefined): string | undefined {
  if (!r) return undefined;
  // Disabled: say nothing. `reasoning_effort: "none"` is refused by non-reasoning models and by
  // reasoning models older than gpt-5.1, while leaving it out is accepted everywhere.
  if (!r.enabled) return undefined;
  if (r.effort) return r.effort;
  if (r.budgetTokens === -1) return 'auto';
  if (r.budgetTokens !== undefined) return budgetToEffort(r.budgetTokens);
  return 'medium';
}

function encodeMessage(m: IrMessage, out: Json[], rename: (n: string) => string): void {
  if (m.role === 'tool') {
    const media: IrMediaPart[] = [];
    for (const p of m.parts) if (p.type === 'tool-result') out.push(encodeToolResult(p, media));
    if (media.length) out.push({ role: 'user', content: media.map(encodeMediaPart) });
    return;
  }
  if (m.role === 'user') {
    // Tool results inside a user turn (should not happen after decode, but be tolerant).
    const results = m.parts.filter((p): p is IrToolResultPart => p.type === 'tool-result');
    const media: IrMediaPart[] = [];
    for (const r of results) out.push(encodeToolResult(r, media));
    const content = m.parts.filter((p): p is IrTextPart | IrMediaPart => p.type === 'text' || p.type === 'media');
    content.push(...media);
    if (content.length || !results.length) out.push({ role: 'user', content: encodeUserContent(content) });
    return;
  }
  const msg: Json = { role: 'assistant' };
  const text = m.parts.filter((p): p is IrTextPart => p.type === 'text').map((p) => p.text).join('');
  const reasoning = m.parts.filter((p) => p.type === 'reasoning').map((p) => (p.type === 'reasoning' ? p.text : '')).join('');
  const calls = m.parts.flatMap((p) =>
    p.type === 'tool-call' ? [{ id: p.id, type: 'function', function: { name: rename(p.name), arguments: p.arguments || '{}' } }] : [],
  );
  msg.content = text || (calls.length ? null : '');
  // DeepSeek / Kimi thinking models want their reasoning back on tool-call turns.
  if (reasoning) msg.reasoning_content = reasoning;
  if (calls.length) msg.tool_calls = calls;
  out.push(msg);
}

function encodeToolResult(p: IrToolResultPart, spill: IrMediaPart[]): Json {
  const texts: string[] = [];
  for (const c of p.content) {
    if (c.type === 'text') texts.push(c.text);
    else spill.push(c);
  }
  return { role: 'tool', tool_call_id: p.callId, content: texts.join('\n') };
}

/** A lone text part stays a plain string: the most widely accepted form. */
function encodeUserContent(parts: Array<IrTextPart | IrMediaPart>): string | Json[] {
  if (parts.length === 1 && parts[0].type === 'text') return parts[0].text;
  if (parts.length === 0) return '';
  return parts.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : encodeMediaPart(p)));
}

function encodeMediaPart(p: IrMediaPart): Json {
  const url = p.url ?? toDataUrl(p.mediaType, p.data ?? '');
  if (p.mediaType.startsWith('image/') || p.url) return { type: 'image_url', image_url: { url } };
  if (p.mediaType.startsWith('audio/') && p.data) {
    const format = p.mediaType === 'audio/mpeg' ? 'mp3' : p.mediaType.slice('audio/'.length);
    return { type: 'input_audio', input_audio: { data: p.data, format } };
  }
  const file: Json = { file_data: url };
  if (p.filename) file.filename = p.filename;
  return { type: 'file', file };
}

import type { IrMediaPart, IrMessage, IrReasoning, IrRequest, IrTextPart, IrToolResultPart } from '../../ir';
import { budgetToEffort } from '../../ir/reasoning';
import type { EncodeContext } from '../protocol';
import { isRecord, safeJsonParse, toDataUrl } from '../openai-chat/json';
import { openaiToolNames, reverseRenames } from './tool-names';

type Json = Record<string, unknown>;

/** Private extension keys that are not wire fields. */
const PRIVATE_KEYS = new Set(['tools', 'verbosity', 'reasoningSummary', 'customTools']);

/**
 * OpenAI's encrypted reasoning is a Fernet token (`gAAAAA…`). Reasoning signed by another
 * family (Claude signatures, Gemini thought signatures) would be refused as undecryptable, so
 * only ours is sent back; the rest is dropped with its text (the model cannot read it anyway).
 */
export function isOpenAIEncryptedReasoning(signature: string | undefined): signature is string {
  return !!signature && signature.startsWith('gAAAAA');
}

/**
 * IR → Responses API body (OpenAI Responses, Codex backend, xAI). System text becomes
 * `instructions`. Not expressible here and dropped: stop sequences, seed, penalties, top_k.
 * Tool names over 64 characters (Codex) or with characters OpenAI refuses are rewritten; the
 * reverse map is returned as `toolNames` so responses show the client its own names.
 */
export function encodeRequest(req: IrRequest, ctx: EncodeContext): { body: Json; toolNames?: Map<string, string> } {
  const ext = req.extensions?.['openai-responses'] ?? {};
  const chatExt = req.extensions?.['openai-chat'] ?? {};
  const names = openaiToolNames(collectToolNames(req));
  const rename = (n: string) => names.get(n) ?? n;

  const body: Json = {};
  for (const [k, v] of Object.entries(ext)) if (!PRIVATE_KEYS.has(k)) body[k] = v;
  body.model = ctx.upstreamModel;
  if (req.system.length) body.instructions = req.system.map((s) => s.text).join('\n\n');
  // Free-form tools a Responses client declared: their definitions come back from extensions and
  // their calls go out as custom_tool_call items again.
  const custom = new Set(Array.isArray(ext.customTools) && Array.isArray(ext.tools) ? (ext.customTools as string[]) : []);
  const input: Json[] = [];
  const customCalls = new Set<string>();
  for (const m of req.messages) encodeMessage(m, input, rename, custom, customCalls);
  body.input = input;
  body.stream = ctx.stream;

  const tools: unknown[] = (req.tools ?? []).filter((t) => !custom.has(t.name)).map((t) => {
    const tool: Json = { type: 'function', name: rename(t.name) };
    if (t.description) tool.description = t.description;
    tool.parameters = t.parameters;
    // The Responses API defaults `strict` to true, which refuses most hand-written schemas.
    tool.strict = t.strict ?? false;
    return tool;
  });
  if (Array.isArray(ext.tools)) tools.push(...(ext.tools as unknown[]));
  if (tools.length) body.tools = tools;
  const choice = req.toolChoice;
  if (choice?.type === 'tool') body.tool_choice = custom.has(choice.name) ? { type: 'custom', name: choice.name } : { type: 'function', name: rename(choice.name) };
  else if (choice) body.tool_choice = choice.type;
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxOutputTokens !== undefined) body.max_output_tokens = req.maxOutputTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.user) body.user = req.user;

  const text: Json = {};
  const rf = req.responseFormat;
  if (rf?.type === 'text') text.format = { type: 'text' };
  else if (rf?.type === 'json') text.format = { type: 'json_object' };
  else if (rf?.type === 'json-schema') {
    const format: Json = { type: 'json_schema', name: rf.name ?? 'response', schema: rf.schema };
    if (rf.strict !== undefined) format.strict = rf.strict;
    text.format = format;
  }
  const verbosity = ext.verbosity ?? chatExt.verbosity;
  if (typeof verbosity === 'string') text.verbosity = verbosity;
  if (Object.keys(text).length) body.text = text;

  const reasoning = encodeReasoning(req.reasoning, ext.reasoningSummary);
  if (reasoning) {
    body.reasoning = reasoning;
    // Ask for the encrypted reasoning so the next turn can hand it back (works with store:false).
    const include = Array.isArray(body.include) ? (body.include as unknown[]) : [];
    if (!include.includes('reasoning.encrypted_content')) body.include = [...include, 'reasoning.encrypted_content'];
  }
  const toolNames = reverseRenames(names);
  return toolNames ? { body, toolNames } : { body };
}

export function collectToolNames(req: IrRequest): string[] {
  const names = (req.tools ?? []).map((t) => t.name);
  for (const m of req.messages) for (const p of m.parts) if (p.type === 'tool-call') names.push(p.name);
  if (req.toolChoice?.type === 'tool') names.push(req.toolChoice.name);
  return names;
}

/** IR reasoning → `{effort, summary}`; summary "auto" whenever the client wants reasoning text. */
export function encodeReasoning(r: IrReasoning | undefined, summary?: unknown): { effort?: string; summary?: string } | undefined {
  if (!r) return undefined;
  // Disabled: leave it out. Only gpt-5.1+ accept effort "none"; the others refuse it.
  if (!r.enabled) return undefined;
  const out: { effort?: string; summary?: string } = {};
  if (r.effort) out.effort = r.effort;
  else if (r.budgetTokens !== undefined) out.effort = budgetToEffort(r.budgetTokens);
  if (r.includeThoughts !== false) out.summary = typeof summary === 'string' ? summary : 'auto';
  return Object.keys(out).length ? out : undefined;
}

function encodeMessage(m: IrMessage, out: Json[], rename: (n: string) => string, custom: Set<string>, customCalls: Set<string>): void {
  if (m.role === 'tool') {
    for (const p of m.parts) if (p.type === 'tool-result') out.push(encodeToolResult(p, customCalls));
    return;
  }
  if (m.role === 'user') {
    const content: Json[] = [];
    for (const p of m.parts) {
      if (p.type === 'text') content.push({ type: 'input_text', text: p.text });
      else if (p.type === 'media') content.push(encodeMedia(p));
      else if (p.type === 'tool-result') out.push(encodeToolResult(p, customCalls));
    }
    if (content.length || !m.parts.length) out.push({ type: 'message', role: 'user', content });
    return;
  }
  // Assistant turn: consecutive text parts form one output message; other parts are items.
  let text: Json[] | undefined;
  for (const p of m.parts) {
    if (p.type === 'text') {
      if (!text) {
        text = [];
        out.push({ type: 'message', role: 'assistant', content: text });
      }
      text.push({ type: 'output_text', text: p.text });
      continue;
    }
    text = undefined;
    if (p.type === 'tool-call' && custom.has(p.name)) {
      customCalls.add(p.id);
      out.push({ type: 'custom_tool_call', call_id: p.id, name: p.name, input: customInput(p.arguments) });
    } else if (p.type === 'tool-call') {
      out.push({ type: 'function_call', call_id: p.id, name: rename(p.name), arguments: p.arguments || '{}' });
    } else if (p.type === 'reasoning' && isOpenAIEncryptedReasoning(p.signature)) {
      out.push({ type: 'reasoning', summary: p.text ? [{ type: 'summary_text', text: p.text }] : [], encrypted_content: p.signature });
    }
  }
}

/** `{"input": "..."}` (how other formats call a custom tool) → the raw input text. */
function customInput(args: string): string {
  const v = safeJsonParse(args);
  return isRecord(v) && typeof v.input === 'string' ? v.input : args;
}

function encodeToolResult(p: IrToolResultPart, customCalls: Set<string>): Json {
  const onlyText = p.content.every((c) => c.type === 'text');
  const output = onlyText
    ? p.content.map((c) => (c as IrTextPart).text).join('\n')
    : p.content.map((c) => (c.type === 'text' ? { type: 'input_text', text: c.text } : encodeMedia(c)));
  return { type: customCalls.has(p.callId) ? 'custom_tool_call_output' : 'function_call_output', call_id: p.callId, output };
}

function encodeMedia(p: IrMediaPart): Json {
  const url = p.url ?? toDataUrl(p.mediaType, p.data ?? '');
  if (p.mediaType.startsWith('image/')) return { type: 'input_image', image_url: url, detail: 'auto' };
  const file: Json = { type: 'input_file' };
  if (p.url) file.file_url = p.url;
  else file.file_data = url;
  file.filename = p.filename ?? `file.${p.mediaType.split('/')[1] ?? 'bin'}`;
  return file;
}

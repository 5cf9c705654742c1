import type { IrFinishReason, IrResponse, IrUsage } from '../../ir';
import { argumentsToObject } from '../shared/json';
import type { ResponseContext } from '../protocol';
import { createdAt, type RequestTiming } from './timing';

/** Which Ollama endpoint the client called: the answer's shape follows it. */
export type OllamaEndpoint = 'chat' | 'generate';

export interface OllamaToolCall {
  id: string;
  function: { index: number; name: string; arguments: Record<string, unknown> };
}

/** Ollama's `done_reason` words: `stop` (also after tool calls) and `length`. */
export function doneReason(reason: IrFinishReason): string {
  return reason === 'length' ? 'length' : 'stop';
}

/** The counters and durations of the closing object (`done: true`). */
export function closingStats(usage: IrUsage | undefined, timing: RequestTiming): Record<string, number> {
  const d = timing.durations();
  return {
    total_duration: d.total_duration,
    load_duration: d.load_duration,
    prompt_eval_count: usage?.inputTokens ?? 0,
    prompt_eval_duration: d.prompt_eval_duration,
    eval_count: usage?.outputTokens ?? 0,
    eval_duration: d.eval_duration,
  };
}

export function toolCall(index: number, id: string, name: string, args: string): OllamaToolCall {
  return { id, function: { index, name, arguments: argumentsToObject(args) } };
}

/** A whole answer (`"stream": false`) as `/api/chat` or `/api/generate` returns it. */
export function encodeResponse(endpoint: OllamaEndpoint, timing: RequestTiming, res: IrResponse, ctx: ResponseContext): Record<string, unknown> {
  let content = '';
  let thinking = '';
  const calls: OllamaToolCall[] = [];
  for (const p of res.parts) {
    if (p.type === 'text') content += p.text;
    else if (p.type === 'reasoning') thinking += p.text;
    else if (p.type === 'tool-call') calls.push(toolCall(calls.length, p.id, ctx.toolNames?.get(p.name) ?? p.name, p.arguments));
  }
  if (content || thinking || calls.length) timing.markFirstToken();
  const head = { model: ctx.clientModel, created_at: createdAt() };
  const tail = { done: true, done_reason: doneReason(res.finishReason), ...closingStats(res.usage, timing) };
  if (endpoint === 'generate') return { ...head, response: content, ...(thinking ? { thinking } : {}), ...tail };
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (thinking) message.thinking = thinking;
  if (calls.length) message.tool_calls = calls;
  return { ...head, message, ...tail };
}

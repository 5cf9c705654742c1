import type { z } from 'zod';
import type { responseSchema } from './schema';

type ChatResponse = z.infer<typeof responseSchema>;

/**
 * The everyday `chat.completion` (text or tool calls, usage) checked by hand, as strictly as
 * `responseSchema` checks it: then the body is its own parse (the schema is loose and has no
 * defaults or transforms, so zod would hand back an equal object). Anything less usual — content
 * parts, images, argument objects, a field of the wrong type — answers undefined, and the schema
 * decides (and explains). zod's object walk per answer was most of a translated answer's decode.
 */
export function plainChatCompletion(body: unknown): ChatResponse | undefined {
  if (!isObject(body)) return undefined;
  if (!isStr(body.id) || !isStr(body.model) || !isNum(body.created)) return undefined;
  const choices = body.choices;
  if (choices !== undefined && choices !== null) {
    if (!Array.isArray(choices)) return undefined;
    for (const c of choices) if (!plainChoice(c)) return undefined;
  }
  const usage = body.usage;
  if (usage !== undefined && usage !== null && !plainUsage(usage)) return undefined;
  return body as ChatResponse;
}

function plainChoice(c: unknown): boolean {
  if (!isObject(c) || !isNum(c.index) || !isStr(c.finish_reason)) return false;
  const m = c.message;
  if (m === undefined || m === null) return true;
  if (!isObject(m)) return false;
  if (!isStr(m.role) || !isStr(m.content) || !isStr(m.reasoning_content) || !isStr(m.reasoning) || !isStr(m.refusal)) return false;
  if (!absent(m.function_call) || !absent(m.images)) return false;
  const calls = m.tool_calls;
  if (calls === undefined || calls === null) return true;
  if (!Array.isArray(calls)) return false;
  for (const t of calls) if (!plainToolCall(t)) return false;
  return true;
}

function plainToolCall(t: unknown): boolean {
  if (!isObject(t) || !isNum(t.index) || !isStr(t.id) || !isStr(t.type)) return false;
  const f = t.function;
  if (f === undefined || f === null) return true;
  return isObject(f) && isStr(f.name) && isStr(f.arguments);
}

function plainUsage(u: unknown): boolean {
  if (!isObject(u) || !isNum(u.prompt_tokens) || !isNum(u.completion_tokens) || !isNum(u.total_tokens)) return false;
  const p = u.prompt_tokens_details;
  if (p !== undefined && p !== null && !(isObject(p) && isNum(p.cached_tokens))) return false;
  const d = u.completion_tokens_details;
  return d === undefined || d === null || (isObject(d) && isNum(d.reasoning_tokens));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** string | null | undefined (`z.string().nullish()`). */
function isStr(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string';
}

/** finite number | null | undefined (`z.number().nullish()`: zod 4 refuses NaN and ±Infinity). */
function isNum(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));
}

function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

import type { ClaudeRequest } from './schema';

/**
 * The everyday Messages request (text and blocks, tools with schemas, metadata) checked by hand
 * at least as strictly as `requestSchema` checks it: then the body is its own parse (the schema
 * is loose, without defaults or transforms, so zod would hand back an equal object). Anything
 * else — tool_choice, thinking, output_config, a value of the wrong type — answers undefined and
 * the schema decides (and names the bad path). Decoding reads the result and never writes to it.
 */
export function plainClaudeRequest(body: unknown): ClaudeRequest | undefined {
  if (!isObject(body)) return undefined;
  const b = body;
  if (b.model !== undefined && typeof b.model !== 'string') return undefined;
  if (b.max_tokens !== undefined && !(Number.isSafeInteger(b.max_tokens) && (b.max_tokens as number) > 0)) return undefined;
  if (!Array.isArray(b.messages)) return undefined;
  for (const m of b.messages) if (!plainMessage(m)) return undefined;
  const system = b.system;
  if (!absent(system) && typeof system !== 'string' && !blocks(system)) return undefined;
  if (!absent(b.stream) && typeof b.stream !== 'boolean') return undefined;
  if (!isNum(b.temperature) || !isNum(b.top_p)) return undefined;
  if (!absent(b.top_k) && !Number.isSafeInteger(b.top_k)) return undefined;
  const stops = b.stop_sequences;
  if (!absent(stops) && !(Array.isArray(stops) && stops.every((s) => typeof s === 'string'))) return undefined;
  const tools = b.tools;
  if (!absent(tools) && !(Array.isArray(tools) && tools.every(plainTool))) return undefined;
  if (!absent(b.tool_choice) || !absent(b.thinking) || !absent(b.output_config)) return undefined;
  const meta = b.metadata;
  if (!absent(meta) && !(isObject(meta) && (absent(meta.user_id) || typeof meta.user_id === 'string'))) return undefined;
  return b as ClaudeRequest;
}

function plainMessage(m: unknown): boolean {
  if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) return false;
  return typeof m.content === 'string' || blocks(m.content);
}

/** An array of objects with a string `type` (`anyBlockSchema[]`). */
function blocks(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!isObject(x) || typeof x.type !== 'string') return false;
  return true;
}

function plainTool(t: unknown): boolean {
  if (!isObject(t) || typeof t.name !== 'string') return false;
  if (!absent(t.type) && typeof t.type !== 'string') return false;
  if (!absent(t.description) && typeof t.description !== 'string') return false;
  return absent(t.input_schema) || isObject(t.input_schema);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** finite number | null | undefined (`z.number().nullish()`). */
function isNum(v: unknown): boolean {
  return absent(v) || (typeof v === 'number' && Number.isFinite(v));
}

function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

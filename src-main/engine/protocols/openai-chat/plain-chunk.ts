import type { ChatChunk } from './schema';

/*
 * The shapes nearly every chat stream chunk has, checked by hand: validating each of a stream's
 * chunks with zod was the largest cost of decoding it. Only what `chunkSchema` would accept as it
 * is passes here; anything else (tool calls, images, content parts, usage objects, unknown delta
 * fields) returns false and goes through `chunkSchema`, so the decoder sees the same values.
 */

const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;
const stringOrNullish = (v: unknown): boolean => isNullish(v) || typeof v === 'string';
const numberOrNullish = (v: unknown): boolean => isNullish(v) || (typeof v === 'number' && Number.isFinite(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Delta fields a text chunk carries, all strings (or null) in `responseMessageSchema`. */
const TEXT_DELTA_KEYS: ReadonlySet<string> = new Set(['role', 'content', 'reasoning_content', 'reasoning', 'refusal']);

function isPlainDelta(d: unknown): boolean {
  if (isNullish(d)) return true;
  if (!isObject(d)) return false;
  for (const k in d) {
    if (!Object.hasOwn(d, k)) continue;
    if (!TEXT_DELTA_KEYS.has(k) || !stringOrNullish(d[k])) return false;
  }
  return true;
}

function isPlainChoice(c: unknown): boolean {
  return isObject(c) && numberOrNullish(c.index) && stringOrNullish(c.finish_reason) && isPlainDelta(c.delta);
}

/** A chunk `chunkSchema` accepts unchanged: text/reasoning deltas, finish reasons, no usage object. */
export function isPlainChunk(json: Record<string, unknown>): json is ChatChunk & Record<string, unknown> {
  if (!stringOrNullish(json.id) || !stringOrNullish(json.model) || !numberOrNullish(json.created) || !isNullish(json.usage)) return false;
  const choices = json.choices;
  if (isNullish(choices)) return true;
  if (!Array.isArray(choices)) return false;
  for (const c of choices) if (!isPlainChoice(c)) return false;
  return true;
}

const USAGE_KEY = '"usage"';

/** Does the event's JSON text hold a `"usage"` key whose value is an object (not `null`)? */
export function hasUsageObject(data: string): boolean {
  for (let i = data.indexOf(USAGE_KEY); i !== -1; i = data.indexOf(USAGE_KEY, i + USAGE_KEY.length)) {
    let j = i + USAGE_KEY.length;
    while (isSpace(data.charCodeAt(j))) j++;
    if (data.charCodeAt(j) !== 58 /* : */) continue;
    j++;
    while (isSpace(data.charCodeAt(j))) j++;
    if (data.charCodeAt(j) === 123 /* { */) return true;
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

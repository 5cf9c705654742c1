/**
 * JSON helpers for untrusted text. `__proto__` keys are dropped so a hostile upstream or client
 * cannot poison prototypes of objects we later spread.
 */
export function safeJsonParse(text: string): unknown {
  try {
    // The reviver costs a call per key, so it only runs when the text could need it.
    return text.includes('__proto__') ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tool arguments text → object; anything that is not a JSON object becomes `{}`. */
export function argumentsToObject(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  const v = safeJsonParse(text);
  return isRecord(v) ? v : {};
}

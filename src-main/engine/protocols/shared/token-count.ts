import { isRecord } from './json';

/**
 * The lean usage readers (`Protocol.readUsage`) look at a few fields of an untrusted body; a
 * count is kept only when it is a non-negative whole number, anything else is left absent.
 */
export function tokenCount(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** `obj[key]` when it is an object, else undefined (never throws on a strange body). */
export function recordAt(obj: unknown, key: string): Record<string, unknown> | undefined {
  if (!isRecord(obj)) return undefined;
  const v = obj[key];
  return isRecord(v) ? v : undefined;
}

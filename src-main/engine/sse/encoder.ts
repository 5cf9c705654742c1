import type { SseEvent } from './types';

/** One SSE event as wire text. Multi-line data is split into several `data:` lines. */
export function encodeSse(ev: SseEvent): string {
  let out = '';
  if (ev.event) out += `event: ${ev.event}\n`;
  if (ev.id) out += `id: ${ev.id}\n`;
  const data = ev.data;
  if (data.indexOf('\n') === -1) return `${out}data: ${data}\n\n`;
  for (const line of data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** `data: <json>\n\n`, the common case, without building an event object. */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** `event: <name>\ndata: <json>\n\n`. */
export function sseNamed(event: string, value: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

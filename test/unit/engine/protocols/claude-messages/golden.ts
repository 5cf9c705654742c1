import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import type { StreamDecoder } from '../../../../../src-main/engine/protocols/protocol';
import { SseDecoder } from '../../../../../src-main/engine/sse/decoder';
import { checkGoldenFile, FIXTURES } from '../golden';

export { FIXTURES };

/**
 * Golden-file helpers of the Claude and Gemini codec tests. Inputs live in
 * test/fixtures/<protocol>/<kind>/, expected outputs next to them under expected/; comparing and
 * updating is the shared harness in ../golden.ts (a missing expected file fails).
 */

export function fixtureNames(dir: string, ext: string): string[] {
  const full = join(FIXTURES, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith(ext))
    .map((f) => f.slice(0, -ext.length))
    .sort();
}

export function readText(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readText(path)) as T;
}

export function expectGoldenJson(actual: unknown, path: string): void {
  const value = normalise(actual);
  checkGoldenFile(`${JSON.stringify(value, null, 2)}\n`, path, (_, expected) => expect(value).toEqual(JSON.parse(expected)));
}

export function expectGoldenText(actual: string, path: string): void {
  const value = normaliseText(actual);
  checkGoldenFile(value, path, (got, expected) => expect(got).toBe(expected));
}

/** Ids and clocks that change per run become placeholders so goldens stay stable. */
export function normalise(value: unknown): unknown {
  return JSON.parse(normaliseText(JSON.stringify(value)), (key, v: unknown) => (key === 'created' && typeof v === 'number' ? 0 : v));
}

export function normaliseText(text: string): string {
  return text
    .replace(/msg_[0-9a-f]{24}/g, 'msg_<generated>')
    .replace(/toolu_[0-9a-z]+_\d+/g, (m) => (/^toolu_[0-9a-z]{8,}[0-9a-f]{12}_\d+$/.test(m) ? 'toolu_<generated>' : m))
    .replace(/call_[0-9a-f]{16}_\d+/g, 'call_<generated>')
    .replace(/resp_[0-9a-f]{24}/g, 'resp_<generated>');
}

export type Framing = 'whole' | 'bytes' | 'crlf-bytes';

/** Run SSE text through the real SseDecoder and a protocol stream decoder, with the given framing. */
export function decodeSseText(text: string, decoder: StreamDecoder, framing: Framing = 'whole'): IrStreamPart[] {
  const sse = new SseDecoder();
  const out: IrStreamPart[] = [];
  const source = framing === 'crlf-bytes' ? text.replace(/\r?\n/g, '\r\n') : text;
  const bytes = Buffer.from(source, 'utf8');
  const pieces = framing === 'whole' ? [bytes] : [...bytes].map((b) => Uint8Array.of(b));
  for (const piece of pieces) for (const ev of sse.push(piece)) out.push(...decoder.push(ev));
  for (const ev of sse.end()) out.push(...decoder.push(ev));
  out.push(...decoder.end());
  return out;
}

/** Parse SSE text into events (for checking what an encoder wrote). */
export function parseSse(text: string): Array<{ event?: string; data: unknown }> {
  const sse = new SseDecoder();
  const events = [...sse.push(Buffer.from(text)), ...sse.end()];
  return events.map((e) => ({ event: e.event, data: JSON.parse(e.data) as unknown }));
}

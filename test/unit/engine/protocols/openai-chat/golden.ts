import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import type { IrStreamPart } from '../../../../../src-main/engine/ir';
import type { StreamDecoder } from '../../../../../src-main/engine/protocols/protocol';
import { SseDecoder } from '../../../../../src-main/engine/sse';
import { checkInlineGolden, FIXTURES } from '../golden';

/**
 * Golden fixtures of the OpenAI codec tests: each is one JSON file `{ "input": …, "expected": … }`,
 * checked (and, with `npm run test:update-goldens`, rewritten) by the shared harness in
 * ../golden.ts. Random ids are normalised so files stay stable.
 */
export const fixturesRoot = FIXTURES;

export function normalise<T>(value: T): T {
  const text = JSON.stringify(value)
    .replace(/\b(resp|msg|rs|fc|ig)_[0-9a-f]{32}\b/g, '$1_<id>')
    .replace(/chatcmpl-[0-9a-f]{24}\b/g, 'chatcmpl-<id>')
    .replace(/\bcall_[0-9a-f]{12}_(\d+)\b/g, 'call_<seed>_$1')
    .replace(/\bcall_[0-9a-f]{16}_(\d+)\b/g, 'call_<rand>_$1')
    .replace(/\bcall_[0-9a-f]{24}\b/g, 'call_<rand>');
  return text === undefined ? value : (JSON.parse(text) as T);
}

export function golden(dir: string, transform: (input: never, fixture: Record<string, unknown>) => unknown): void {
  const abs = join(fixturesRoot, dir);
  for (const file of readdirSync(abs).filter((f) => f.endsWith('.json')).sort()) {
    it(file.replace(/\.json$/, ''), () => {
      const path = join(abs, file);
      const fixture = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      checkInlineGolden(normalise(transform(fixture.input as never, fixture)), fixture, path);
    });
  }
}

/** Feed raw SSE text through the real SSE decoder in small byte slices, collecting IR parts. */
export function decodeSseText(text: string, decoder: StreamDecoder, sliceBytes = 7): IrStreamPart[] {
  const bytes = Buffer.from(text, 'utf8');
  const sse = new SseDecoder();
  const parts: IrStreamPart[] = [];
  for (let i = 0; i < bytes.length; i += sliceBytes) {
    for (const ev of sse.push(bytes.subarray(i, i + sliceBytes))) parts.push(...decoder.push(ev));
  }
  for (const ev of sse.end()) parts.push(...decoder.push(ev));
  parts.push(...decoder.end());
  return parts;
}

/** SSE text → list of `{event?, data}` with data parsed as JSON where it is JSON. */
export function parseSseText(text: string): Array<{ event?: string; data: unknown }> {
  const sse = new SseDecoder();
  const events = [...sse.push(Buffer.from(text, 'utf8')), ...sse.end()];
  return events.map((e) => {
    let data: unknown = e.data;
    try {
      data = JSON.parse(e.data);
    } catch {
      // `[DONE]` stays text
    }
    return e.event ? { event: e.event, data } : { data };
  });
}

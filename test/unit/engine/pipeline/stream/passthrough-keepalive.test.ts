import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../../src-main/engine/pipeline/limits';
import { relayPassthrough } from '../../../../../src-main/engine/pipeline/passthrough-relay';
import type { ClientSink } from '../../../../../src-main/engine/pipeline/sink';
import type { Schedule } from '../../../../../src-main/engine/pipeline/stream/pump';
import { protocols } from '../../../../../src-main/engine/protocols';

/**
 * Passthrough forwards the upstream's bytes as they come, so a read may stop inside an event.
 * A keep-alive comment there would split that event (its data lines would dispatch early): the
 * comment waits until the bytes so far end with a blank line.
 */
const chat = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

function gatedBody() {
  let release!: (v: string | null) => void;
  const body = (async function* () {
    for (;;) {
      const next = await new Promise<string | null>((r) => (release = r));
      if (next === null) return;
      yield Buffer.from(next);
    }
  })();
  return { body, send: (v: string | null) => release(v) };
}

const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
};

describe('passthrough keep-alive comments fall between events only', () => {
  it('silent mid-event: none; silent after a whole event: one', async () => {
    let written = '';
    const sink = { gone: false, signal: new AbortController().signal, startStream: () => undefined, write: async (c: string | Uint8Array) => void (written += Buffer.from(c).toString()), end: () => undefined } as unknown as ClientSink;
    const due = new Set<() => void>();
    const schedule: Schedule = (_ms, fire) => (due.add(fire), () => due.delete(fire));
    const fire = () => [...due].forEach((f) => (due.delete(f), f()));
    const up = gatedBody();
    const done = relayPassthrough({ headers: { 'content-type': 'text/event-stream' }, body: up.body }, protocols['openai-chat'], sink, { limits: { ...DEFAULT_LIMITS, keepaliveMs: 1000 }, schedule });

    up.send(chat('hi'));
    await settle();
    const second = chat(' there');
    up.send(second.slice(0, 20));
    await settle();
    expect(written.endsWith(second.slice(0, 20))).toBe(true);
    fire();
    await settle();
    expect(written).not.toContain(': keep-alive');

    up.send(second.slice(20));
    await settle();
    fire();
    await settle();
    expect(written.endsWith(`${second}: keep-alive\n\n`)).toBe(true);
    up.send(null);
    await done;
    expect(written.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { KEEPALIVE_COMMENT, pump, type PumpSink, type Schedule } from '../../../../../src-main/engine/pipeline/stream/pump';

/** A client side whose socket takes writes only when the test lets it (`drainAll`). */
function pausedClient(opts: { full: boolean }) {
  const written: string[] = [];
  const waiting: Array<() => void> = [];
  let ended = false;
  const abort = new AbortController();
  const sink: PumpSink = {
    get gone() {
      return abort.signal.aborted;
    },
    write: (chunk) => {
      written.push(String(chunk));
      // A full socket buffer: the write resolves on `drain` only.
      return opts.full ? new Promise<void>((r) => waiting.push(r)) : Promise.resolve();
    },
    end: () => {
      ended = true;
    },
  };
  return {
    sink,
    written,
    drainAll: () => waiting.splice(0).forEach((r) => r()),
    get ended() {
      return ended;
    },
    abort: () => abort.abort(),
  };
}

/** An upstream that answers each read at once, counting the reads. */
function countingUpstream(total = 1_000) {
  const state = { pulled: 0 };
  async function* gen(): AsyncGenerator<string> {
    while (state.pulled < total) {
      state.pulled++;
      yield `data: ${state.pulled}\n\n`;
    }
  }
  return { source: gen(), state };
}

/** An upstream that stays silent until the test releases its next chunk. */
function gatedUpstream() {
  let release!: (value: string | null) => void;
  async function* gen(): AsyncGenerator<string> {
    for (;;) {
      const next = await new Promise<string | null>((r) => (release = r));
      if (next === null) return;
      yield next;
    }
  }
  return { source: gen(), send: (v: string | null) => release(v) };
}

/** A clock the test turns by hand: `fire()` runs what is due. */
function manualSchedule() {
  const pending = new Set<() => void>();
  const calls: number[] = [];
  const schedule: Schedule = (ms, fire) => {
    calls.push(ms);
    pending.add(fire);
    return () => pending.delete(fire);
  };
  return {
    schedule,
    calls,
    armed: () => pending.size,
    fire: () => {
      const due = [...pending];
      pending.clear();
      for (const f of due) f();
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
};

describe('pump: the client socket governs how fast the upstream is read', () => {
  it('a client that does not read stops the reads from the upstream (one piece in flight, not the whole stream)', async () => {
    const client = pausedClient({ full: true });
    const up = countingUpstream();
    const done = pump(client.sink, up.source);
    await settle();
    expect(up.state.pulled).toBe(1);
    expect(client.written).toEqual(['data: 1\n\n']);

    // The socket drains once: exactly one more piece is read and written.
    client.drainAll();
    await settle();
    expect(up.state.pulled).toBe(2);

    client.abort();
    client.drainAll();
    expect(await done).toEqual({ aborted: true });
    expect(client.ended).toBe(false);
  });

  it('a reading client gets the whole stream, then the end', async () => {
    const client = pausedClient({ full: false });
    const up = countingUpstream(3);
    expect(await pump(client.sink, up.source)).toEqual({});
    expect(client.written).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
    expect(client.ended).toBe(true);
  });

  it('an upstream read failure is handed back to the caller (who writes an error event or cuts the connection)', async () => {
    const client = pausedClient({ full: false });
    async function* broken(): AsyncGenerator<string> {
      yield 'data: 1\n\n';
      throw new Error('socket hang up');
    }
    const out = await pump(client.sink, broken());
    expect((out.failure as Error).message).toBe('socket hang up');
    expect(client.ended).toBe(false);
  });
});

describe('pump: streaming.keepalive-seconds', () => {
  it('sends an SSE comment each time the upstream stays silent that long, and none once it speaks', async () => {
    const client = pausedClient({ full: false });
    const up = gatedUpstream();
    const clock = manualSchedule();
    const done = pump(client.sink, up.source, { ms: 15_000, schedule: clock.schedule });
    await settle();
    expect(clock.calls).toEqual([15_000]);
    clock.fire();
    await settle();
    clock.fire();
    expect(client.written).toEqual([KEEPALIVE_COMMENT, KEEPALIVE_COMMENT]);
    expect(KEEPALIVE_COMMENT).toBe(': keep-alive\n\n');

    up.send('data: {"a":1}\n\n');
    await settle();
    expect(client.written.slice(2)).toEqual(['data: {"a":1}\n\n']);
    up.send(null);
    await done;
    // The timer of the last wait is cancelled: nothing left armed after the end.
    expect(clock.armed()).toBe(0);
    expect(client.written.filter((w) => w === KEEPALIVE_COMMENT)).toHaveLength(2);
  });

  it('0 = off: no timer is ever set, no comment ever sent', async () => {
    const client = pausedClient({ full: false });
    const up = gatedUpstream();
    const clock = manualSchedule();
    const done = pump(client.sink, up.source, { ms: 0, schedule: clock.schedule });
    await settle();
    up.send('data: 1\n\n');
    await settle();
    up.send(null);
    await done;
    expect(clock.calls).toEqual([]);
    expect(client.written).toEqual(['data: 1\n\n']);
  });

  it('never inside an event: no comment while the bytes so far stop mid-event', async () => {
    const client = pausedClient({ full: false });
    const up = gatedUpstream();
    const clock = manualSchedule();
    let boundary = false;
    const done = pump(client.sink, up.source, { ms: 1000, schedule: clock.schedule, atBoundary: () => boundary });
    await settle();
    clock.fire();
    expect(client.written).toEqual([]);
    boundary = true;
    clock.fire();
    expect(client.written).toEqual([KEEPALIVE_COMMENT]);
    up.send(null);
    await done;
  });
});

import type { Timers } from '../../../src-main/engine/quota/timers';

/** A clock and timers that move only when the test says so. */
export class ManualClock implements Timers {
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();

  constructor(public time: number) {}

  readonly now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.queue.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }

  /** Move time forward, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.queue) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.queue.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
  }

  pending(): number {
    return this.queue.size;
  }
}

/**
 * Leading + trailing throttle: the first call runs at once, calls inside the window collapse
 * into one trailing run. Engine events can arrive in bursts (a quota poll of 10 accounts);
 * menus and IPC broadcasts only need the latest state a few times per second.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface Throttled {
  (): void;
  /** Run now if a trailing call is pending. */
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, ms: number, timers: Timers = realTimers): Throttled {
  let timer: unknown;
  let pending = false;
  const fire = () => {
    timer = undefined;
    if (pending) {
      pending = false;
      fn();
      timer = timers.setTimeout(fire, ms);
    }
  };
  const run = (() => {
    if (timer !== undefined) {
      pending = true;
      return;
    }
    fn();
    timer = timers.setTimeout(fire, ms);
  }) as Throttled;
  run.flush = () => {
    if (!pending) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    pending = false;
    fn();
  };
  run.cancel = () => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    pending = false;
  };
  return run;
}

/** Nanosecond monotonic clock; injectable so tests can state exact durations. */
export type NanoClock = () => bigint;

export const hrtimeNs: NanoClock = () => process.hrtime.bigint();

/**
 * Ollama reports `total_duration`, `prompt_eval_duration` and `eval_duration` in nanoseconds.
 * Here the "prompt eval" is the time until the first generated token (the upstream's time to
 * first byte), "eval" the rest; there is no model to load, so `load_duration` is 0.
 */
export class RequestTiming {
  private readonly start: bigint;
  private firstToken?: bigint;

  constructor(private readonly clock: NanoClock = hrtimeNs) {
    this.start = clock();
  }

  /** The first generated token (text, thinking or a tool call) arrived now. */
  markFirstToken(): void {
    this.firstToken ??= this.clock();
  }

  durations(): { total_duration: number; load_duration: number; prompt_eval_duration: number; eval_duration: number } {
    const end = this.clock();
    const first = this.firstToken ?? end;
    return {
      total_duration: Number(end - this.start),
      load_duration: 0,
      prompt_eval_duration: Number(first - this.start),
      eval_duration: Number(end - first),
    };
  }
}

/** Ollama's `created_at`: RFC 3339 in UTC. */
export function createdAt(now: Date = new Date()): string {
  return now.toISOString();
}

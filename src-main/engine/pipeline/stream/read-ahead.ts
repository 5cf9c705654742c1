/**
 * What read-ahead makes of one item: keep reading, the upstream has answered (commit to the
 * client), or the answer is broken (fail over — nothing reached the client yet).
 */
export type Verdict<F> = 'more' | 'answered' | { fail: F };

/** The rule a read-ahead applies: when has the upstream answered, and what is a failure. */
export interface AheadJudge<T, F> {
  push(item: T): Verdict<F>;
  /** The source ended (answered or not: never 'more'). */
  end(): Exclude<Verdict<F>, 'more'>;
  /** Reading or judging threw: the failure that stands for it. */
  failed(err: unknown): F;
}

export type Ahead<T, F> =
  | {
      ok: true;
      /** Items read before the answer was certain, in order, to be replayed first. */
      held: T[];
      /** The source is exhausted (the whole answer is in `held`). */
      ended: boolean;
      /** The same source, positioned after `held`. */
      rest: AsyncIterator<T>;
    }
  | { ok: false; error: F };

/**
 * The one read-ahead of the pipeline (SSE streams passthrough and translated, JSON bodies):
 * pull from the upstream until the judge says it answered, so that a reset, an empty or HTML
 * 200, a stream without output or a body over a cap becomes a failover before the client saw
 * a byte (issue 12, D5–D7). The source is closed on failure.
 */
export async function readAhead<T, F>(source: AsyncIterator<T>, judge: AheadJudge<T, F>): Promise<Ahead<T, F>> {
  const held: T[] = [];
  for (;;) {
    let verdict: Verdict<F>;
    let done = false;
    try {
      const step = await source.next();
      done = step.done === true;
      if (done) verdict = judge.end();
      else {
        held.push(step.value as T);
        verdict = judge.push(step.value as T);
      }
    } catch (err) {
      verdict = { fail: judge.failed(err) };
    }
    if (verdict === 'answered') return { ok: true, held, ended: done, rest: source };
    if (verdict !== 'more') {
      held.length = 0;
      source.return?.().catch(() => undefined);
      return { ok: false, error: verdict.fail };
    }
  }
}

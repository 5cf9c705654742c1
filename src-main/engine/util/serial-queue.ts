/**
 * Runs async jobs one after another. Read-modify-write sequences (config.yaml, accounts.json)
 * go through one of these so two concurrent edits never both start from the same old state.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(job, job);
    // The queue keeps going whatever one job does; the caller still sees its own failure.
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Lines "typed" into stdin during a sign-in: push() feeds the AsyncIterable the runner reads. */
export class LineQueue implements AsyncIterable<string> {
  private items: string[] = [];
  private waiters: Array<(v: IteratorResult<string>) => void> = [];
  private done = false;

  push(line: string): void {
    const w = this.waiters.shift();
    if (w) w({ value: line, done: false });
    else this.items.push(line);
  }

  end(): void {
    this.done = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => this.waiters.push(r));
      },
    };
  }
}

/** Wait (bounded) until a printed line matches. */
export async function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 5_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const hit = lines.find((l) => pattern.test(l));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no line matching ${pattern} in: ${lines.join(' | ')}`);
}

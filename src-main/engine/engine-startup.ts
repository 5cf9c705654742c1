/**
 * When the engine's start-up loads begin. The port opens first: the loads a request needs
 * (signed-in accounts, restored cooldowns) and the stores it does not need at all (the usage
 * history) begin once the listener is bound, or, for an engine nobody starts at once (the desktop
 * with the proxy off, CLI commands), on the next turn of the event loop. Whatever needs a result
 * first waits for it: requests wait for the loads (the listener's gate), readers open a store.
 */
export class StartupLoads {
  private begin!: () => void;
  private readonly soon: NodeJS.Immediate;
  private cancelled = false;
  /** Settles when the loads may begin. */
  readonly mayBegin: Promise<void>;

  constructor() {
    this.mayBegin = new Promise<void>((resolve) => (this.begin = resolve));
    this.soon = setImmediate(() => this.begin());
  }

  /** Begin now (the port is bound, or something needs a result). */
  now(): void {
    this.begin();
  }

  /** Closing: loads that have not begun are skipped, and nothing stays scheduled. */
  cancel(): void {
    this.cancelled = true;
    clearImmediate(this.soon);
    this.begin();
  }

  /** Run `load` once loads may begin; skipped (undefined) when the engine closed first. */
  after<T>(load: () => Promise<T> | T): Promise<T | undefined> {
    return this.mayBegin.then(() => (this.cancelled ? undefined : load()));
  }
}

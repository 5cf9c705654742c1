import type { UsageRecord, UsageRecorder } from './usage';
import type { RequestRecord } from './pipeline/types';
import { openUsage, type CompositionBase } from './engine-composition';
import type { StartupLoads } from './engine-startup';

/** How long after start-up the history opens by itself: the recorder's own batching delay. */
const OPEN_AFTER_MS = 250;

/** Records held before the history opens; past this the history opens at once instead of growing. */
const MAX_EARLY = 100_000;

/**
 * The usage history (usage.db), opened after the engine serves rather than before its port opens:
 * opening it (SQLite, WAL pragmas, schema check, prepared statements) is start-up work no request
 * needs. Records finished before it opens wait here and go to the history, in order, when it opens;
 * anything that reads the history opens it at once (`get`), so a query never misses them. An open
 * that fails is what it was before: logged by `open`, persistence off, no history (and the held
 * records go where the records of a history that never opened go).
 */
export class DeferredUsage {
  private state: 'waiting' | 'open' | 'closed' = 'waiting';
  private recorder?: UsageRecorder;
  private early: Array<UsageRecord | RequestRecord> = [];
  private timer?: NodeJS.Timeout;

  /** `open` returns the opened recorder, or undefined when it could not be opened. */
  constructor(private readonly open: () => UsageRecorder | undefined) {}

  /** Open `delayMs` from now (the recorder's own batching delay), unless something opened it first. */
  openIn(delayMs: number): void {
    if (this.state !== 'waiting' || this.timer) return;
    this.timer = setTimeout(() => this.get(), delayMs);
    this.timer.unref();
  }

  /** The history, opened now if it was not yet; undefined when it could not be opened (or was closed). */
  get(): UsageRecorder | undefined {
    if (this.state === 'waiting') this.openNow();
    return this.recorder;
  }

  /** The history if it is open; does not open it. */
  opened(): UsageRecorder | undefined {
    return this.recorder;
  }

  /** One finished request (or usage record): to the history, or held until it opens. */
  record(r: UsageRecord | RequestRecord): void {
    if (this.state !== 'waiting') return void this.recorder?.record(r);
    this.early.push(r);
    if (this.early.length >= MAX_EARLY) this.openNow();
  }

  /** Flush and close; records still held open the history first, so none is lost. */
  close(): void {
    if (this.state === 'waiting' && this.early.length > 0) this.openNow();
    if (this.timer) clearTimeout(this.timer);
    this.state = 'closed';
    this.recorder?.close();
  }

  private openNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.state = 'open';
    this.recorder = this.open();
    const held = this.early;
    this.early = [];
    for (const r of held) this.recorder?.record(r);
  }
}

/**
 * The history when usage-sqlite is on (with the config as the engine started with it, like an
 * eager open had): it opens `OPEN_AFTER_MS` after start-up's loads may begin, so the first requests
 * are answered before it does, or at once when something reads it.
 */
export function deferredUsage(b: CompositionBase, loads: StartupLoads): DeferredUsage | undefined {
  const cfg = b.config.current;
  if (!cfg['usage-sqlite'].enable) return undefined;
  const history = new DeferredUsage(() => {
    const usage = openUsage(b, cfg);
    usage?.setRetention(b.config.current['usage-retention-days']);
    return usage;
  });
  void loads.after(() => history.openIn(OPEN_AFTER_MS));
  return history;
}

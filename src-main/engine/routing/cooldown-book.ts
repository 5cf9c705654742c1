import { systemClock, type Clock, type FailureClassification, type FailureKind } from './types';

/** One resting (account × model) — or whole account when `model` is ''. */
export interface CooldownEntry {
  accountId: string;
  /** Upstream model id; '' = every model of the account. */
  model: string;
  /** Epoch ms; at or after this instant the entry no longer exists. */
  until: number;
  reason: FailureKind | 'manual';
  message?: string;
  /** Where the reset time came from (`google-retry-info`, `backoff`, …). */
  hint?: string;
  /** Consecutive hint-less 429s (exponential backoff level). */
  level: number;
  setAt: number;
}

/** Persistence for cooldowns; written off the request path. */
export interface CooldownStore {
  load(): Promise<CooldownEntry[]>;
  save(entries: CooldownEntry[]): Promise<void>;
}

export interface CooldownBookOptions {
  clock?: Clock;
  store?: CooldownStore;
  /** Writes are batched: one save this long after the first change (ms). */
  saveDelayMs?: number;
  /** `disable-cooling`: failures never bench anything. */
  disabled?: boolean;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  onError?: (err: unknown) => void;
  /** Any change (for UI snapshots / events). */
  onChange?: () => void;
}

export interface ResetScope {
  accountId?: string;
  model?: string;
}

const DEFAULT_BASE = 1000;
const DEFAULT_CAP = 30 * 60_000;

function keyOf(accountId: string, model: string): string {
  return `${accountId}\u0000${model}`;
}

/**
 * Who rests until when, per account × upstream model. Lookups are synchronous map reads; an
 * entry whose time has come is deleted on sight, so nothing can stay locked after its window
 * resets (the reference's most-reported routing bug). Persistence is debounced and async.
 */
export class CooldownBook {
  private readonly map = new Map<string, CooldownEntry>();
  /** Backoff levels outlive their entries (a 429 right after a backoff expires doubles again). */
  private readonly backoff = new Map<string, { level: number; lastAt: number }>();
  private readonly clock: Clock;
  private disabled: boolean;
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /**
   * Moves on every change to who rests (and to `disable-cooling`), so callers that keep an
   * answer derived from the book (the usable-candidate cache) know when to ask again.
   */
  generation = 0;

  constructor(private readonly opts: CooldownBookOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.disabled = opts.disabled ?? false;
  }

  now(): number {
    return this.clock.now();
  }

  /** `disable-cooling` toggled by a config reload: turning it on also lifts every current cooldown. */
  setDisabled(disabled: boolean): void {
    if (disabled && !this.disabled) this.reset();
    if (disabled !== this.disabled) this.generation++;
    this.disabled = disabled;
  }

  isDisabled(): boolean {
    return this.disabled;
  }

  private live(key: string): CooldownEntry | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until <= this.clock.now()) {
      this.map.delete(key);
      this.changed();
      return undefined;
    }
    return e;
  }

  /** The entry that keeps (account, model) benched longest: the model's own or the account's. */
  entryFor(accountId: string, model: string): CooldownEntry | undefined {
    // Nothing resting (the usual case): ordering checks every candidate, so skip the key building.
    if (this.map.size === 0) return undefined;
    const m = model ? this.live(keyOf(accountId, model)) : undefined;
    const a = this.live(keyOf(accountId, ''));
    if (!m) return a;
    if (!a) return m;
    return a.until >= m.until ? a : m;
  }

  isCooling(accountId: string, model = ''): boolean {
    if (this.disabled) return false;
    return this.entryFor(accountId, model) !== undefined;
  }

  /** When (account, model) is usable again; undefined = it is usable now. */
  nextFreeAt(accountId: string, model = ''): number | undefined {
    if (this.disabled) return undefined;
    return this.entryFor(accountId, model)?.until;
  }

  /** A served request proves the account and model work: clear both and the backoff level. */
  markSuccess(accountId: string, model = ''): void {
    const keys = [keyOf(accountId, model), keyOf(accountId, '')];
    let touched = false;
    for (const k of keys) {
      if (this.map.delete(k)) touched = true;
      this.backoff.delete(k);
    }
    if (touched) this.changed();
  }

  /**
   * Record a failure. Returns the entry written (undefined when nothing rests: cooling disabled,
   * or a failure kind without cooldown). A 429 without a reset hint backs off 1 s, 2 s, 4 s … 30 min.
   */
  markFailure(
    accountId: string,
    model: string,
    c: Pick<FailureClassification, 'kind' | 'cooldownUntil' | 'scope' | 'hint' | 'message'>,
    opts: { disableCooling?: boolean } = {},
  ): CooldownEntry | undefined {
    if (this.disabled || opts.disableCooling) return undefined;
    const now = this.clock.now();
    const scopeModel = c.scope === 'account' ? '' : model;
    const key = keyOf(accountId, scopeModel);
    let until = c.cooldownUntil;
    let hint = c.hint;
    const prevLevel = this.backoff.get(key);
    let level = prevLevel?.level ?? 0;
    if (until === undefined && (c.kind === 'rate-limit' || c.kind === 'quota')) {
      // Cooling candidates are never tried, so a 429 landing while one is live was sent before it:
      // concurrent requests must not escalate the backoff (that is how pools end up locked for hours).
      const live = this.live(key);
      if (live) return live;
      const cap = this.opts.backoffCapMs ?? DEFAULT_CAP;
      // A streak ends when the account stayed quiet for longer than the cap.
      level = prevLevel && now - prevLevel.lastAt <= cap * 2 ? prevLevel.level + 1 : 0;
      until = now + Math.min((this.opts.backoffBaseMs ?? DEFAULT_BASE) * 2 ** Math.min(level, 40), cap);
      hint = 'backoff';
      this.backoff.set(key, { level, lastAt: now });
    }
    if (until === undefined || until <= now) return undefined;
    const prev = this.live(key);
    // Without a fresh reset hint, never shorten a longer rest already known (concurrent requests).
    if (prev && !c.hint && prev.until > until) until = prev.until;
    const entry: CooldownEntry = { accountId, model: scopeModel, until, reason: c.kind, level, setAt: now };
    if (c.message) entry.message = c.message;
    if (hint) entry.hint = hint;
    this.map.set(key, entry);
    this.changed();
    return entry;
  }

  /** Manual bench (management "cool down this account"), or tests. */
  set(entry: Omit<CooldownEntry, 'setAt' | 'level'> & { level?: number }): void {
    this.map.set(keyOf(entry.accountId, entry.model), { level: 0, ...entry, setAt: this.clock.now() });
    this.changed();
  }

  /**
   * Manual reset: everything, one account (all its models), one model (on every account), or one
   * account × model. Returns how many entries were lifted.
   */
  reset(scope: ResetScope = {}): number {
    let n = 0;
    for (const [k, e] of this.map) {
      if (scope.accountId !== undefined && e.accountId !== scope.accountId) continue;
      // Lifting one account × model also lifts that account's whole-account bench, or it stays blocked.
      const wholeAccountOfTarget = scope.accountId !== undefined && e.model === '';
      if (scope.model !== undefined && e.model !== scope.model && !wholeAccountOfTarget) continue;
      this.map.delete(k);
      n++;
    }
    for (const k of [...this.backoff.keys()]) {
      const [acc, model] = k.split('\u0000');
      if (scope.accountId !== undefined && acc !== scope.accountId) continue;
      if (scope.model !== undefined && model !== scope.model) continue;
      this.backoff.delete(k);
    }
    if (n) this.changed();
    return n;
  }

  /** Live entries only (expired ones are dropped on the way). */
  entries(): CooldownEntry[] {
    const now = this.clock.now();
    const out: CooldownEntry[] = [];
    for (const [k, e] of this.map) {
      if (e.until <= now) {
        this.map.delete(k);
        this.generation++;
      } else out.push({ ...e });
    }
    return out;
  }

  /** When the first entry still in the book ends (epoch ms), Infinity when none: until then nothing frees up by itself. */
  earliestEnd(): number {
    let first = Infinity;
    for (const e of this.map.values()) if (e.until < first) first = e.until;
    return first;
  }

  /** Load persisted entries at start-up; the ones already over are discarded. */
  async restore(): Promise<number> {
    if (!this.opts.store) return 0;
    const loaded = await this.opts.store.load();
    const now = this.clock.now();
    let n = 0;
    for (const e of loaded) {
      if (!(e.until > now)) continue;
      const key = keyOf(e.accountId, e.model);
      const cur = this.map.get(key);
      if (cur && cur.until >= e.until) continue;
      this.map.set(key, { ...e });
      if (e.level > 0) this.backoff.set(key, { level: e.level, lastAt: e.setAt });
      n++;
    }
    if (n) {
      this.generation++;
      this.opts.onChange?.();
    }
    return n;
  }

  private changed(): void {
    this.generation++;
    this.opts.onChange?.();
    if (!this.opts.store || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeNow();
    }, this.opts.saveDelayMs ?? 500);
    this.timer.unref?.();
  }

  private writeNow(): Promise<void> {
    const store = this.opts.store;
    if (!store) return Promise.resolve();
    // Saves are chained so an older snapshot can never land after a newer one.
    this.saving = this.saving
      .then(() => store.save(this.entries()))
      .catch((err: unknown) => this.opts.onError?.(err));
    return this.saving;
  }

  /** Write pending changes now (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.writeNow();
    }
    await this.saving;
  }
}

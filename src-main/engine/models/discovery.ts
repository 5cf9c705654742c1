import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Account } from '../providers/provider';
import { realTimers, type Timers } from '../quota/timers';
import { modelListSources, type ModelListRequest, type ModelListSource } from './list-sources';
import { modelInfoSchema, type ModelInfo } from './types';

/** Transport for one model-list call (host-overrides and the account's proxy applied by the caller). */
export type ModelListFetch = (account: Account, req: ModelListRequest) => Promise<{ status: number; json(): Promise<unknown>; text(): Promise<string> }>;

export interface ModelDiscoveryOptions {
  dataDir: string;
  accounts: () => readonly Account[];
  credential: (account: Account) => Promise<string>;
  fetch: ModelListFetch;
  sources?: Partial<Record<Account['provider'], ModelListSource>>;
  now?: () => number;
  timers?: Timers;
  /** Re-read every list this often (default 6 h). */
  intervalMs?: number;
  /** A list changed: the routing catalog recompiles. */
  onChange?: () => void;
  onError?: (account: Account, err: Error) => void;
  /** The cache file was rewritten (tests count writes: one per round, not one per account). */
  onCacheWritten?: () => void;
  /** List reads at once (default 4): a pool of 1,000 keys must not open 1,000 requests at start. */
  concurrency?: number;
}

export interface DiscoveredList {
  models: ModelInfo[];
  fetchedAt: number;
}

const FILE = 'model-lists.json';
const MAX_PAGES = 10;
const cacheSchema = z.object({
  version: z.literal(1),
  accounts: z.record(z.string(), z.object({ fetchedAt: z.number(), models: z.array(modelInfoSchema).max(5000) })),
});

/**
 * Each account's models as its upstream lists them: read at start-up from the on-disk cache (so
 * a restart serves at once), fetched for every account on start and whenever a new account
 * appears (sign-in, config reload), then every `intervalMs`. A failed read keeps the last good
 * list; accounts of providers without a list endpoint have none (catalog + family routing).
 */
export class ModelDiscovery {
  private readonly lists = new Map<string, DiscoveredList>();
  private readonly tried = new Set<string>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly sources: Partial<Record<Account['provider'], ModelListSource>>;
  private readonly timers: Timers;
  private readonly now: () => number;
  private timer: unknown;
  private generationNo = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Lists changed since the last cache write. */
  private dirty = false;
  /** A cache write is queued and has not taken its snapshot yet. */
  private queued = false;
  private closed = false;
  /** Reads waiting for a slot, and how many run (see `concurrency`). */
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  /**
   * One array per distinct list: keys of one provider usually see the same models, so 1,000
   * accounts hold one list, not 1,000 copies (issue 16: memory flat in the number of accounts).
   */
  private readonly byContent = new Map<string, ModelInfo[]>();

  constructor(private readonly o: ModelDiscoveryOptions) {
    this.sources = o.sources ?? modelListSources;
    this.timers = o.timers ?? realTimers;
    this.now = o.now ?? Date.now;
  }

  /** Bumped on every change; the routing layer recompiles when it moves. */
  generation(): number {
    return this.generationNo;
  }

  /** The last good list of an account (undefined: never read, or the provider has no list). */
  listFor(accountId: string): DiscoveredList | undefined {
    return this.lists.get(accountId);
  }

  /** Info for one upstream id of an account, from its discovered list. */
  infoFor(accountId: string, model: string): ModelInfo | undefined {
    return this.lists.get(accountId)?.models.find((m) => m.id === model);
  }

  /** Load the on-disk cache (missing or corrupt files are ignored: the next fetch rewrites them). */
  async load(): Promise<void> {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(await readFile(path.join(this.o.dataDir, FILE), 'utf8')));
      if (!parsed.success) return;
      for (const [id, list] of Object.entries(parsed.data.accounts)) this.lists.set(id, { fetchedAt: list.fetchedAt, models: this.interned(list.models) });
      this.changed();
    } catch {
      // no cache yet
    }
  }

  /** Load the cache, read every account's list, then keep them fresh. */
  async start(): Promise<void> {
    await this.load();
    this.sync();
    this.scheduleRefresh();
  }

  /** Start the periodic re-read (idempotent). */
  scheduleRefresh(): void {
    if (this.timer === undefined) this.schedule();
  }

  /** Fetch lists of accounts not read yet in this process (new sign-ins, new key entries). */
  sync(): void {
    if (this.closed) return;
    for (const a of this.o.accounts()) {
      if (this.tried.has(a.id) || a.disabled || !this.sources[a.provider]) continue;
      this.tried.add(a.id);
      void this.refresh(a.id);
    }
  }

  /** Re-read every account's list now (periodic timer, UI "refresh"). */
  async refreshAll(): Promise<void> {
    await Promise.all(this.o.accounts().filter((a) => !a.disabled && this.sources[a.provider]).map((a) => this.refresh(a.id)));
  }

  /** Re-read one account's list; failures keep the last good list. */
  refresh(accountId: string): Promise<void> {
    const running = this.inflight.get(accountId);
    if (running) return running;
    const p = this.inTurn(() => this.fetchList(accountId)).finally(() => {
      this.inflight.delete(accountId);
      // One cache write per round, when its last fetch is done: writing after every account's
      // list rewrote the whole file N times (quadratic in accounts at start and every refresh).
      if (this.inflight.size === 0 && this.dirty) {
        // Lists of accounts that are gone (signed out, key edited) leave the cache.
        const live = new Set(this.o.accounts().map((a) => a.id));
        for (const id of this.lists.keys()) if (!live.has(id)) this.lists.delete(id);
        this.forgetUnusedLists();
        this.persist();
      }
    });
    this.inflight.set(accountId, p);
    return p;
  }

  private async fetchList(accountId: string): Promise<void> {
    // A read that waited for its turn past close() is not started.
    if (this.closed) return;
    const account = this.o.accounts().find((a) => a.id === accountId);
    const source = account && this.sources[account.provider];
    if (!account || !source) return;
    try {
      const credential = await this.o.credential(account);
      const models: ModelInfo[] = [];
      let page: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const req = source.request(account, credential, page);
        const res = await this.o.fetch(account, req);
        if (res.status < 200 || res.status >= 300) throw new Error(`model list ${req.url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
        const parsed = source.parse(await res.json());
        models.push(...parsed.models);
        if (!parsed.next || parsed.next === page) break;
        page = parsed.next;
      }
      if (this.closed) return;
      const unique = [...new Map(models.map((m) => [m.id, m])).values()];
      // An empty answer is not a list: keep what we had (a gateway hiccup must not hide every model).
      if (!unique.length) throw new Error('model list is empty');
      const before = this.lists.get(accountId);
      const list = this.interned(unique);
      this.lists.set(accountId, { models: list, fetchedAt: this.now() });
      this.dirty = true;
      // Equal lists are one array, so "unchanged" is identity.
      if (before?.models !== list) this.changed();
    } catch (err) {
      this.o.onError?.(account, err as Error);
    }
  }

  /** Run `read` when fewer than `concurrency` reads are running. */
  private async inTurn<T>(read: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.o.concurrency ?? 4)) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await read();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** The one array holding this content (`models` itself when it is the first). */
  private interned(models: ModelInfo[]): ModelInfo[] {
    const key = JSON.stringify(models);
    const known = this.byContent.get(key);
    if (known) return known;
    this.byContent.set(key, models);
    return models;
  }

  /** Lists no account holds any more leave the intern table (end of a round). */
  private forgetUnusedLists(): void {
    const held = new Set<ModelInfo[]>();
    for (const l of this.lists.values()) held.add(l.models);
    for (const [key, models] of this.byContent) if (!held.has(models)) this.byContent.delete(key);
  }

  private changed(): void {
    this.generationNo++;
    this.o.onChange?.();
  }

  /**
   * Write the cache atomically (temp file + rename: a crash keeps the last good file). Writes are
   * chained, and calls while one is queued share it: the snapshot is taken when it runs.
   */
  private persist(): void {
    if (this.queued) return;
    this.queued = true;
    this.writing = this.writing
      .then(async () => {
        this.queued = false;
        if (!this.dirty) return;
        this.dirty = false;
        const snapshot = { version: 1 as const, accounts: Object.fromEntries(this.lists) };
        await mkdir(this.o.dataDir, { recursive: true });
        const file = path.join(this.o.dataDir, FILE);
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, JSON.stringify(snapshot), { mode: 0o600 });
        await rename(tmp, file);
        this.o.onCacheWritten?.();
      })
      .catch(() => undefined);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.timers.setTimeout(() => {
      void this.refreshAll().finally(() => this.schedule());
    }, this.o.intervalMs ?? 6 * 60 * 60_000);
  }

  /** Wait for running fetches and cache writes (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight.values()]);
    await this.writing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    await this.idle();
  }
}

import { EventEmitter } from 'node:events';
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import { ConfigError, hashText, loadConfigFile, parseConfig, type ConfigIssue, type LoadedConfig } from './load';
import { writeFileAtomic } from '../util/atomic-write';
import { SerialQueue } from '../util/serial-queue';
import { removeStaleTempFiles } from './temp-files';

/** A rule about the running process (not the file alone) that a new config must pass. */
export type ConfigGuard = (next: SwitchyardConfig) => ConfigIssue | undefined;

/** The new config was valid but could not be written; nothing changed (file and memory). */
export class ConfigWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot save ${file}: ${(cause as Error).message}; the previous config is unchanged`);
    this.name = 'ConfigWriteError';
  }
}

export interface ConfigStoreEvents {
  change: [next: SwitchyardConfig, prev: SwitchyardConfig];
  invalid: [error: ConfigError];
  warning: [message: string];
}

/**
 * The live config. Readers take `current` once per request so an in-flight request keeps the
 * config it started with. The file is watched (directory watch, so editors that replace the
 * file are seen); changes are debounced, skipped when the bytes hash the same, and an invalid
 * edit keeps the last good config serving.
 */
export class ConfigStore extends EventEmitter<ConfigStoreEvents> {
  private loaded: LoadedConfig;
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private lastError?: ConfigError;
  private readonly guards = new Set<ConfigGuard>();
  /** Saves, edits and reloads, one at a time: each starts from the result of the one before. */
  private readonly queue = new SerialQueue();

  constructor(loaded: LoadedConfig, private readonly debounceMs = 150) {
    super();
    this.loaded = loaded;
  }

  static async open(file: string): Promise<ConfigStore> {
    // Temp files of a write killed mid-way hold a full config (secrets included): gone at start.
    await removeStaleTempFiles(path.dirname(file), { target: path.basename(file) });
    const store = new ConfigStore(await loadConfigFile(file, { create: true }));
    // It holds secrets: owner-only, also when an older version or an editor left it 0644.
    await fs.chmod(file, 0o600).catch(() => undefined);
    return store;
  }

  /** An in-memory store (tests, embedded use); `save` still writes to `file`. */
  static fromText(text: string, file: string): ConfigStore {
    return new ConfigStore(parseConfig(text, file));
  }

  get current(): SwitchyardConfig {
    return this.loaded.config;
  }

  get file(): string {
    return this.loaded.file;
  }

  get text(): string {
    return this.loaded.text;
  }

  get warnings(): readonly string[] {
    return this.loaded.warnings;
  }

  /** The last rejected edit, until a good one replaces it. */
  get error(): ConfigError | undefined {
    return this.lastError;
  }

  watch(): void {
    if (this.watcher) return;
    const dir = path.dirname(this.loaded.file);
    const base = path.basename(this.loaded.file);
    this.watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name && name.toString() !== base) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload().catch(() => undefined), this.debounceMs);
    });
    this.watcher.on('error', () => undefined);
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /**
   * Add a rule every later save and reload must pass (e.g. "no keyless config while listening
   * beyond loopback"). Returns a function that removes it.
   */
  addGuard(guard: ConfigGuard): () => void {
    this.guards.add(guard);
    return () => this.guards.delete(guard);
  }

  /**
   * Re-read the file now. Returns true when a new config took effect. Never throws: every kind
   * of failure (unreadable, removed, empty, invalid, refused by a guard) keeps the last good
   * config serving and is reported through `invalid` and `error`.
   */
  reload(): Promise<boolean> {
    return this.queue.run(async () => {
      try {
        return await this.reloadNow();
      } catch (err) {
        this.reject(err instanceof ConfigError ? err : new ConfigError(this.loaded.file, [{ key: '', reason: (err as Error).message }]));
        return false;
      }
    });
  }

  private async reloadNow(): Promise<boolean> {
    let text: string;
    try {
      text = await fs.readFile(this.loaded.file, 'utf8');
    } catch (err) {
      const reason =
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'the file was removed; the last good config keeps serving (saving a setting writes it again)'
          : `cannot read: ${(err as Error).message}`;
      throw new ConfigError(this.loaded.file, [{ key: '', reason }]);
    }
    if (hashText(text) === this.loaded.hash) {
      // Back to the bytes that are serving (an editor's delete-and-rewrite, a reverted edit).
      this.lastError = undefined;
      return false;
    }
    this.apply(this.validate(text));
    return true;
  }

  /** Validate and persist new config text (atomic write), then apply it. Throws ConfigError or ConfigWriteError. */
  saveText(text: string): Promise<void> {
    return this.queue.run(() => this.saveNow(text));
  }

  /**
   * Change keys while keeping the file's comments and layout: `mutate` receives the YAML document
   * of the config that is current when the edit's turn comes (edits never interleave), and may
   * read `current` for positions.
   */
  update(mutate: (doc: ReturnType<typeof parseDocument>, current: SwitchyardConfig) => void): Promise<void> {
    return this.queue.run(async () => {
      const doc = parseDocument(this.loaded.text);
      const before = doc.toString();
      mutate(doc, this.loaded.config);
      const after = doc.toString();
      // Nothing to change (the target was gone by this edit's turn): no write, no reload event.
      if (after === before) return;
      await this.saveNow(after);
    });
  }

  private async saveNow(text: string): Promise<void> {
    const next = this.validate(text);
    try {
      await writeFileAtomic(this.loaded.file, text, { mode: 0o600 });
    } catch (err) {
      throw new ConfigWriteError(this.loaded.file, err);
    }
    this.apply(next);
  }

  /** Parse (an empty document is refused here: it is a truncated write, not "all defaults") and run the guards. */
  private validate(text: string): LoadedConfig {
    const next = parseConfig(text, this.loaded.file, { allowEmpty: false });
    const issues = [...this.guards].map((g) => g(next.config)).filter((i): i is ConfigIssue => i !== undefined);
    if (issues.length) throw new ConfigError(this.loaded.file, issues);
    return next;
  }

  private apply(next: LoadedConfig): void {
    const prev = this.loaded.config;
    this.loaded = next;
    this.lastError = undefined;
    for (const w of next.warnings) this.emit('warning', w);
    // Each listener on its own: one that throws must neither stop the others nor make the
    // save or reload look failed (the new config is in effect from here on).
    for (const listener of this.listeners('change')) {
      try {
        listener(next.config, prev);
      } catch (err) {
        this.emit('warning', `${this.loaded.file}: applied, but a part of the engine failed to take it: ${(err as Error).message}`);
      }
    }
  }

  private reject(err: ConfigError): void {
    this.lastError = err;
    this.emit('invalid', err);
  }
}

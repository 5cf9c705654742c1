import { EventEmitter } from 'node:events';
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { SwitchyardConfig } from '../../../src-shared/config/schema';
import { ConfigError, hashText, loadConfigFile, parseConfig, type LoadedConfig } from './load';
import { writeFileAtomic } from '../util/atomic-write';

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

  constructor(loaded: LoadedConfig, private readonly debounceMs = 150) {
    super();
    this.loaded = loaded;
  }

  static async open(file: string): Promise<ConfigStore> {
    return new ConfigStore(await loadConfigFile(file, { create: true }));
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
      this.timer = setTimeout(() => void this.reload(), this.debounceMs);
    });
    this.watcher.on('error', () => undefined);
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Re-read the file now. Returns true when a new config took effect. */
  async reload(): Promise<boolean> {
    let text: string;
    try {
      text = await fs.readFile(this.loaded.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // mid-replace; the next event re-reads
      this.reject(new ConfigError(this.loaded.file, [{ key: '', reason: (err as Error).message }]));
      return false;
    }
    if (hashText(text) === this.loaded.hash) return false;
    try {
      this.apply(parseConfig(text, this.loaded.file));
      return true;
    } catch (err) {
      if (err instanceof ConfigError) this.reject(err);
      else throw err;
      return false;
    }
  }

  /** Validate and persist new config text (atomic write), then apply it. Throws ConfigError. */
  async saveText(text: string): Promise<void> {
    const next = parseConfig(text, this.loaded.file);
    await writeFileAtomic(this.loaded.file, text, { mode: 0o600 });
    this.apply(next);
  }

  /**
   * Change keys while keeping the file's comments and layout: `mutate` receives the parsed
   * YAML document (use setIn/deleteIn on it).
   */
  async update(mutate: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
    const doc = parseDocument(this.loaded.text);
    mutate(doc);
    await this.saveText(doc.toString());
  }

  private apply(next: LoadedConfig): void {
    const prev = this.loaded.config;
    this.loaded = next;
    this.lastError = undefined;
    for (const w of next.warnings) this.emit('warning', w);
    this.emit('change', next.config, prev);
  }

  private reject(err: ConfigError): void {
    this.lastError = err;
    this.emit('invalid', err);
  }
}

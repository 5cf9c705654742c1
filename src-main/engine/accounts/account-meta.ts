import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write';
import { SerialQueue } from '../util/serial-queue';
import { isOAuthProvider } from './auths';
import type { OAuthProviderId } from './types';

/**
 * Non-secret account facts (`accounts.json` in the data dir), kept apart from tokens so the
 * keychain holds secrets only and the UI can list accounts without touching a secret.
 */
export const accountMetaSchema = z.looseObject({
  provider: z.custom<OAuthProviderId>((v) => typeof v === 'string' && isOAuthProvider(v), 'not a provider with a sign-in'),
  label: z.string(),
  order: z.number().int(),
  prefix: z.string().optional(),
  priority: z.number().int().optional(),
  weight: z.number().int().min(0).optional(),
  disabled: z.boolean().optional(),
  projectId: z.string().optional(),
  proxyUrl: z.string().optional(),
  baseUrl: z.string().optional(),
  /** Provider facts that are not secret (ChatGPT account id, plan, resource_url, …). */
  extra: z.record(z.string(), z.unknown()).optional(),
  /** Set when a refresh was refused: the account stays listed until the user signs in again. */
  needsLogin: z.string().optional(),
  addedAt: z.string().optional(),
});
export type AccountMeta = z.infer<typeof accountMetaSchema>;

/**
 * The file's outer shape. Accounts are validated one by one into a Map: ids are file names chosen
 * by whoever drops a file in, and `__proto__`, `constructor` or `toString` must stay plain ids.
 */
const fileSchema = z.looseObject({
  version: z.literal(1),
  // Checked by hand below: zod's object parsing silently drops a `__proto__` key.
  accounts: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
});

function parseAccounts(raw: Record<string, unknown>): Map<string, AccountMeta> {
  const out = new Map<string, AccountMeta>();
  for (const [id, value] of Object.entries(raw)) {
    const parsed = accountMetaSchema.safeParse(value);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `accounts.${[id, ...i.path].join('.')}: ${i.message}`).join('; '));
    out.set(id, parsed.data);
  }
  return out;
}

/** JSON for the file: a null-prototype object so an id named `__proto__` is written as a key. */
function toJsonObject(entries: ReadonlyMap<string, AccountMeta>): Record<string, AccountMeta> {
  const obj = Object.create(null) as Record<string, AccountMeta>;
  for (const [id, meta] of entries) obj[id] = meta;
  return obj;
}

/** What the registry needs of a metadata store: `accounts.json` here, a database table for a team server. */
export interface MetaStoreLike {
  readonly file: string;
  error?: string;
  load(): Promise<void>;
  all(): ReadonlyMap<string, AccountMeta>;
  get(id: string): AccountMeta | undefined;
  put(id: string, meta: AccountMeta): Promise<void>;
  remove(id: string): Promise<void>;
}

export class MetaStore implements MetaStoreLike {
  readonly file: string;
  /** Set when accounts.json exists but is invalid: reads fall back to empty, writes are refused. */
  error?: string;
  private entries = new Map<string, AccountMeta>();
  /** Every write is a read-modify-write of the whole file: one at a time. */
  private readonly writes = new SerialQueue();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'accounts.json');
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.entries = new Map();
        this.error = undefined;
        return;
      }
      throw err;
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      this.entries = parseAccounts(parsed.data.accounts);
      this.error = undefined;
    } catch (err) {
      // JSON.parse quotes the text around the error; name the position instead.
      const at = err instanceof SyntaxError ? /position (\d+)/.exec(err.message)?.[1] : undefined;
      const reason = err instanceof SyntaxError ? `not JSON${at ? ` (syntax error at byte ${at})` : ''}` : (err as Error).message;
      this.error = `${this.file} is invalid (${reason}); it was left untouched and account changes are not saved until it is fixed`;
    }
  }

  all(): ReadonlyMap<string, AccountMeta> {
    return this.entries;
  }

  get(id: string): AccountMeta | undefined {
    return this.entries.get(id);
  }

  put(id: string, meta: AccountMeta): Promise<void> {
    return this.writes.run(() => this.write(new Map(this.entries).set(id, meta)));
  }

  remove(id: string): Promise<void> {
    return this.writes.run(async () => {
      if (!this.entries.has(id)) return;
      const next = new Map(this.entries);
      next.delete(id);
      await this.write(next);
    });
  }

  private async write(next: Map<string, AccountMeta>): Promise<void> {
    if (this.error) throw new Error(this.error);
    await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, accounts: toJsonObject(next) }, null, 2)}\n`, { mode: 0o600 });
    this.entries = next;
  }
}

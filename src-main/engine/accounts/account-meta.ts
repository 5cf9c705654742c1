import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write';
import { OAUTH_PROVIDERS } from './types';

/**
 * Non-secret account facts (`accounts.json` in the data dir), kept apart from tokens so the
 * keychain holds secrets only and the UI can list accounts without touching a secret.
 */
export const accountMetaSchema = z.looseObject({
  provider: z.enum(OAUTH_PROVIDERS),
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

const fileSchema = z.looseObject({
  version: z.literal(1),
  accounts: z.record(z.string(), accountMetaSchema),
});

export class MetaStore {
  readonly file: string;
  /** Set when accounts.json exists but is invalid: reads fall back to empty, writes are refused. */
  error?: string;
  private entries: Record<string, AccountMeta> = {};

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'accounts.json');
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.entries = {};
        this.error = undefined;
        return;
      }
      throw err;
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      this.entries = parsed.data.accounts;
      this.error = undefined;
    } catch (err) {
      this.error = `${this.file} is invalid (${(err as Error).message}); it was left untouched and account changes are not saved until it is fixed`;
    }
  }

  all(): Record<string, AccountMeta> {
    return this.entries;
  }

  get(id: string): AccountMeta | undefined {
    return this.entries[id];
  }

  async put(id: string, meta: AccountMeta): Promise<void> {
    await this.write({ ...this.entries, [id]: meta });
  }

  async remove(id: string): Promise<void> {
    if (!(id in this.entries)) return;
    const next = { ...this.entries };
    delete next[id];
    await this.write(next);
  }

  private async write(next: Record<string, AccountMeta>): Promise<void> {
    if (this.error) throw new Error(this.error);
    await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, accounts: next }, null, 2)}\n`, { mode: 0o600 });
    this.entries = next;
  }
}

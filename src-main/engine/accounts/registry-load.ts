import { SealedRecordError } from '../team/crypto/envelope';
import { MalformedAuthFileError, providerOfRecord } from './auth-file';
import type { AccountMeta } from './account-meta';
import type { RegistryEntry } from './registry';
import type { SecretStore } from './secret-store';
import type { AuthRecord } from './types';

/** Non-secret provider facts that also live in the auth file (CLIProxyAPI keeps them there). */
export function factsFromRecord(rec: AuthRecord): { projectId?: string; baseUrl?: string; proxyUrl?: string; extra: Record<string, unknown> } {
  const s = (k: string) => (typeof rec[k] === 'string' && rec[k] ? (rec[k] as string) : undefined);
  const extra: Record<string, unknown> = {};
  for (const k of ['account_id', 'resource_url', 'organization_uuid', 'account_uuid', 'device_id', 'plan_type']) {
    if (s(k)) extra[k] = s(k);
  }
  return { projectId: s('project_id'), baseUrl: s('base_url'), proxyUrl: s('proxy_url'), extra };
}

/**
 * Join the stored secrets with accounts.json: one entry per stored id. A secret that cannot be
 * read is that account's problem (reported on the entry); accounts without metadata get some
 * from their auth file (CLIProxyAPI files carry e-mail, prefix, priority, disabled).
 */
export async function readEntries(store: SecretStore, metas: ReadonlyMap<string, AccountMeta>, ids: readonly string[]): Promise<Map<string, RegistryEntry>> {
  const next = new Map<string, RegistryEntry>();
  let order = Math.max(-1, ...[...metas.values()].map((m) => m.order));
  for (const id of ids) {
    let record: AuthRecord | undefined;
    let problem: string | undefined;
    try {
      record = await store.get(id);
    } catch (err) {
      // One unreadable account (bad JSON, sealed with another key, EACCES, a keychain hiccup)
      // is that account's problem: the others still load, and the process never goes down for it.
      problem =
        err instanceof MalformedAuthFileError || err instanceof SealedRecordError
          ? err.message
          : `${id}: cannot read its secret (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    const provider = record ? providerOfRecord(record) : metas.get(id)?.provider;
    if (!provider) {
      // A malformed file with no metadata: nothing to route to, but the problem is still reported.
      next.set(id, { id, meta: { provider: 'claude', label: id, order: ++order }, problem: problem ?? `${id}: unknown provider` });
      continue;
    }
    const facts = record ? factsFromRecord(record) : { extra: {} };
    const known = metas.get(id);
    const meta: AccountMeta = known ?? {
      provider,
      label: (record && typeof record.email === 'string' && record.email) || id,
      order: ++order,
      prefix: typeof record?.prefix === 'string' ? record.prefix : undefined,
      priority: typeof record?.priority === 'number' ? record.priority : undefined,
      disabled: record?.disabled === true ? true : undefined,
    };
    next.set(id, {
      id,
      meta: {
        ...meta,
        projectId: meta.projectId ?? facts.projectId,
        baseUrl: meta.baseUrl ?? facts.baseUrl,
        proxyUrl: meta.proxyUrl ?? facts.proxyUrl,
        extra: { ...facts.extra, ...meta.extra },
      },
      record,
      problem,
    });
  }
  return next;
}

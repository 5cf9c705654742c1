import { createHash } from 'node:crypto';
import type { ApiKeyEntry, OpenAICompatEntry, SwitchyardConfig } from '../../../src-shared/config/schema';
import type { Account, KeyConfigSection, ProviderId } from './provider';
import { providerList } from './index';

/** An account plus the secret it authenticates with (kept out of Account on purpose). */
export interface KeyedAccount {
  account: Account;
  apiKey: string;
  /** Where the entry sits in config.yaml (for enable/disable/remove from a UI). */
  configPath: Array<string | number>;
}

/** Plain key sections (`[{api-key, base-url, …}]`) from the registry; openai-compatibility's named entries are read below. */
function keySections(): Array<[Exclude<KeyConfigSection, 'openai-compatibility'>, ProviderId, string]> {
  return providerList.flatMap((p) => {
    const c = p.configSection;
    return c && c.section !== 'openai-compatibility' ? [[c.section, p.id, c.entryNoun] as [Exclude<KeyConfigSection, 'openai-compatibility'>, ProviderId, string]] : [];
  });
}

/** Stable id from what identifies the credential, so reloads and restarts keep state attached. */
function stableId(provider: string, ...parts: Array<string | undefined>): string {
  const h = createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 12);
  return `${provider}:${h}`;
}

function maskKey(key: string): string {
  return key.length <= 8 ? '…' : `…${key.slice(-4)}`;
}

/** Every API-key credential in the config, in file order (that order is `fill-first` order). */
export function accountsFromConfig(cfg: SwitchyardConfig): KeyedAccount[] {
  const out: KeyedAccount[] = [];
  let order = 0;
  for (const [section, provider, noun] of keySections()) {
    const entries = cfg[section] as ApiKeyEntry[];
    entries.forEach((e, i) => {
      out.push({
        apiKey: e['api-key'],
        configPath: [section, i],
        account: {
          id: stableId(provider, e['api-key'], e['base-url']),
          provider,
          kind: 'api-key',
          label: e.label ?? `${noun} ${maskKey(e['api-key'])}`,
          order: order++,
          prefix: e.prefix || undefined,
          priority: e.priority ?? 0,
          weight: e.weight ?? 1,
          disabled: e.disabled ?? false,
          baseUrl: e['base-url'] || undefined,
          proxyUrl: e['proxy-url'] || cfg['proxy-url'] || undefined,
          headers: e.headers,
          models: e.models?.map((m) => ({ name: m.name, alias: m.alias, fork: m.fork, reasoning: m.reasoning === undefined ? undefined : String(m.reasoning) })),
          excludedModels: e['excluded-models'],
          meta: {},
        },
      });
    });
  }
  cfg['openai-compatibility'].forEach((e: OpenAICompatEntry, i) => {
    const name = e.name || `openai-compatible #${i + 1}`;
    const keys: Array<{ key: string; proxy?: string }> = [];
    if (e['api-key']) keys.push({ key: e['api-key'] });
    for (const k of e['api-key-entries'] ?? []) keys.push({ key: k['api-key'], proxy: k['proxy-url'] });
    for (const k of e['api-keys'] ?? []) keys.push({ key: k });
    keys.forEach(({ key, proxy }, j) => {
      out.push({
        apiKey: key,
        configPath: ['openai-compatibility', i],
        account: {
          id: stableId('openai-compatibility', key, e['base-url']),
          provider: 'openai-compatibility',
          kind: 'api-key',
          label: e.label ?? (keys.length > 1 ? `${name} ${maskKey(key)}` : name),
          order: order++,
          prefix: e.prefix || undefined,
          priority: e.priority ?? 0,
          weight: e.weight ?? 1,
          disabled: e.disabled ?? false,
          baseUrl: e['base-url'],
          proxyUrl: proxy || e['proxy-url'] || cfg['proxy-url'] || undefined,
          headers: e.headers,
          models: e.models?.map((m) => ({ name: m.name, alias: m.alias, fork: m.fork, reasoning: m.reasoning === undefined ? undefined : String(m.reasoning) })),
          excludedModels: e['excluded-models'],
          meta: { compatName: name, keyIndex: j },
        },
      });
    });
  });
  return out;
}

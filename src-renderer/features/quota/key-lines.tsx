import { useTranslation } from 'react-i18next';
import type { AccountQuota, AccountSummary } from '../../../src-shared/domain';
import { Pill } from '../../components/ui';
import { compact } from '../../components/format';

const KEY_PROVIDERS = new Set(['openai-compatibility', 'gemini-api', 'claude-api', 'codex-api', 'vertex']);

/** API-key entries have no quota windows: they are counted, not metered. */
export function isKeyAccount(a: Pick<AccountQuota, 'accountId' | 'provider'>, summaries: Map<string, AccountSummary>): boolean {
  const s = summaries.get(a.accountId);
  return s ? s.kind === 'api-key' : KEY_PROVIDERS.has(a.provider);
}

export interface KeyProviderLine {
  provider: string;
  keys: number;
  cooling: number;
  disabled: number;
}

export function keyLines(accounts: AccountQuota[]): KeyProviderLine[] {
  const by = new Map<string, KeyProviderLine>();
  for (const a of accounts) {
    const l = by.get(a.provider) ?? { provider: a.provider, keys: 0, cooling: 0, disabled: 0 };
    l.keys++;
    if (a.status === 'cooling' || a.status === 'error') l.cooling++;
    if (a.status === 'disabled') l.disabled++;
    by.set(a.provider, l);
  }
  return [...by.values()].sort((a, b) => a.provider.localeCompare(b.provider));
}

/** One line per API-key provider: how many keys, how many cool, and the last 24 h of traffic. */
export function KeyProviderList(props: { lines: KeyProviderLine[]; counts: Record<string, { requests: number; tokens: number }>; compactView?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="key-lines">
      {props.lines.map((l) => {
        const c = props.counts[l.provider] ?? { requests: 0, tokens: 0 };
        return (
          <li key={l.provider} className="key-line" data-testid={`keys-${l.provider}`}>
            <span className="provider-tag">{l.provider}</span>
            <span>{t('quota.keyCount', { count: l.keys })}</span>
            {l.cooling > 0 && <Pill tone="warn">{t('quota.keysCooling', { count: l.cooling })}</Pill>}
            {!props.compactView && (
              <span className="muted small push">
                {t('quota.keyTraffic', { requests: compact(c.requests, i18n.language), tokens: compact(c.tokens, i18n.language) })}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

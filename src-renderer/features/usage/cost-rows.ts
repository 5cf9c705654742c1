import type { CostBasisRow, ProviderInfo } from '../../../src-shared/domain';
import { cost, type Price } from './prices';

export interface ModelTokens {
  model: string;
  input: number;
  output: number;
}

/** Tokens per model (prices are per model); reasoning counts as output, as providers bill it. */
export function byModel(rows: CostBasisRow[]): ModelTokens[] {
  const by = new Map<string, ModelTokens>();
  for (const r of rows) {
    const m = by.get(r.model) ?? { model: r.model, input: 0, output: 0 };
    m.input += r.inputTokens;
    m.output += r.outputTokens + r.reasoningTokens;
    by.set(r.model, m);
  }
  return [...by.values()].sort((a, b) => b.input + b.output - (a.input + a.output));
}

export interface AccountCost {
  accountId: string;
  label: string;
  provider: string;
  /** API key: what the traffic cost; subscription: what it would have cost on an API key. */
  kind: 'api-key' | 'subscription';
  input: number;
  output: number;
  cost: number;
  /** Models this account served that have no price yet (their tokens are not in `cost`). */
  unpriced: string[];
  /** Models with a price (0 = no estimate at all, not "free"). */
  priced: number;
}

/**
 * Cost per account at the user's model prices: the sum over the models it served. Rows without
 * an account (refused before routing) or without tokens are left out.
 */
export function byAccount(rows: CostBasisRow[], prices: Record<string, Price>, providers: ProviderInfo[]): AccountCost[] {
  const kinds = new Map(providers.map((p) => [p.id, p.kind]));
  const by = new Map<string, AccountCost>();
  for (const r of rows) {
    const output = r.outputTokens + r.reasoningTokens;
    if (!r.accountId || r.inputTokens + output === 0) continue;
    const kind = (kinds.get(r.provider) ?? 'oauth') === 'api-key' ? 'api-key' : 'subscription';
    const a = by.get(r.accountId) ?? { accountId: r.accountId, label: r.accountLabel || r.accountId, provider: r.provider, kind, input: 0, output: 0, cost: 0, unpriced: [], priced: 0 };
    a.input += r.inputTokens;
    a.output += output;
    const c = cost({ input: r.inputTokens, output }, prices[r.model]);
    if (c === null) a.unpriced.push(r.model);
    else {
      a.cost += c;
      a.priced++;
    }
    by.set(r.accountId, a);
  }
  return [...by.values()].sort((a, b) => (a.kind === b.kind ? b.cost - a.cost || b.input + b.output - (a.input + a.output) : a.kind === 'api-key' ? -1 : 1));
}

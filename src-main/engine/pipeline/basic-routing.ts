import { parseThinkingSuffix } from '../ir/reasoning';
import type { Account } from '../providers/provider';
import type { AttemptOutcome, Candidate, FailureVerdict, Resolution, RoutingService } from './types';

/**
 * The smallest routing that serves: prefixes, aliases, round-robin, and a status-based verdict.
 * Stands in until the routing layer (engine/routing) is wired; kept for tests of the pipeline.
 */
export class BasicRouting implements RoutingService {
  private cursor = new Map<string, number>();

  constructor(
    private readonly accounts: () => Account[],
    private readonly defaultModels: (a: Account) => readonly string[],
  ) {}

  resolve(requested: string): Resolution | undefined {
    const suffix = parseThinkingSuffix(requested);
    const model = suffix.model;
    const candidates: Candidate[] = [];
    for (const account of this.accounts()) {
      if (account.disabled) continue;
      let name = model;
      if (account.prefix) {
        if (model.startsWith(`${account.prefix}/`)) name = model.slice(account.prefix.length + 1);
      }
      const mapped = account.models?.length ? account.models : this.defaultModels(account).map((n) => ({ name: n, alias: undefined }));
      for (const m of mapped) {
        if ((m.alias ?? m.name) === name) candidates.push({ account, upstreamModel: m.name, clientModel: requested });
      }
      if (!mapped.length) candidates.push({ account, upstreamModel: name, clientModel: requested });
    }
    if (!candidates.length) return undefined;
    const reasoning = suffix.effort || suffix.budget !== undefined ? { effort: suffix.effort, budget: suffix.budget, auto: suffix.auto } : undefined;
    return { model, candidates, reasoning };
  }

  listModels(): Array<{ id: string; provider: Account['provider'] }> {
    const out = new Map<string, Account['provider']>();
    for (const a of this.accounts()) {
      if (a.disabled) continue;
      const names = a.models?.length ? a.models.map((m) => m.alias ?? m.name) : [...this.defaultModels(a)];
      for (const n of names) {
        out.set(a.prefix ? `${a.prefix}/${n}` : n, a.provider);
        if (a.prefix) out.set(n, a.provider);
      }
    }
    return [...out].map(([id, provider]) => ({ id, provider }));
  }

  order(res: Resolution): Candidate[] {
    const n = res.candidates.length;
    const start = this.cursor.get(res.model) ?? 0;
    this.cursor.set(res.model, (start + 1) % Math.max(1, n));
    return res.candidates.map((_, i) => res.candidates[(start + i) % n]);
  }

  allCooling(res: Resolution) {
    return { status: 429, kind: 'rate_limit' as const, code: 'model_cooldown', message: `All credentials for model ${res.model} are cooling down`, retryAfterSeconds: 1 };
  }

  report(_c: Candidate, outcome: AttemptOutcome): FailureVerdict {
    if (outcome.ok || outcome.status === 0) return { final: false };
    const s = outcome.status;
    if (s === 401) return { final: false, refresh: true };
    return { final: s >= 400 && s < 500 && s !== 403 && s !== 404 && s !== 408 && s !== 429 };
  }

  nextPassDelay(): number | undefined {
    return undefined;
  }

  maxCredentialsPerPass(): number {
    return 0;
  }

  applyPayloadRules(body: Record<string, unknown>): Record<string, unknown> {
    return body;
  }

  hasPayloadRules(): boolean {
    return false;
  }
}

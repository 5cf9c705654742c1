import type { IrReasoningEffort } from './request';

/**
 * Shared reasoning arithmetic (PROTOCOLS.md §3.12) so every codec converts levels and budgets
 * the same way.
 */
const LEVEL_BUDGET: Record<IrReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

export const reasoningEfforts: readonly IrReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

export function isReasoningEffort(v: unknown): v is IrReasoningEffort {
  return typeof v === 'string' && (reasoningEfforts as readonly string[]).includes(v);
}

export function effortToBudget(effort: IrReasoningEffort): number {
  return LEVEL_BUDGET[effort];
}

/** -1 (dynamic) maps to medium; 0 to none. */
export function budgetToEffort(budget: number): IrReasoningEffort {
  if (budget < 0) return 'medium';
  if (budget === 0) return 'none';
  if (budget <= 512) return 'minimal';
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  if (budget <= 24576) return 'high';
  return 'xhigh';
}

/** Parse a `model(high)` / `model(8192)` suffix. Returns the bare model and what the suffix said. */
export function parseThinkingSuffix(
  model: string,
): { model: string; effort?: IrReasoningEffort; budget?: number; auto?: boolean } {
  const m = /^(.*)\(([^()]*)\)$/.exec(model);
  if (!m || !m[1]) return { model };
  const bare = m[1];
  const value = m[2].trim().toLowerCase();
  if (value === 'auto' || value === '-1') return { model: bare, auto: true, budget: -1 };
  if (value === 'max') return { model: bare, effort: 'xhigh', budget: 128000 };
  if (isReasoningEffort(value)) return { model: bare, effort: value, budget: effortToBudget(value) };
  if (/^\d+$/.test(value)) {
    const budget = Number(value);
    return { model: bare, budget, effort: budgetToEffort(budget) };
  }
  return { model };
}

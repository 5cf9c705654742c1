import type { RoutePreview } from '../../../src-shared/domain/mappings';
import type { CooldownBook } from './cooldown-book';
import type { ResolveResult } from './model-catalog';
import type { Candidate, SuffixReasoning } from './types';

const NON_QUOTA = new Set(['auth', 'payment']);

function reasoningText(r: SuffixReasoning | undefined): string | null {
  if (!r) return null;
  if (r.auto) return 'auto';
  if (r.effort) return r.budget !== undefined ? `${r.effort} (${r.budget} tokens)` : r.effort;
  return r.budget !== undefined ? `${r.budget} tokens` : null;
}

/**
 * "How would this model be routed right now?" for the mapping wizard: readable steps and the
 * candidates in the order they would be tried (usable ones in rotation order, then the benched
 * ones with their reset time). Pure: it peeks, so it never moves a rotation.
 */
export function buildRoutePreview(
  requested: string,
  resolved: ResolveResult,
  ordered: readonly Candidate[],
  book: CooldownBook,
): RoutePreview {
  if (!resolved.ok) {
    return { model: requested, resolved: false, steps: [], candidates: [], error: `No configured account serves "${resolved.model}"` };
  }
  const steps: string[] = [];
  const suffix = requested.trim().slice(resolved.model.length);
  if (suffix && resolved.reasoning) steps.push(`suffix ${suffix} → reasoning ${reasoningText(resolved.reasoning)}`);
  const seen = new Set<string>();
  for (const c of resolved.candidates) {
    const p = c.account.prefix;
    let step: string | undefined;
    if (p && resolved.model.startsWith(`${p}/`)) {
      const bare = resolved.model.slice(p.length + 1);
      step = bare === c.upstreamModel ? `prefix ${p}/ → ${c.account.label} only` : `prefix ${p}/, alias ${bare} → ${c.upstreamModel}`;
    } else if (resolved.model !== c.upstreamModel) step = `alias ${resolved.model} → ${c.upstreamModel} (${c.account.provider})`;
    if (step && !suffix && c.reasoning) step += `, reasoning ${reasoningText(c.reasoning)}`;
    if (step && !seen.has(step)) {
      seen.add(step);
      steps.push(step);
    }
  }
  const usable = new Set(ordered);
  const rest = resolved.candidates.filter((c) => !ordered.some((o) => o.account.id === c.account.id && o.upstreamModel === c.upstreamModel));
  const list = [...ordered, ...rest].map((c) => {
    const entry = usable.has(c) ? undefined : book.entryFor(c.account.id, c.upstreamModel);
    const status = c.account.disabled ? 'disabled' : entry ? (NON_QUOTA.has(entry.reason) ? 'error' : 'cooling') : 'active';
    return {
      provider: c.account.provider,
      accountId: c.account.id,
      accountLabel: c.account.label,
      upstreamModel: c.upstreamModel,
      reasoning: reasoningText(c.reasoning ?? resolved.reasoning),
      status,
      coolingUntil: entry ? Math.round(entry.until) : null,
    } as const;
  });
  steps.push(`${ordered.length} of ${list.length} candidate${list.length === 1 ? '' : 's'} usable now`);
  return { model: requested, resolved: true, steps, candidates: list, error: null };
}

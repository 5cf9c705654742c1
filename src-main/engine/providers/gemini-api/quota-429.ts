import { makeWindow, type QuotaWindow } from '../../quota/window';
import type { UpstreamFailure } from '../../upstream/failure/types';

/**
 * A Google `RESOURCE_EXHAUSTED` 429 that names a model (quota facts read once with the failure,
 * see `reset-hints.ts`) → that model's window is full until the reset (Gemini CLI, Antigravity).
 */
export function parseGoogle429(failure: UpstreamFailure): QuotaWindow[] {
  const q = failure.quota;
  if (!q?.model) return [];
  return [
    makeWindow({
      id: `model:${q.model}`,
      label: q.model,
      kind: 'per-model',
      usedPercent: 100,
      resetAt: q.resetAt,
      windowSeconds: 0,
      source: 'traffic',
      observedAt: failure.receivedAt,
      model: q.model,
    }),
  ];
}

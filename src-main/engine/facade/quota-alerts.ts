import type { QuotaThresholdEvent } from '../../../src-shared/domain';
import type { Engine } from '../engine';
import type { Account } from '../providers/provider';
import type { QuotaResetEvent, QuotaThresholdEvent as BookThreshold } from '../quota';
import type { EngineEvent } from '../control/engine-facade';
import { remainingPercent } from '../quota/window';

/**
 * The quota book's decisions as UI alerts: a threshold crossed (`warn` / `critical`), and a
 * warned window that started a new period (`recovered`). The engine decides both, once; the
 * tray, the notifier and the panel only show them. Returns unsubscribe.
 */
export function forwardQuotaAlerts(engine: Engine, emit: (e: EngineEvent) => void): () => void {
  const book = engine.quota.book;
  const alert = (accountId: string, provider: string, w: { id: string; label: string; resetAt: number | null }, level: QuotaThresholdEvent['level'], percentLeft: number) =>
    emit({
      type: 'quota-threshold',
      event: {
        accountId,
        provider: provider as Account['provider'],
        label: engine.accounts().find((x) => x.id === accountId)?.label ?? accountId,
        windowId: w.id,
        windowLabel: w.label,
        level,
        percentLeft,
        resetAt: w.resetAt ?? null,
      },
    });
  const onThreshold = (t: BookThreshold) => alert(t.accountId, t.provider, t.window, t.level, t.remainingPercent);
  const onReset = (r: QuotaResetEvent) => {
    if (r.warned && r.window.kind !== 'credits') alert(r.accountId, r.provider, r.window, 'recovered', remainingPercent(r.window));
  };
  book.on('threshold', onThreshold);
  book.on('reset', onReset);
  return () => {
    book.off('threshold', onThreshold);
    book.off('reset', onReset);
  };
}
